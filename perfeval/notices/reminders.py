"""The reminder job: who is reminded of what, once.

A department that has not submitted (no report yet, a draft or a returned one) is reminded when the period's
deadline is ``remind_days_before`` days away or nearer (截止前催报), again once the deadline has passed
(逾期催报), and whenever a reviewer sends 催报 (at most once a day). Each reminder is a ``Reminder`` row whose
unique key (department, period, reason, day-bucket) the database enforces: a run inserts the rows it may send,
the rows that already exist are skipped, and two runs at the same moment cannot both insert one. For each row
inserted, every active preparer and head of the department gets an in-app notice and, with an address, an
e-mail; the audit log gets one 催报 event. The scheduled task, the ``send_reminders`` command and the
dashboard's 催报 button all come here.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from perfeval.filing.models import EDITABLE_STATUSES, FilingPeriod, Report
from perfeval.notices.models import Notice, Reminder, ReminderReason
from perfeval.orgs.models import DEPARTMENT_ROLES, User
from perfeval.workflow.dashboard import days_late, deadline_note
from perfeval.workflow.models import AuditAction
from perfeval.workflow.services import record_events

logger = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True)
class Due:
    """A reminder one department is due for."""

    department_id: int
    department_code: str
    department_name: str
    period_id: int
    bureau_name: str
    year: int
    deadline: date
    report_id: int | None
    reason: str
    bucket: date

    @property
    def key(self) -> tuple:
        return (self.department_id, self.period_id, self.reason, self.bucket)

    @property
    def reason_label(self) -> str:
        return ReminderReason(self.reason).label


@dataclass
class Outcome:
    sent: list[Due] = field(default_factory=list)
    skipped: list[Due] = field(default_factory=list)
    notices: int = 0
    emails: int = 0

    def as_json(self) -> dict:
        return {"sent": len(self.sent), "skipped": len(self.skipped)}


def waiting_departments(period: FilingPeriod, department_ids=None) -> list[tuple[int, str, str, int | None]]:
    """(id, code, name, report id or None) of the period's departments that have not submitted, by code."""
    departments = period.departments.order_by("code")
    if department_ids is not None:
        departments = departments.filter(pk__in=list(department_ids))
    reports = {
        department_id: (pk, status)
        for department_id, pk, status in Report.objects.filter(period=period).values_list(
            "department_id", "pk", "status"
        )
    }
    waiting = []
    for pk, code, name in departments.values_list("pk", "code", "name"):
        report_id, status = reports.get(pk, (None, None))
        if report_id is None or status in EDITABLE_STATUSES:
            waiting.append((pk, code, name, report_id))
    return waiting


def automatic_reason(period: FilingPeriod, today: date) -> tuple[str, date] | None:
    """The reason and day-bucket of the period's automatic reminder today, or None (too early)."""
    if today > period.deadline:
        return ReminderReason.OVERDUE, period.deadline + timedelta(days=1)
    first_day = period.deadline - timedelta(days=period.remind_days_before)
    if today >= first_day:
        return ReminderReason.BEFORE_DEADLINE, first_day
    return None


def _due(period, waiting, reason, bucket) -> list[Due]:
    return [
        Due(
            pk,
            code,
            name,
            period.pk,
            period.bureau.name,
            period.year,
            period.deadline,
            report_id,
            reason,
            bucket,
        )
        for pk, code, name, report_id in waiting
    ]


def due_reminders(*, today: date, year: int | None = None) -> list[Due]:
    """Every automatic reminder due today, over every period (or the one of ``year``)."""
    periods = FilingPeriod.objects.select_related("bureau").order_by("year", "bureau__code")
    if year is not None:
        periods = periods.filter(year=year)
    due = []
    for period in periods:
        automatic = automatic_reason(period, today)
        if automatic is not None:
            due += _due(period, waiting_departments(period), *automatic)
    return due


def send_reminders(*, today: date, year: int | None = None, dry_run: bool = False) -> Outcome:
    """The scheduled job: every automatic reminder due today, each sent once."""
    return deliver(due_reminders(today=today, year=year), today=today, user=None, dry_run=dry_run)


def remind_departments(*, period: FilingPeriod, department_ids, user, today: date) -> Outcome:
    """催报 by a reviewer: the chosen departments that have not submitted, once a day each."""
    waiting = waiting_departments(period, department_ids)
    return deliver(_due(period, waiting, ReminderReason.MANUAL, today), today=today, user=user)


def deliver(due: list[Due], *, today: date, user=None, dry_run: bool = False) -> Outcome:
    if not due:
        return Outcome()
    if dry_run:
        existing = _existing_keys(due)
        return Outcome(
            sent=[d for d in due if d.key not in existing], skipped=[d for d in due if d.key in existing]
        )
    run = uuid.uuid4()
    sender_id = user.pk if user is not None and user.is_authenticated else None
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [
                Reminder(
                    department_id=d.department_id,
                    period_id=d.period_id,
                    reason=d.reason,
                    bucket=d.bucket,
                    sent_by_id=sender_id,
                    run=run,
                )
                for d in due
            ],
            ignore_conflicts=True,  # another run (or an earlier one) has it: that one sends it
            batch_size=BATCH,
        )
        mine = {
            (department_id, period_id, reason, bucket): pk
            for pk, department_id, period_id, reason, bucket in Reminder.objects.filter(run=run).values_list(
                "pk", "department_id", "period_id", "reason", "bucket"
            )
        }
        outcome = Outcome(
            sent=[d for d in due if d.key in mine], skipped=[d for d in due if d.key not in mine]
        )
        mails = _notify(outcome, mine, today=today)
        record_events(
            action=AuditAction.REMIND,
            user=user,
            events=[
                {
                    "report_id": d.report_id,
                    "reason": f"{d.reason_label}：{d.department_name}（{d.year} 年度）",
                    "details": {
                        "department": d.department_code,
                        "year": d.year,
                        "reason": d.reason,
                        "bucket": d.bucket.isoformat(),
                    },
                }
                for d in outcome.sent
            ],
        )
        transaction.on_commit(lambda: _send_mails(mails))
    outcome.emails = len(mails)
    return outcome


def _existing_keys(due: list[Due]) -> set[tuple]:
    rows = Reminder.objects.filter(
        period_id__in={d.period_id for d in due},
        reason__in={d.reason for d in due},
        bucket__in={d.bucket for d in due},
    ).values_list("department_id", "period_id", "reason", "bucket")
    return set(rows)


def _message(d: Due, today: date) -> tuple[str, str]:
    """The notice's title and text (the e-mail's subject and body)."""
    days_left = (d.deadline - today).days
    when = deadline_note(days_left, days_late(d.deadline, today), submitted=False)
    title = {
        ReminderReason.MANUAL: f"催报：请尽快提交 {d.year} 年度绩效自评报告",
        ReminderReason.BEFORE_DEADLINE: f"{d.year} 年度绩效自评报告将于 {d.deadline:%Y-%m-%d} 截止",
        ReminderReason.OVERDUE: f"{d.year} 年度绩效自评报告已逾期",
    }[d.reason]
    who = "财政局审核人" if d.reason == ReminderReason.MANUAL else "系统"
    body = (
        f"{who}通知：{d.department_name}的 {d.year} 年度部门整体支出绩效自评报告尚未提交，"
        f"截止日期 {d.deadline:%Y-%m-%d}（{when}）。请尽快完成填报并提交。"
    )
    return title, body


def _notify(outcome: Outcome, reminder_ids: dict, *, today: date) -> list[EmailMessage]:
    """The notices of the reminders sent (inserted here), and the e-mails to send once they are committed."""
    if not outcome.sent:
        return []
    recipients: dict[int, list[tuple[int, str]]] = {}
    for pk, department_id, email in User.objects.filter(
        department_id__in={d.department_id for d in outcome.sent},
        role__in=DEPARTMENT_ROLES,
        is_active=True,
    ).values_list("pk", "department_id", "email"):
        recipients.setdefault(department_id, []).append((pk, email))
    notices, mails = [], []
    for d in outcome.sent:
        title, body = _message(d, today)
        link = reverse("report_detail", args=[d.report_id]) if d.report_id else reverse("home")
        for pk, email in recipients.get(d.department_id, []):
            notices.append(
                Notice(recipient_id=pk, reminder_id=reminder_ids[d.key], title=title, body=body, link=link)
            )
            if email:
                mails.append(EmailMessage(title, f"{body}\n\n{settings.SITE_URL}{link}", to=[email]))
    Notice.objects.bulk_create(notices, batch_size=BATCH)
    outcome.notices = len(notices)
    return mails


def _send_mails(mails: list[EmailMessage]) -> None:
    """After the commit: the notices are there whatever the mail server does; a failure is logged."""
    if not mails:
        return
    try:
        get_connection().send_messages(mails)
    except Exception:
        logger.exception("reminder e-mails not sent (%d)", len(mails))
