"""The reviewer dashboard: how late each department is (also once submitted), the filters by status,
completeness and grade, and the xlsx of the same rows read back with openpyxl."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from perfeval.orgs.models import Department
from perfeval.workflow import services
from perfeval.workflow.dashboard import COLUMNS, DashboardFilters, dashboard_rows, deadline_note


def rows_by_code(period, today):
    return {row.department_code: row for row in dashboard_rows(period, today=today)}


@pytest.mark.parametrize(
    ("days_left", "late", "submitted", "expected"),
    [
        (5, None, False, "剩余 5 天"),
        (0, None, False, "今天截止"),
        (-12, 12, False, "逾期 12 天"),
        (-900, 944, True, "逾期 944 天提交"),
        (-900, None, True, "按期提交"),
    ],
)
def test_deadline_note(days_left, late, submitted, expected):
    assert deadline_note(days_left, late, submitted=submitted) == expected


def test_submitted_late_shows_how_late(period, ready_report, preparer, reviewer_client):
    services.submit_report(report=ready_report, user=preparer)
    today = timezone.localdate()
    late = (today - period.deadline).days  # submitted today, long after the 2023 deadline
    demo = rows_by_code(period, today)["zzxfj"]
    assert (demo.late_days, demo.overdue, demo.deadline_note) == (late, False, f"逾期 {late} 天提交")
    body = reviewer_client.get("/review/2023/").content.decode()
    assert f'<td data-testid="deadline"><span class="text-danger">逾期 {late} 天提交</span></td>' in body


def test_on_time_and_waiting_rows(period, ready_report, preparer):
    services.submit_report(report=ready_report, user=preparer)
    # Seen from before the deadline: the submission was "late" only if it came after the deadline.
    rows = rows_by_code(period, period.deadline - timedelta(days=3))
    assert rows["zzmzj"].deadline_note == "剩余 3 天"
    assert rows["zzmzj"].late_days is None
    rows = rows_by_code(period, period.deadline + timedelta(days=10))
    assert (rows["zzsfj"].deadline_note, rows["zzsfj"].late_days) == ("逾期 10 天", 10)


def codes(client, query=""):
    body = client.get(f"/review/2023/?{query}").content.decode()
    return re.findall(r'<tr data-department="(\w+)"', body)


def test_filters_by_status_completeness_and_grade(period, ready_report, preparer, reviewer_client):
    """株洲市财政局's 2023 period: 株洲市信访局 submitted; 株洲市民政局, 株洲市司法局 and 株洲市社会福利院 without a
    report."""
    services.submit_report(report=ready_report, user=preparer)
    waiting = ["zzmzj", "zzsfj", "zzsfly"]
    assert codes(reviewer_client) == [*waiting, "zzxfj"]
    assert codes(reviewer_client, "status=submitted") == ["zzxfj"]
    assert codes(reviewer_client, "status=missing") == waiting
    assert codes(reviewer_client, "completeness=complete") == ["zzxfj"]
    assert codes(reviewer_client, "completeness=incomplete") == waiting
    assert codes(reviewer_client, "grade=%E4%BC%98") == ["zzxfj"]  # 优
    assert codes(reviewer_client, "grade=%E5%B7%AE") == []  # 差
    assert codes(reviewer_client, "grade=none") == waiting
    assert codes(reviewer_client, "grade=none&completeness=complete") == []
    assert codes(reviewer_client, "status=submitted&completeness=complete&grade=%E4%BC%98") == ["zzxfj"]
    # A value the page does not offer is ignored, never an error.
    assert codes(reviewer_client, "grade=A%27&completeness=%00&status=x") == [*waiting, "zzxfj"]


def test_bureau_filter_shows_a_lower_bureau_read_only(period, reviewer_client, users):
    """株洲市财政局 reads 芦淞区财政局's dashboard, without 催报; 芦淞区's reviewer sees its own and not the city's."""
    page = reviewer_client.get("/review/2023/").content.decode()
    assert re.findall(r'<option value="([\w-]+)"[^>]*>(株洲市[^<]*财政局)</option>', page) == [
        ("zhuzhou", "株洲市财政局"),
        ("zhuzhou-lusong", "株洲市芦淞区财政局"),
    ]
    assert 'id="remind-form"' in page
    lower = reviewer_client.get("/review/2023/?bureau=zhuzhou-lusong&status=missing").content.decode()
    assert codes(reviewer_client, "bureau=zhuzhou-lusong") == ["lsjyj"]
    assert "下级财政部门，只读" in lower and 'id="remind-form"' not in lower
    assert '<div class="dashboard-read-only">' in lower
    assert 'href="/review/2023/export.xlsx?bureau=zhuzhou-lusong&amp;status=missing"' in lower
    assert 'name="bureau" value="zhuzhou-lusong"' in lower  # kept by the filter form
    _title, rows = read_xlsx(reviewer_client.get("/review/2023/export.xlsx?bureau=zhuzhou-lusong"))
    assert [row[:3] for row in rows[1:]] == [["lsjyj", "株洲市芦淞区教育局", "未创建"]]
    district = Client()
    district.force_login(users["lusong_reviewer"])
    assert codes(district) == ["lsjyj"]
    assert district.get("/review/2023/?bureau=zhuzhou").status_code == 404
    assert district.get("/review/2023/export.xlsx?bureau=zhuzhou").status_code == 404
    assert 'data-testid="bureau-filter"' not in district.get("/review/2023/").content.decode()


def test_blanks_count_comes_from_the_rules(period, demo_report):
    from django.db.models import F

    from perfeval.filing.models import Report

    Report.objects.filter(pk=demo_report.pk).update(
        frugality_measures="", s9_application="", version=F("version") + 1
    )
    assert rows_by_code(period, date(2024, 4, 1))["zzxfj"].blanks == 2
    assert rows_by_code(period, date(2024, 4, 1))["zzmzj"].blanks is None


def read_xlsx(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    return sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_holds_the_rows_and_filters_of_the_page(period, ready_report, preparer, reviewer_client):
    services.submit_report(report=ready_report, user=preparer)
    page = reviewer_client.get("/review/2023/?completeness=incomplete&overdue=1").content.decode()
    assert 'href="/review/2023/export.xlsx?overdue=1&amp;completeness=incomplete"' in page
    title, rows = read_xlsx(reviewer_client.get("/review/2023/export.xlsx?overdue=1&completeness=incomplete"))
    late = (timezone.localdate() - period.deadline).days
    assert title == "2023年度审核总览"
    waiting = [None, f"逾期 {late} 天", late, *[None] * 6]  # 提交时间 … 提示: nothing filed, nothing scored
    assert rows == [
        [t for _k, t in COLUMNS],
        ["zzmzj", "株洲市民政局", "未创建", *waiting],
        ["zzsfj", "株洲市司法局", "未创建", *waiting],
        ["zzsfly", "株洲市社会福利院", "未创建", *waiting],
    ]
    _title, everything = read_xlsx(reviewer_client.get("/review/2023/export.xlsx"))
    demo = everything[4]
    assert demo[:3] == ["zzxfj", "株洲市信访局", "已提交"]
    assert demo[4:6] == [f"逾期 {late} 天提交", late]
    assert (Decimal(str(demo[6])), demo[7], demo[9], demo[10]) == (Decimal("100"), "优", 0, 0)


def test_xlsx_keeps_every_page_and_never_a_formula(period, reviewer_client):
    period.departments.add(Department.objects.create(code="formula", name='=HYPERLINK("http://x")'))
    for i in range(120):  # more than one page of the dashboard (100)
        period.departments.add(Department.objects.create(code=f"many{i:03d}", name=f"单位{i}"))
    _title, rows = read_xlsx(reviewer_client.get("/review/2023/export.xlsx"))
    assert len(rows) == 1 + 4 + 1 + 120
    formula = next(row for row in rows if row[0] == "formula")
    assert formula[1] == '=HYPERLINK("http://x")'
    workbook = openpyxl.load_workbook(io.BytesIO(reviewer_client.get("/review/2023/export.xlsx").content))
    cell = next(c for c in workbook.active["B"] if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s"


def test_xlsx_is_the_bureaus(period, preparer_client, reviewer_client, django_assert_max_num_queries):
    assert preparer_client.get("/review/2023/export.xlsx").status_code == 403
    assert reviewer_client.get("/review/2031/export.xlsx").status_code == 404
    with django_assert_max_num_queries(17):  # the first computes the stale summaries (parts with evidence)
        assert reviewer_client.get("/review/2023/export.xlsx").status_code == 200
    with django_assert_max_num_queries(7):
        assert reviewer_client.get("/review/2023/export.xlsx").status_code == 200


def test_filters_read_from_a_query():
    filters = DashboardFilters.from_query({"status": "draft", "overdue": "1", "grade": "良", "x": "y"})
    assert filters.as_query() == "status=draft&overdue=1&grade=%E8%89%AF"
