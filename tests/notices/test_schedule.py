"""The daily job in the task worker: each run enqueues the next one, once however often it is asked, and the
worker's run sends what is due."""

import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from perfeval.notices.models import Notice, Reminder, ReminderRun
from perfeval.notices.tasks import next_run_time, schedule_next_run, send_due_reminders

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 11, 30, 7, 59, tzinfo=SHANGHAI), datetime(2026, 11, 30, 8, 0, tzinfo=SHANGHAI)),
        (datetime(2026, 11, 30, 8, 0, tzinfo=SHANGHAI), datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI)),
        (datetime(2026, 12, 31, 23, 0, tzinfo=SHANGHAI), datetime(2027, 1, 1, 8, 0, tzinfo=SHANGHAI)),
    ],
)
def test_next_run_is_the_next_reminder_hour(now, expected):
    assert next_run_time(now) == expected


def test_next_run_is_enqueued_once(database_tasks, db):
    now = datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
    assert schedule_next_run(now) == datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI)
    assert schedule_next_run(now) == datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI)
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.status) == ("perfeval.notices.tasks.send_due_reminders", "READY")
    assert timezone.localtime(task.run_after) == datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI)
    assert ReminderRun.objects.count() == 1


def test_schedule_command_enqueues_the_first_run(database_tasks, db):
    out = StringIO()
    call_command("send_reminders", "--schedule", stdout=out)
    call_command("send_reminders", "--schedule", stdout=out)
    assert out.getvalue().count("催报任务已安排在") == 2
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker closes its connections
def test_the_worker_runs_the_job_and_plans_the_next(database_tasks, demo_report):
    send_due_reminders.enqueue()  # due now, as the planned run is once its time has come
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    done = DBTaskResult.objects.get(status="SUCCESSFUL")
    assert done.return_value == {"sent": 5, "skipped": 0}  # every demo department that has not submitted
    assert Reminder.objects.count() == 5 and Notice.objects.count() == 4
    planned = DBTaskResult.objects.get(status="READY")
    assert timezone.localtime(planned.run_after) == next_run_time()
    out = StringIO()
    call_command("send_reminders", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == {"sent": 0, "skipped": 5}
