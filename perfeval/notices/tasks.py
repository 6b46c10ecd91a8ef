"""The daily reminder job in the task worker.

django-tasks has no cron: each run enqueues the next one (at ``REMINDER_HOUR`` the next day, run_after) before
it ends, and ``python manage.py send_reminders --schedule`` enqueues the first (the worker service runs it
before ``db_worker``). A ``ReminderRun`` row per planned time, unique, makes sure that however many workers,
deploys or runs ask for the same next run, it is enqueued once. With a backend that cannot defer a task (the
immediate backend of development and tests) nothing is scheduled: run the command by hand.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task


@task()
def send_due_reminders() -> dict:
    from perfeval.notices.reminders import send_reminders

    outcome = send_reminders(today=timezone.localdate())
    schedule_next_run()
    return outcome.as_json()


def next_run_time(now: datetime | None = None) -> datetime:
    """The next ``REMINDER_HOUR`` o'clock (local time) after ``now``."""
    now = timezone.localtime(now)
    today = timezone.make_aware(datetime.combine(now.date(), time(settings.REMINDER_HOUR)))
    return today if today > now else today + timedelta(days=1)


def schedule_next_run(now: datetime | None = None) -> datetime | None:
    """Enqueue the job for its next run time unless it is already planned; None when the backend cannot
    defer a task."""
    from perfeval.notices.models import ReminderRun

    if not send_due_reminders.get_backend().supports_defer:
        return None
    when = next_run_time(now)
    try:
        with transaction.atomic():
            ReminderRun.objects.create(scheduled_for=when)
            send_due_reminders.using(run_after=when).enqueue()
    except IntegrityError:
        pass  # planned already
    return when
