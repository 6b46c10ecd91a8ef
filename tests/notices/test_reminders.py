"""The reminder job: due before the deadline and when overdue, sent once per department, period, reason and
day whatever runs it, as notices, e-mails and audit events."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from perfeval.notices.models import Notice, Reminder, ReminderReason
from perfeval.notices.reminders import automatic_reason, due_reminders, send_reminders
from perfeval.orgs.models import User
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent
from tests.notices.conftest import add_departments

# The demo's departments that have not submitted, in both bureaus' 2023 periods: 株洲市财政局's 株洲市信访局 (a draft;
# a preparer and a head), 株洲市民政局 (no report; a preparer, and its 主管部门 reviewer, who is no member),
# 株洲市司法局 (nobody), 株洲市社会福利院 (a draft; a preparer) and 芦淞区财政局's 芦淞区教育局 (a draft; nobody).
DEMO_DEPARTMENTS = ["lsjyj", "zzmzj", "zzsfj", "zzsfly", "zzxfj"]
DEMO = len(DEMO_DEPARTMENTS)
DEMO_NOTICES = 4


def sent_codes(outcome):
    return sorted(d.department_code for d in outcome.sent)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 4, 22), None),  # 8 days before: too early for N = 7
        (date(2024, 4, 23), (ReminderReason.BEFORE_DEADLINE, date(2024, 4, 23))),
        (date(2024, 4, 30), (ReminderReason.BEFORE_DEADLINE, date(2024, 4, 23))),  # the deadline itself
        (date(2024, 5, 1), (ReminderReason.OVERDUE, date(2024, 5, 1))),
        (date(2026, 11, 30), (ReminderReason.OVERDUE, date(2024, 5, 1))),  # one overdue reminder, not daily
    ],
)
def test_automatic_reason_by_day(period, today, expected):
    assert period.remind_days_before == 7
    assert automatic_reason(period, today) == expected


def test_reminders_before_the_deadline_then_overdue_each_once(period):
    assert send_reminders(today=date(2024, 4, 22)).as_json() == {"sent": 0, "skipped": 0}
    first = send_reminders(today=date(2024, 4, 23))
    assert sent_codes(first) == DEMO_DEPARTMENTS
    assert {d.reason for d in first.sent} == {ReminderReason.BEFORE_DEADLINE}
    assert first.notices == DEMO_NOTICES
    later = send_reminders(today=date(2024, 4, 28))
    assert later.as_json() == {"sent": 0, "skipped": DEMO}
    overdue = send_reminders(today=date(2024, 5, 1))
    assert sent_codes(overdue) == DEMO_DEPARTMENTS
    assert send_reminders(today=date(2024, 6, 1)).as_json() == {"sent": 0, "skipped": DEMO}
    assert Reminder.objects.count() == 2 * DEMO
    assert Notice.objects.count() == 2 * DEMO_NOTICES


def test_submitted_department_is_not_reminded(ready_report, preparer, period):
    services.submit_report(report=ready_report, user=preparer)
    due = sorted(d.department_code for d in due_reminders(today=date(2024, 4, 25)))
    assert due == ["lsjyj", "zzmzj", "zzsfj", "zzsfly"]


def test_returned_report_is_reminded_again(ready_report, preparer, reviewer, period):
    services.submit_report(report=ready_report, user=preparer)
    services.return_report(report=ready_report, user=reviewer, reasons=[services.PinnedReason("请核对")])
    assert "zzxfj" in {d.department_code for d in due_reminders(today=date(2024, 4, 25))}


def test_reminder_texts_name_the_deadline_and_the_days(period, preparer):
    send_reminders(today=date(2024, 4, 25))
    notice = Notice.objects.get(recipient=preparer)
    assert notice.title == "2023 年度绩效自评报告将于 2024-04-30 截止"
    assert "截止日期 2024-04-30（剩余 5 天）" in notice.body
    assert notice.link == f"/reports/{period.reports.get(department__code='zzxfj').pk}/"
    send_reminders(today=date(2024, 5, 13))
    overdue = Notice.objects.filter(recipient=preparer).first()
    assert overdue.title == "2023 年度绩效自评报告已逾期"
    assert "截止日期 2024-04-30（逾期 13 天）" in overdue.body


def test_dry_run_sends_nothing_and_lists_what_it_would(period):
    outcome = send_reminders(today=date(2024, 5, 2), dry_run=True)
    assert sent_codes(outcome) == DEMO_DEPARTMENTS
    assert (Reminder.objects.count(), Notice.objects.count()) == (0, 0)
    assert not AuditEvent.objects.filter(action=AuditAction.REMIND).exists()
    send_reminders(today=date(2024, 5, 2))
    assert send_reminders(today=date(2024, 5, 3), dry_run=True).as_json() == {"sent": 0, "skipped": DEMO}


def test_each_reminder_is_on_the_audit_log(period, demo_report):
    send_reminders(today=date(2024, 5, 2))
    events = AuditEvent.objects.filter(action=AuditAction.REMIND).order_by("id")
    assert sorted((e.details["department"], e.details["reason"], e.details["bucket"]) for e in events) == [
        (code, "overdue", "2024-05-01") for code in DEMO_DEPARTMENTS
    ]
    demo = events.get(details__department="zzxfj")
    assert (demo.report_id, demo.actor, demo.reason) == (
        demo_report.pk,
        None,
        "逾期催报：株洲市信访局（2023 年度）",
    )
    assert [e.get_action_display() for e in events[:1]] == ["催报"]


def test_emails_go_to_every_addressed_person_after_the_commit(
    period, preparer, head, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=preparer.pk).update(email="liu@example.org")
    User.objects.filter(pk=head.pk).update(email="zhou@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = send_reminders(today=date(2024, 5, 2))
    assert outcome.emails == 2  # the other preparers have no address: the notice only
    assert sorted(m.to[0] for m in mail.outbox) == ["liu@example.org", "zhou@example.org"]
    message = mail.outbox[0]
    assert message.subject == "2023 年度绩效自评报告已逾期"
    assert "株洲市信访局的 2023 年度部门整体支出绩效自评报告尚未提交" in message.body
    assert message.body.rstrip().endswith(f"/reports/{period.reports.get(department__code='zzxfj').pk}/")


def test_no_email_when_the_transaction_is_undone(period, preparer, django_capture_on_commit_callbacks):
    User.objects.filter(pk=preparer.pk).update(email="liu@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_reminders(today=date(2024, 5, 2))
    assert len(callbacks) == 1 and mail.outbox == []


def test_a_key_inserted_by_another_run_is_skipped(period):
    """What a concurrent run sees: the row is there (the database refused the second insert), so this run
    neither notifies nor audits that department."""
    zzmzj = period.departments.get(code="zzmzj")
    Reminder.objects.create(
        department=zzmzj,
        period=period,
        reason=ReminderReason.OVERDUE,
        bucket=date(2024, 5, 1),
        run="00000000-0000-0000-0000-000000000000",
    )
    outcome = send_reminders(today=date(2024, 5, 2))
    assert [d.department_code for d in outcome.skipped] == ["zzmzj"]
    assert sent_codes(outcome) == ["lsjyj", "zzsfj", "zzsfly", "zzxfj"]
    assert not Notice.objects.filter(recipient__department=zzmzj).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.REMIND, details__department="zzmzj").exists()


def test_the_database_refuses_a_second_reminder_for_the_same_key(period):
    zzmzj = period.departments.get(code="zzmzj")
    fields = {"department": zzmzj, "period": period, "reason": "overdue", "bucket": date(2024, 5, 1)}
    Reminder.objects.create(**fields, run="00000000-0000-0000-0000-000000000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(**fields, run="00000000-0000-0000-0000-000000000002")


STORM = 1000
# The storm's queries: the periods, per period its departments and reports, the INSERTs of the reminders,
# notices and audit events in batches of 500 (SQLite may take fewer rows per INSERT), the recipients.
STORM_QUERIES = 40  # 36 on SQLite (at most 999 parameters an INSERT), fewer on PostgreSQL


def test_reminder_storm_sends_each_once_in_a_fixed_number_of_queries(
    period, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    add_departments(period, STORM)
    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_max_num_queries(STORM_QUERIES):
            first = send_reminders(today=date(2024, 5, 2))
    assert len(first.sent) == STORM + DEMO and first.skipped == []
    assert first.notices == STORM + DEMO_NOTICES
    assert len(mail.outbox) == STORM
    assert len({m.to[0] for m in mail.outbox}) == STORM
    with django_assert_max_num_queries(STORM_QUERIES):
        second = send_reminders(today=date(2024, 5, 3))
    assert second.as_json() == {"sent": 0, "skipped": STORM + DEMO}
    assert Reminder.objects.count() == STORM + DEMO
    assert Notice.objects.count() == STORM + DEMO_NOTICES
    assert AuditEvent.objects.filter(action=AuditAction.REMIND).count() == STORM + DEMO
    assert len(mail.outbox) == STORM


# ---------------------------------------------------------------- the command


def run_command(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_command_json_prints_sent_and_skipped(period):
    # Today the demo's 2023 period is long past its deadline: every department that has not submitted.
    assert json.loads(run_command("--format", "json")) == {"sent": DEMO, "skipped": 0}
    assert json.loads(run_command("--format", "json", "--year", "2023")) == {"sent": 0, "skipped": DEMO}


def test_command_dry_run_lists_and_sends_nothing(period):
    out = run_command("--dry-run")
    assert "将发送\t株洲市财政局\t2023\tzzmzj\t株洲市民政局\t逾期催报" in out
    assert "将发送\t株洲市芦淞区财政局\t2023\tlsjyj\t株洲市芦淞区教育局\t逾期催报" in out
    assert out.strip().endswith(f"将发送 {DEMO} 条催报，跳过已发送的 0 条。")
    assert json.loads(run_command("--dry-run", "--format", "json")) == {"sent": DEMO, "skipped": 0}
    assert Reminder.objects.count() == 0


def test_command_refuses_an_unknown_year(period):
    with pytest.raises(CommandError, match="2031 年度填报期不存在"):
        run_command("--year", "2031")


def test_command_schedule_needs_a_backend_that_defers(period):
    with pytest.raises(CommandError, match="不支持定时任务"):
        run_command("--schedule")


def test_today_is_the_local_day(period):
    assert timezone.localdate() > period.deadline  # the premise of the command tests above


@pytest.mark.parametrize(("given", "stored"), [("10", 10), ("", 7)])
def test_period_page_stores_the_days_before(demo_report, client, administrator, given, stored):
    from perfeval.filing.models import FilingPeriod

    client.force_login(administrator)
    data = {
        "year": "2024",
        "deadline": "2025-04-30",
        "rule_pack": str(demo_report.period.rule_pack.pk),
        "departments": [str(demo_report.department.pk)],
        "carry_from": "latest",
        "confirm_pack": "on",
        "remind_days_before": given,
    }
    assert client.post("/periods/", data).status_code == 302
    period = FilingPeriod.objects.get(year=2024)
    assert period.remind_days_before == stored
    assert automatic_reason(period, date(2025, 4, 30) - timedelta(days=stored)) == (
        ReminderReason.BEFORE_DEADLINE,
        date(2025, 4, 30) - timedelta(days=stored),
    )


def test_period_page_refuses_days_out_of_range(demo_report, client, administrator):
    client.force_login(administrator)
    page = client.post("/periods/", {"year": "2024", "remind_days_before": "365"})
    assert page.status_code == 200
    assert "截止前几天催报" in page.content.decode()
    assert page.context["form"].errors["remind_days_before"] == ["确保该值小于或等于90。"]
