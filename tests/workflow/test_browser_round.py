"""The whole round in the browser: submit, return with a pinned reason, fix, resubmit, diff, approve."""

import re
from decimal import Decimal

import pytest
from django.db.models import F
from playwright.sync_api import expect

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
    expect(page.get_by_test_id("blockers")).to_contain_text("1 个警告未填写说明")
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
    page.get_by_test_id("return").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已退回")
    logout(page)

    # The preparer sees the reason next to its place, fixes the figure and resubmits.
    login_page("zzxfj_preparer")
    page.goto(report_url)
    reason = page.get_by_test_id("return-reasons").locator('[data-place="att1|sangong|final"]')
    expect(reason).to_contain_text("附件1 · 三公经费 · 2023年决算数")
    expect(reason).to_contain_text("三公经费决算数请与公务接待核对")
    ExpenseAmount.objects.filter(report=demo_report, item_id__in=["reception", "sangong"]).update(
        final=F("final") - Decimal("0.06")
    )
    Report.objects.filter(pk=demo_report.pk).update(
        version=F("version") + 1
    )  # what the edit form does on save
    page.get_by_test_id("open-submit").click()
    page.get_by_test_id("submit").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已提交")
    logout(page)

    # The reviewer sees what changed, marks the reason resolved and approves.
    login_page("reviewer")
    page.goto(report_url)
    page.get_by_test_id("open-changes").click()
    diff = page.get_by_test_id("diff")
    expect(diff).to_contain_text("三公经费 · 本年决算数")
    expect(diff.locator("tr", has_text="三公经费 · 本年决算数")).to_contain_text("24.59")
    expect(diff.locator("tr", has_text="公务接待 · 本年决算数")).to_contain_text("0.4")
    page.get_by_test_id("resolve").click()
    expect(page.get_by_test_id("resolved")).to_be_visible()
    page.goto(report_url)
    page.get_by_test_id("approve").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已审核通过")
    expect(page).to_have_url(re.compile(rf"/reports/{demo_report.pk}/$"))
    page.get_by_test_id("open-history").click()
    actions = (
        page.get_by_test_id("history")
        .locator("tbody tr")
        .evaluate_all("rows => rows.map(r => r.dataset.action)")
    )
    assert actions == ["submit", "opened", "return", "submit", "opened", "resolve", "approve"]
    assert Report.objects.get(pk=demo_report.pk).status == "approved"
