"""A project-only self-evaluation (项目支出绩效自评) end to end in the browser: the administrator opens a
项目支出绩效自评 period beside the year's 部门整体 one, the preparer adds a project and fills its table from blank,
the head confirms, the preparer submits, the reviewer approves and publishes, and the public pages list it."""

import re

import pytest
from playwright.sync_api import expect

from perfeval.filing.models import FilingPeriod, Report, Status
from perfeval.publishing.models import PublishedVersion
from tests.a11y import axe_violations
from tests.synthetic import CLEAN_PROJECT_INDICATORS
from tests.workflow.helpers import findings
from tests.workflow.test_browser_second_year import (
    confirm_and_submit,
    explain_every_warning,
    fill_fields,
    logout,
    save,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PROJECT = "基层业务培训"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected by the test, not served


def fill_table_from_blank(page) -> None:
    """The central framework's 项目支出绩效自评表, typed as a preparer reads it off the paper table."""
    fill_fields(page, {
        "goal_expected": "为全县基层人员开展业务培训 100 人次以上，受益群众 1000 人以上。",
        "goal_actual": "完成培训 110 人次，受益群众 1100 人。",
        "fund-current-initial": "20", "fund-current-full_year": "20", "fund-current-executed": "19",
        "fund-carryover-initial": "0", "fund-carryover-full_year": "0", "fund-carryover-executed": "0",
        "fund-other-initial": "0", "fund-other-full_year": "0", "fund-other-executed": "0",
    })  # fmt: skip
    for row in CLEAN_PROJECT_INDICATORS:
        page.locator(f'[data-add-row="ind-{row["level2"]}"]').click()
        prefix = f"ind-{row['level2']}-0-"
        values = {
            prefix + "name": row["name"],
            prefix + "target_text": row["target_text"],
            prefix + "actual_text": row["actual_text"],
            prefix + "weight": row["weight"],
            prefix + "score": row["score"],
        }
        if row["operator"] == "qual":
            values |= {prefix + "operator": "qual", prefix + "qual_band": row["qual_band"]}
        fill_fields(page, values)
    used = {row["level2"] for row in CLEAN_PROJECT_INDICATORS}
    for box in page.locator('input[name^="na-"]').evaluate_all("boxes => boxes.map(b => b.name)"):
        if box.removeprefix("na-") not in used:
            page.check(f'[name="{box}"]')


def test_project_only_filing_filed_reviewed_and_published_in_the_browser(
    live_server, login_page, demo_report
):
    # The administrator opens a 2023 项目支出绩效自评 period beside the 2023 部门整体 one.
    page = login_page("admin")
    page.goto(f"{live_server.url}/periods/")
    page.fill("#id_year", "2023")
    page.select_option("#id_kind", "project")
    page.fill("#id_deadline", "2024-05-31")
    page.select_option("#id_rule_pack", label="中央默认（财预〔2020〕10号）（v2020）")
    page.get_by_label("株洲市信访局").check()
    page.check("#id_requires_head_confirmation")
    page.get_by_role("button", name="开启填报期").click()
    expect(page.locator(".alert-success")).to_contain_text("2023 年度项目支出绩效自评填报期已开启")
    expect(page).to_have_url(re.compile(r"/review/2023/project/$"))
    period = FilingPeriod.objects.get(year=2023, kind="project")
    report = Report.objects.get(period=period, department__code="zzxfj")
    url = f"{live_server.url}/reports/{report.pk}/"
    logout(page)

    # The preparer sees both filings of the year, adds the project and fills its table from blank.
    login_page("zzxfj_preparer")
    expect(page.get_by_test_id("report-list")).to_contain_text("项目支出绩效自评")
    expect(page.get_by_test_id("report-list")).to_contain_text("部门整体支出绩效自评")
    page.goto(f"{url}edit/")
    tabs = page.get_by_test_id("edit-tabs").inner_text()
    assert "项目与自评表" in tabs and "附件1" not in tabs and "封面与正文" not in tabs
    page.goto(f"{url}edit/projects/")
    assert axe_violations(page) == []
    page.locator('[data-add-row="project"]').click()
    fill_fields(page, {"project-0-name": PROJECT})
    save(page)
    page.get_by_test_id("att3-link").click()
    expect(page.locator("h2").first).to_contain_text("2023年度项目支出绩效自评表")
    fill_table_from_blank(page)
    save(page)
    assert axe_violations(page) == []
    expect(page.get_by_test_id("execution-rate")).to_contain_text("95")
    assert [(f.code, f.message) for f in findings(report) if f.severity == "error"] == []
    explain_every_warning(page, url)
    expect(page.get_by_test_id("no-errors")).to_be_visible()
    logout(page)

    # The head confirms; the preparer submits.
    confirm_and_submit(page, login_page, url)

    # The reviewer finds it on the period's overview, approves it and publishes it.
    login_page("reviewer")
    page.goto(f"{live_server.url}/review/2023/project/")
    row = page.locator('tr[data-department="zzxfj"]')
    expect(row).to_contain_text("已提交")
    expect(row).to_contain_text("99.50")
    page.goto(url)
    expect(page.get_by_test_id("report-document")).to_contain_text("2023年度株洲市信访局项目支出绩效自评")
    page.get_by_test_id("approve").click()
    page.get_by_label("审核意见").fill("同意，项目支出绩效自评表数据已核对")
    page.get_by_label("我已核对以上内容，确认执行").check()
    page.get_by_test_id("approve-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已审核通过")
    page.goto(f"{url}publish/")
    page.get_by_label("公开日期").fill("2024-06-10")
    page.get_by_label("公开渠道").fill("株洲市财政局门户网站")
    page.get_by_label(re.compile("我已核对以上提示")).check()
    page.get_by_test_id("publish").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Report.objects.get(pk=report.pk).status == Status.PUBLISHED
    logout(page)

    # The public pages list it, labelled, and show its table.
    version = PublishedVersion.objects.get(report=report)
    assert (version.kind, version.get_absolute_url()) == ("project", "/public/zzxfj/2023/project/")
    page.goto(f"{live_server.url}/public/")
    listed = page.get_by_test_id("public-year-2023").locator("tr", has_text="项目支出绩效自评")
    expect(listed).to_contain_text("株洲市信访局")
    listed.get_by_role("link", name="查看").click()
    expect(page).to_have_url(re.compile(r"/public/zzxfj/2023/project/$"))
    expect(page.get_by_test_id("report-document")).to_contain_text(PROJECT)
    expect(page.get_by_test_id("report-document")).to_contain_text("受训人员满意度")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/portal/?kind=project")
    figures = page.get_by_test_id("portal-index").locator('tr[data-department="zzxfj"]')
    expect(figures).to_have_count(1)
    expect(figures).to_contain_text("项目支出绩效自评")
    expect(figures).to_contain_text("99.5")
