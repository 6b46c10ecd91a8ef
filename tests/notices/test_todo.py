"""The home page's to-do list per role: the department's deadline, 未填 per part and open return reasons; the
head's 待确认; the reviewer's 待审核, the overdue departments and the reports resubmitted after a return."""

import re

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perfeval.filing.models import FilingPeriod, Report
from perfeval.workflow import services
from tests.notices.conftest import add_departments


def text_of(response, testid) -> str:
    """The text of the element marked data-testid=…, tags removed and spaces collapsed."""
    html = response.content.decode()
    match = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no {testid} on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(2)).split())


def overdue_days(period) -> int:
    return (timezone.localdate() - period.deadline).days


def test_preparer_sees_deadline_and_what_is_blank(preparer_client, demo_report):
    Report.objects.filter(pk=demo_report.pk).update(frugality_measures="", version=F("version") + 1)
    response = preparer_client.get("/")
    assert text_of(response, "todo-deadline") == f"逾期 {overdue_days(demo_report.period)} 天"
    assert text_of(response, "todo-blanks") == "附件1 ：1 项未填"
    tab = reverse("editing:attachment1", kwargs={"report_id": demo_report.pk})
    assert f'<a href="{tab}#p-att1">附件1</a>' in response.content.decode()


def test_preparer_sees_days_left_before_the_deadline(preparer_client, demo_report):
    FilingPeriod.objects.filter(pk=demo_report.period_id).update(
        deadline=timezone.localdate() + timezone.timedelta(days=9)
    )
    assert text_of(preparer_client.get("/"), "todo-deadline") == "剩余 9 天"


def test_preparer_sees_the_open_return_reasons(preparer_client, ready_report, preparer, reviewer):
    services.submit_report(report=ready_report, user=preparer)
    services.return_report(
        report=ready_report,
        user=reviewer,
        reasons=[
            services.PinnedReason(
                "三公经费请核对", "att1", "sangong", "final", "附件1 · 三公经费 · 2023年决算数"
            ),
            services.PinnedReason("请补充第九部分"),
        ],
    )
    response = preparer_client.get("/")
    assert text_of(response, "todo-reasons") == (
        "附件1 · 三公经费 · 2023年决算数 ：三公经费请核对 （未答复） 整份报告 ：请补充第九部分 （未答复）"
    )
    assert text_of(response, "todo-blanks-none") == "各部分均已填写。"


def test_a_submitted_report_leaves_the_list(preparer_client, ready_report, preparer):
    services.submit_report(report=ready_report, user=preparer)
    assert 'data-testid="todo-report"' not in preparer_client.get("/").content.decode()


def test_head_sees_what_waits_for_confirmation(head, demo_report):
    FilingPeriod.objects.filter(pk=demo_report.period_id).update(requires_head_confirmation=True)
    client = Client()
    client.force_login(head)
    response = client.get("/")
    assert "待确认（1）" in response.content.decode()
    assert 'data-testid="todo-report"' in response.content.decode()


def test_reviewer_sees_to_review_resubmitted_and_overdue(reviewer_client, ready_report, preparer, reviewer):
    response = reviewer_client.get("/")
    period = ready_report.period
    assert 'data-testid="todo-to-review"' not in response.content.decode()
    late = overdue_days(period)
    assert text_of(response, "todo-overdue") == (
        f"株洲市财政局 2023 年度： 4 个单位未提交 ，截止 2024-04-30（ 逾期 {late} 天 ）"
        f" 株洲市芦淞区财政局 2023 年度： 1 个单位未提交 ，截止 2024-04-30（ 逾期 {late} 天 ）"
    )
    services.submit_report(report=ready_report, user=preparer)
    services.return_report(report=ready_report, user=reviewer, reasons=[services.PinnedReason("请核对")])
    ready_report.refresh_from_db()
    services.submit_report(report=ready_report, user=preparer)
    response = reviewer_client.get("/")
    assert text_of(response, "todo-to-review") == "2023 年度 · 株洲市信访局 · 退回后已修改"
    assert text_of(response, "todo-resubmitted") == "2023 年度 · 株洲市信访局 · 查看退回后的修改"
    assert "株洲市财政局 2023 年度： 3 个单位未提交" in text_of(response, "todo-overdue")


def test_other_department_sees_nothing_of_the_demo(other_client, ready_report, preparer):
    body = other_client.get("/").content.decode()
    assert "株洲市信访局" not in body
    assert 'data-testid="todo-review"' not in body


def test_another_bureaus_reviewer_sees_only_its_own(users, ready_report, preparer):
    services.submit_report(report=ready_report, user=preparer)
    district = Client()
    district.force_login(users["lusong_reviewer"])
    response = district.get("/")
    assert "株洲市信访局" not in response.content.decode()
    assert 'data-testid="todo-to-review"' not in response.content.decode()
    assert text_of(response, "todo-overdue").startswith("株洲市芦淞区财政局 2023 年度： 1 个单位未提交")


@pytest.mark.parametrize(
    ("who", "limit"),
    [("preparer_client", 14), ("reviewer_client", 18), ("other_client", 6)],
)
def test_home_page_query_count(request, demo_report, who, limit, django_assert_max_num_queries):
    """Session, user, the bell, the report list, 待确认, and the role's to-do (the preparer's report with its
    parts and cached findings; the reviewer's submitted reports, resubmitted ones and each period's count).
    More departments, submitted or not, add no query."""
    add_departments(demo_report.period, 30)
    client = request.getfixturevalue(who)
    client.get("/")  # the findings are checked once per report version, then cached
    with django_assert_max_num_queries(limit):
        assert client.get("/").status_code == 200


def test_supervisor_sees_the_units_report_waiting_there(users):
    from tests.workflow.helpers import fill_unit_report, make_submittable

    unit = fill_unit_report()
    make_submittable(unit)
    unit.refresh_from_db()
    services.submit_report(report=unit, user=users["zzsfly_preparer"])
    supervisor = Client()
    supervisor.force_login(users["zzmzj_supervisor"])
    response = supervisor.get("/")
    assert text_of(response, "todo-to-review") == "2023 年度 · 株洲市社会福利院"
    assert 'data-testid="todo-overdue"' not in response.content.decode()
