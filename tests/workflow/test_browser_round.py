"""The whole round in the browser: submit, return with a pinned reason, fix in the edit form, resubmit, diff,
approve, publish, and an anonymous reader gets the public page and the PDF."""

import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from perfeval.filing.models import ExpenseAmount, FindingExplanation, Report
from tests.workflow.helpers import explain_warnings, fix_demo_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def logout(page):
    page.get_by_role("button", name="退出").click()


def test_whole_round_submit_return_fix_resubmit_approve(live_server, login_page, demo_report):
    report_url = f"{live_server.url}/reports/{demo_report.pk}/"
    fix_demo_errors(demo_report)
    explain_warnings(demo_report)
    left = FindingExplanation.objects.filter(report=demo_report).order_by("id").first()
    left.delete()  # one warning the preparer explains in the browser

    # The preparer explains the last warning and submits.
    page = login_page("zzxfj_preparer")
    page.goto(report_url)
    page.get_by_test_id("open-submit").click()
    expect(page.get_by_test_id("blockers")).to_contain_text("1 条提示未填写说明")
    form = (
        page.get_by_test_id("warning")
        .filter(has=page.locator(f'input[value="{left.place}"]'))
        .filter(has=page.locator(f'input[value="{left.code}"]'))
    )
    form.locator("textarea").fill("出国经费为上级临时安排的交流任务，已按规定报批。")
    form.get_by_role("button", name="保存说明").click()
    expect(page.get_by_test_id("blockers")).to_have_count(0)
    page.get_by_test_id("submit").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已提交")
    logout(page)

    # The reviewer returns it with a reason pinned to a cell.
    login_page("reviewer")
    page.goto(report_url)
    page.get_by_test_id("open-return").click()
    page.select_option("#id_form-0-place", "att1|sangong|final")
    page.fill("#id_form-0-text", "三公经费决算数请与公务接待核对")
    page.get_by_test_id("return-confirmed").check()
    page.get_by_test_id("return").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已退回")
    logout(page)

    # The preparer sees the reason next to its place, fixes the figure and resubmits.
    login_page("zzxfj_preparer")
    page.goto(report_url)
    reason = page.get_by_test_id("return-reasons").locator('[data-place="att1|sangong|final"]')
    expect(reason).to_contain_text("附件1 · 三公经费 · 2023年决算数")
    expect(reason).to_contain_text("三公经费决算数请与公务接待核对")
    expect(page.locator('[data-place="att1|sangong|final"][data-testid="pinned-reason"]')).to_contain_text(
        "三公经费决算数请与公务接待核对"
    )
    page.goto(f"{report_url}edit/attachment1/")
    # On the edit tab too, beside its row and in the tab's list of reasons, where the preparer answers it.
    expect(page.locator('#p-att1-sangong [data-testid="pinned-reason"]')).to_contain_text("请与公务接待核对")
    answer = page.get_by_test_id("reason-to-answer")
    answer.get_by_label("答复").fill("公务接待决算数录入有误，已改为 0.40")
    answer.get_by_test_id("reply").click()
    expect(page.locator(".alert-success")).to_contain_text("答复已保存")
    page.fill('input[name="reception__final"]', "0.40")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert ExpenseAmount.objects.get(report=demo_report, item_id="sangong").final == Decimal("24.59")
    page.goto(report_url)
    page.get_by_test_id("open-submit").click()
    page.get_by_test_id("submit").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已提交")
    logout(page)

    # The reviewer sees what changed, marks the reason resolved and approves.
    login_page("reviewer")
    page.goto(report_url)
    page.get_by_test_id("open-changes").click()
    diff = page.get_by_test_id("diff")
    expect(diff).to_contain_text("三公经费 · 2023年决算数")
    expect(diff.locator("tr", has_text="三公经费 · 2023年决算数")).to_contain_text("24.59")
    expect(diff.locator("tr", has_text="公务接待 · 2023年决算数")).to_contain_text("0.4")
    expect(page.get_by_test_id("reason-reply")).to_contain_text("公务接待决算数录入有误，已改为 0.40")
    page.get_by_test_id("resolve").click()
    expect(page.get_by_test_id("resolved")).to_be_visible()
    page.goto(report_url)
    page.get_by_test_id("approve").click()
    page.get_by_label("审核意见").fill("同意，数据已核对")
    page.get_by_label("我已核对以上内容，确认执行").check()
    page.get_by_test_id("approve-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已审核通过")
    expect(page).to_have_url(re.compile(rf"/reports/{demo_report.pk}/$"))
    page.get_by_test_id("open-history").click()
    actions = (
        page.get_by_test_id("history")
        .locator("tbody tr")
        .evaluate_all("rows => rows.map(r => r.dataset.action)")
    )
    assert actions == ["submit", "opened", "return", "submit", "opened", "resolve", "approve"]
    expect(page.get_by_test_id("history").locator('tr[data-action="approve"]')).to_contain_text(
        "同意，数据已核对"
    )
    assert Report.objects.get(pk=demo_report.pk).status == "approved"

    # The reviewer publishes through the gate; the public reads it without logging in.
    page.goto(report_url)
    page.get_by_test_id("publish-gate").click()
    page.fill("#id_published_where", "株洲市财政局门户网站")
    page.check("#id_confirm")
    page.get_by_test_id("publish").click()
    expect(page).to_have_url(re.compile(r"/public/zzxfj/2023/$"))
    logout(page)
    page.goto(f"{live_server.url}/public/")
    page.get_by_test_id("public-year-2023").locator("tr", has_text="株洲市信访局").get_by_role(
        "link", name="查看"
    ).click()
    expect(page.get_by_test_id("public-version")).to_contain_text("第 1 版")
    expect(page.locator("body")).to_contain_text("183****1611")
    expect(page.locator("body")).not_to_contain_text("18373311611")
    pdf_url = page.get_by_test_id("public-downloads").get_by_role("link", name="PDF").get_attribute("href")
    response = page.request.get(f"{live_server.url}{pdf_url}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "24.59" in text and "183****1611" in text and "18373311611" not in text
    assert Report.objects.get(pk=demo_report.pk).status == "published"
