"""Charts as data: the histogram's bins, and the tables printed beside the dashboard's and the report page's
charts (drawing is tested in test_browser.py)."""

from decimal import Decimal

from perfeval.charts import Chart, Series, extremes_sentence, histogram
from perfeval.workflow.models import ReportSummary


def test_histogram_counts_filled_values_in_half_open_bins():
    edges = [Decimal(e) for e in (0, 60, 80, 90, 100)]
    values = [Decimal("59.99"), Decimal(60), Decimal(90), Decimal(100), Decimal("120.5"), None]
    assert histogram(values, edges, "%") == (
        ["0–60%", "60–80%", "80–90%", "90–100%", "≥100%"],
        [1, 1, 0, 1, 2],
    )


def test_chart_table_prints_blank_as_unfilled_and_drops_trailing_zeros():
    chart = Chart("k", "t", "bar", ["甲", "乙"], [Series("执行数", [Decimal("612.3400"), None])], unit="万元")
    assert chart.rows == [("甲", ["612.34"]), ("乙", ["未填"])]
    assert chart.spec["series"][0]["values"] == ["612.34", None]
    assert extremes_sentence("执行数", ["甲", "乙"], [Decimal("612.3400"), None], " 万元") == (
        "执行数：共 2 项，最高 甲（612.34 万元），最低 甲（612.34 万元），1 项未填。"
    )


def test_dashboard_charts_count_each_report_once(reviewer_client, demo_report):
    body = reviewer_client.get(f"/review/{demo_report.period.year}/").content.decode()
    summary = ReportSummary.objects.get(report=demo_report)
    rate_table = body.split('data-testid="chart-table-rate-dist"')[1].split("</table>")[0]
    # the demo's 执行率 is 全年执行数 ÷ 全年预算数 = 100% (domain.md: the seed prints 98%)
    assert summary.execution_rate == Decimal("100.00")
    assert '<th scope="row" class="fw-normal">≥100%</th><td class="text-end">1</td>' in rate_table
    assert rate_table.count('<td class="text-end">1</td>') == 1
    errors_table = body.split('data-testid="chart-table-errors"')[1].split("</table>")[0]
    assert f'<td class="text-end">{summary.errors}</td>' in errors_table


def test_report_page_chart_lists_every_project(reviewer_client, demo_report):
    body = reviewer_client.get(f"/reports/{demo_report.pk}/").content.decode()
    table = body.split('data-testid="chart-table-project-budget"')[1].split("</table>")[0]
    for project in demo_report.projects.all():
        assert project.name in table
    assert 'id="chart-project-budget-data"' in body
