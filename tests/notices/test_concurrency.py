"""Two reminder runs at the same moment over the same departments (two workers, or the worker and the
command): the database's unique key lets each reminder through once."""

import threading
from datetime import date

import pytest
from django.db import connection

from perfeval.notices.models import Notice, Reminder
from perfeval.notices.reminders import send_reminders
from perfeval.workflow.models import AuditAction, AuditEvent
from tests.notices.conftest import add_departments

RUNS = 3


def race(today):
    barrier = threading.Barrier(RUNS)
    outcomes = [None] * RUNS

    def run(index):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = send_reminders(today=today).as_json()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_runs_send_each_reminder_once(demo_report):
    add_departments(demo_report.period, 300)
    total = 300 + 5  # and the demo's five that have not submitted
    outcomes = race(date(2024, 5, 2))
    assert sum(o["sent"] for o in outcomes) == total, outcomes
    assert all(o["sent"] + o["skipped"] == total for o in outcomes), outcomes
    assert Reminder.objects.count() == total
    assert Notice.objects.count() == 300 + 4  # one person each, and the demo's four department people
    assert AuditEvent.objects.filter(action=AuditAction.REMIND).count() == total
