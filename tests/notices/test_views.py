"""The bell, the notice pages (a user's own only) and 催报 from the dashboard."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from perfeval.notices.models import Notice, Reminder, ReminderReason
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent


def notify(user, count=1, **fields):
    return [
        Notice.objects.create(recipient=user, title=f"通知{i}", body="请尽快提交。", link="/", **fields)
        for i in range(count)
    ]


def bell_count(response) -> str | None:
    match = re.search(r'data-testid="bell-count">(\d+)<', response.content.decode())
    return match.group(1) if match else None


def test_bell_shows_the_unread_count(preparer, preparer_client, other_preparer):
    assert bell_count(preparer_client.get("/")) is None
    read = notify(preparer, 3)[0]
    notify(other_preparer, 5)
    Notice.objects.filter(pk=read.pk).update(read_at=timezone.now())
    assert bell_count(preparer_client.get("/")) == "2"


def test_bell_costs_one_query(preparer, preparer_client):
    notify(preparer, 3)
    with CaptureQueriesContext(connection) as queries:
        preparer_client.get(reverse("notices:list"))
    on_notices = [q["sql"] for q in queries if "notices_notice" in q["sql"]]
    # The bell's COUNT and the list's page (Paginator: its COUNT and its rows).
    assert len([sql for sql in on_notices if "read_at" in sql and "IS NULL" in sql and "COUNT" in sql]) == 1


def test_notice_pages_query_count(preparer, preparer_client, django_assert_max_num_queries):
    notices = notify(preparer, 30)
    with django_assert_max_num_queries(6):  # session, user, the bell, the page's count and rows
        assert preparer_client.get(reverse("notices:list")).status_code == 200
    with django_assert_max_num_queries(5):
        assert preparer_client.get(reverse("notices:detail", args=[notices[0].pk])).status_code == 200


def test_notice_read_marks_it_and_goes_to_its_link(preparer, preparer_client):
    notice = notify(preparer)[0]
    page = preparer_client.get(reverse("notices:detail", args=[notice.pk]))
    assert "请尽快提交。" in page.content.decode()
    assert Notice.objects.get(pk=notice.pk).read_at is None  # reading the page changes nothing
    response = preparer_client.post(reverse("notices:read", args=[notice.pk]))
    assert (response.status_code, response["Location"]) == (302, "/")
    assert Notice.objects.get(pk=notice.pk).read_at is not None
    assert preparer_client.get(reverse("notices:read", args=[notice.pk])).status_code == 405


def test_read_all_marks_only_ones_own(preparer, preparer_client, other_preparer):
    notify(preparer, 3)
    notify(other_preparer, 2)
    preparer_client.post(reverse("notices:read_all"))
    assert Notice.objects.filter(recipient=preparer, read_at__isnull=True).count() == 0
    assert Notice.objects.filter(recipient=other_preparer, read_at__isnull=True).count() == 2


def test_notice_list_shows_only_ones_own(preparer, preparer_client, other_preparer):
    notify(preparer, 1)
    Notice.objects.create(recipient=other_preparer, title="民政局的通知")
    body = preparer_client.get(reverse("notices:list")).content.decode()
    assert "通知0" in body and "民政局的通知" not in body


# ---------------------------------------------------------------- 催报


def remind(client, year=2023, **data):
    return client.post(reverse("notices:remind", args=[year]), data)


def test_reviewer_reminds_the_ticked_departments(period, reviewer, reviewer_client, other_preparer):
    response = remind(reviewer_client, department=["zzmzj"], query="overdue=1&status=bogus")
    assert response["Location"] == "/review/2023/?overdue=1"  # the dashboard's filters, the ones it knows
    assert Reminder.objects.filter(reason=ReminderReason.MANUAL).count() == 1
    notice = Notice.objects.get(recipient=other_preparer)
    assert notice.title == "催报：请尽快提交 2023 年度绩效自评报告"
    assert notice.body.startswith("财政局审核人通知：株洲市民政局的 2023 年度")
    event = AuditEvent.objects.get(action=AuditAction.REMIND)
    assert (event.actor, event.details["department"], event.details["reason"]) == (
        reviewer,
        "zzmzj",
        "manual",
    )
    page = reviewer_client.get(response["Location"]).content.decode()
    assert "已向 1 个单位发送催报（站内通知 1 条，邮件 0 封）。" in page
    # Once a day: a second 催报 today is not sent again.
    remind(reviewer_client, department=["zzmzj"])
    assert Notice.objects.filter(recipient=other_preparer).count() == 1
    assert "株洲市民政局今天已催报过，未重复发送。" in reviewer_client.get("/review/2023/").content.decode()


def test_remind_all_waiting(period, reviewer_client, ready_report, preparer):
    services.submit_report(report=ready_report, user=preparer)
    remind(reviewer_client, all_waiting="1")
    # 株洲市财政局's period only: 芦淞区财政局's department is not this dashboard's.
    assert sorted(Reminder.objects.values_list("department__code", flat=True)) == ["zzmzj", "zzsfj", "zzsfly"]


def test_remind_refuses_submitted_and_unknown_departments(
    period, reviewer_client, ready_report, preparer, users
):
    services.submit_report(report=ready_report, user=preparer)
    remind(reviewer_client, department=["zzxfj"])
    assert Reminder.objects.count() == 0
    assert "1 个所选单位已提交，无需催报。" in reviewer_client.get("/review/2023/").content.decode()
    remind(reviewer_client, department=["zzmzj", "nosuch"])
    assert Reminder.objects.count() == 0
    assert "所选单位中有不属于本填报期的单位" in reviewer_client.get("/review/2023/").content.decode()
    remind(reviewer_client)
    assert "请先勾选要催报的单位。" in reviewer_client.get("/review/2023/").content.decode()


def test_remind_is_the_bureaus_post_with_csrf(period, preparer_client, reviewer):
    assert remind(preparer_client, department=["zzmzj"]).status_code == 403
    reviewer_get = Client()
    reviewer_get.force_login(reviewer)
    assert reviewer_get.get(reverse("notices:remind", args=[2023])).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reviewer)
    assert remind(strict, department=["zzmzj"]).status_code == 403
    assert remind(reviewer_get, year=2031, department=["zzmzj"]).status_code == 404
    assert Reminder.objects.count() == 0


def test_dashboard_offers_remind_checkboxes_for_the_waiting_only(
    period, reviewer_client, ready_report, preparer
):
    services.submit_report(report=ready_report, user=preparer)
    body = reviewer_client.get("/review/2023/").content.decode()
    boxes = re.findall(r'form="remind-form" name="department" value="(\w+)"', body)
    assert boxes == ["zzmzj", "zzsfj", "zzsfly"]
    assert 'id="remind-form" method="post"' in body and "csrfmiddlewaretoken" in body


@pytest.mark.parametrize("day", [date(2024, 4, 30)])
def test_manual_and_automatic_reminders_are_separate_reasons(period, reviewer, day):
    from perfeval.notices.reminders import remind_departments, send_reminders

    zzmzj = period.departments.get(code="zzmzj")
    remind_departments(period=period, department_ids=[zzmzj.pk], user=reviewer, today=day)
    assert "zzmzj" in {d.department_code for d in send_reminders(today=day).sent}


def test_remind_for_a_lower_bureau_is_refused(period, reviewer_client, users):
    """株洲市财政局 reads 芦淞区's dashboard but does not act there; 芦淞区 reminds its own departments."""
    response = remind(reviewer_client, all_waiting="1", query="bureau=zhuzhou-lusong")
    assert response.status_code == 403
    assert Reminder.objects.count() == 0
    district = Client()
    district.force_login(users["lusong_reviewer"])
    assert remind(district, all_waiting="1", query="bureau=zhuzhou").status_code == 404
    response = remind(district, all_waiting="1")
    assert response["Location"] == "/review/2023/"
    assert list(Reminder.objects.values_list("department__code", "sent_by__username")) == [
        ("lsjyj", "lusong_reviewer")
    ]


def test_remind_cannot_reach_another_bureaus_department(period, users):
    district = Client()
    district.force_login(users["lusong_reviewer"])
    remind(district, department=["zzmzj"])
    assert Reminder.objects.count() == 0
    assert "所选单位中有不属于本填报期的单位" in district.get("/review/2023/").content.decode()


def test_hostile_remind_posts_never_fail(period, reviewer_client):
    too_many = remind(reviewer_client, department=[f"x{i}" for i in range(2000)])
    assert too_many.status_code == 400  # more fields than Django reads: refused before the view
    odd = remind(reviewer_client, department=["'; DROP TABLE x;--", "\x00"], query="page=-1&grade=%FF")
    assert (odd.status_code, odd["Location"]) == (302, "/review/2023/")
    assert Reminder.objects.count() == 0
    for query in ("bureau=%00", "bureau=" + "x" * 5000, "page=abc&grade=%FF"):  # ignored: the own bureau's
        assert reviewer_client.get(f"/review/2023/?{query}").status_code == 200
        assert reviewer_client.get(f"/review/2023/export.xlsx?{query}").status_code == 200
    assert reviewer_client.get("/review/2023/?bureau=no-such-bureau").status_code == 404
    response = remind(reviewer_client, all_waiting="1", query="bureau=%00")
    assert (response.status_code, response["Location"]) == (302, "/review/2023/")
