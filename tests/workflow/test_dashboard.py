from datetime import date
from decimal import Decimal

import pytest
from django.db.models import F

from perfeval.filing.models import Report, Status
from perfeval.orgs.models import Department
from perfeval.workflow import services
from perfeval.workflow.dashboard import dashboard_rows, filter_rows, not_submitted
from perfeval.workflow.models import ReportSummary


def add_departments(period, count):
    """Extra departments with empty draft reports (what opening a period creates for a new department)."""
    start = Department.objects.filter(code__startswith="bench").count()
    for i in range(start, start + count):
        department = Department.objects.create(code=f"bench{i:04d}", name=f"测试单位{i}")
        period.departments.add(department)
        Report.objects.create(department=department, period=period)


def test_dashboard_rows_for_the_demo(ready_report, preparer):
    services.submit_report(report=ready_report, user=preparer)
    period = ready_report.period
    rows = {row.department_code: row for row in dashboard_rows(period, today=date(2024, 5, 2))}
    demo = rows["zzxfj"]
    assert (demo.status, demo.overdue, demo.errors, demo.days_left) == (Status.SUBMITTED, False, 0, -2)
    assert demo.submitted_at is not None
    assert (demo.self_score, demo.grade) == (Decimal("100.00"), "优")
    assert demo.warnings > 0
    # The other demo departments (the unit under the 主管部门 too) have no report yet: not submitted, overdue
    # after the deadline. The district bureau's department is in its own bureau's period.
    assert [(r.status, r.overdue) for r in (rows["zzmzj"], rows["zzsfj"], rows["zzsfly"])] == [
        ("missing", True),
        ("missing", True),
        ("missing", True),
    ]
    assert "lsjyj" not in rows
    assert [r.department_code for r in not_submitted(rows.values())] == ["zzmzj", "zzsfj", "zzsfly"]
    assert [r.department_code for r in filter_rows(list(rows.values()), overdue=True)] == [
        "zzmzj",
        "zzsfj",
        "zzsfly",
    ]
    assert [r.department_code for r in filter_rows(list(rows.values()), status="submitted")] == ["zzxfj"]


def test_dashboard_summary_follows_the_report_version(ready_report):
    period = ready_report.period
    first = [r for r in dashboard_rows(period, today=date(2024, 4, 1)) if r.department_code == "zzxfj"][0]
    assert first.errors == 0
    # An edit saves the report with the next version; the summary is recomputed for it.
    Report.objects.filter(pk=ready_report.pk).update(frugality_measures="", version=F("version") + 1)
    after = [r for r in dashboard_rows(period, today=date(2024, 4, 1)) if r.department_code == "zzxfj"][0]
    assert (after.errors, after.warnings) == (1, first.warnings)  # 附件1 未填: 厉行节约保障措施


def count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def prepare(client, url, cached):
    """Either every summary is fresh, or every one must be computed during the measured request."""
    if cached:
        client.get(url)
    else:
        ReportSummary.objects.all().delete()


@pytest.mark.parametrize("cached", [False, True])
def test_dashboard_query_count_does_not_grow_with_departments(
    demo_report, reviewer_client, django_assert_max_num_queries, cached
):
    period = demo_report.period
    url = f"/review/{period.year}/"
    # The page's own, plus the bell's unread count and the bureau filter's choices (the bureaus the reviewer
    # reads, their periods of the year).
    limit = 23
    add_departments(period, 3)
    prepare(reviewer_client, url, cached)
    few = count_queries(reviewer_client, url, django_assert_max_num_queries, limit)
    add_departments(period, 27)
    prepare(reviewer_client, url, cached)
    many = count_queries(reviewer_client, url, django_assert_max_num_queries, limit)
    assert few == many


def test_dashboard_page_filters_and_lists_the_waiting(demo_report, reviewer_client):
    page = reviewer_client.get(f"/review/{demo_report.period.year}/?status=draft")
    html = page.content.decode()
    assert [row.department_code for row in page.context["rows"]] == ["zzxfj"]
    assert "株洲市民政局（未创建）" in html


def test_dashboard_is_for_the_bureau_only(demo_report, preparer_client):
    assert preparer_client.get(f"/review/{demo_report.period.year}/").status_code == 403


def test_dashboard_latest_redirects_to_the_newest_period(demo_report, reviewer_client):
    response = reviewer_client.get("/review/")
    assert (response.status_code, response.headers["Location"]) == (302, "/review/2023/")


def test_dashboard_pages_of_one_hundred(demo_report, reviewer_client):
    add_departments(demo_report.period, 120)
    first = reviewer_client.get(f"/review/{demo_report.period.year}/?status=draft")
    second = reviewer_client.get(f"/review/{demo_report.period.year}/?status=draft&page=2")
    assert (len(first.context["rows"]), len(second.context["rows"]), first.context["shown"]) == (100, 21, 121)
    assert 'href="?status=draft&amp;page=2"' in first.content.decode()


def test_cached_dashboard_shows_a_transition_at_once(ready_report, preparer, reviewer_client):
    url = f"/review/{ready_report.period.year}/"
    assert 'data-department="zzxfj" data-status="draft"' in reviewer_client.get(url).content.decode()
    services.submit_report(report=ready_report, user=preparer)
    assert 'data-department="zzxfj" data-status="submitted"' in reviewer_client.get(url).content.decode()
