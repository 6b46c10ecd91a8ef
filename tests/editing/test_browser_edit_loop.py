"""The edit loop in Chromium: a refused save keeps the added row, totals recompute as you type (from the
server), leaving a tab with unsaved changes asks first, and what was typed comes back as 暂存."""

import json
import re

import pytest
from playwright.sync_api import expect

from perfeval.filing.models import Indicator, Project, Scorecard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_refused_save_keeps_the_added_row(login_page, live_server, demo_report):
    row = Indicator.objects.get(scorecard__kind="department", name="督办信访事项数量")
    page = login_page("zzxfj_preparer")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/edit/attachment2/")
    page.locator('[data-add-row="ind-social"]').click()
    page.keyboard.type("信访积案化解率")
    name_field = page.locator("input:focus")
    name = name_field.get_attribute("name")
    page.fill(f'[id="p-att2-indicator:{row.pk}-score"]', "9")
    page.get_by_test_id("save").click()

    summary = page.get_by_test_id("save-refused")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("得分 9 不能高于分值 4")
    expect(page.locator(f'[name="{name}"]')).to_have_value("信访积案化解率")
    expect(page.get_by_test_id("save-hint")).to_have_text("未保存：请按页面顶部列出的问题修改后再保存。")
    summary.get_by_role("link", name=re.compile("得分 9 不能高于分值 4")).click()
    expect(page).to_have_url(re.compile(rf"#p-att2-indicator:{row.pk}-score$"))
    expect(page.locator(f'[id="p-att2-indicator:{row.pk}-score"]')).to_be_focused()
    assert not Indicator.objects.filter(name="信访积案化解率").exists()


def test_total_recomputes_as_you_type(login_page, live_server, demo_report):
    project = Project.objects.get(report=demo_report, name="信访维稳工作经费")
    page = login_page("zzxfj_preparer")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/edit/projects/{project.pk}/attachment3/")
    total = page.get_by_test_id("funds-total-executed")
    before = total.inner_text()
    posted = []
    page.on("request", lambda request: "/recompute/" in request.url and posted.append(request))
    page.fill("#id_fund-carryover-full_year", "1.23")
    page.fill("#id_fund-carryover-executed", "1.23")
    expect(total).to_have_text("427.46")
    assert before != "427.46"
    # Posted as JSON by the vendored json-enc extension, with the CSRF token in its header (editing.js).
    last = posted[-1]
    assert last.headers["content-type"] == "application/json"
    assert last.headers["x-csrftoken"]
    assert json.loads(last.post_data)["fund-carryover-executed"] == "1.23"
    card = Scorecard.objects.get(project=project)
    assert not card.fund_lines.filter(source="carryover", executed__isnull=False).exists()


def test_attachment1_sum_and_an_added_rows_rule_score_recompute_as_you_type(
    login_page, live_server, demo_report
):
    """附件1's 三公 sum and, on 附件2, the rule score of a row just added (its fields posted as JSON with the
    rest) come from the server as they are typed; nothing is saved."""
    page = login_page("zzxfj_preparer")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/edit/attachment1/")
    car = page.get_by_test_id("computed-car-final")
    assert "25.23" not in car.inner_text()
    page.fill("#p-att1-car_purchase-final", "1.50")
    expect(car).to_contain_text("25.23")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/edit/attachment2/")
    page.locator('[data-add-row="ind-social"]').click()
    page.keyboard.type("信访积案化解率")
    row = page.locator("input:focus").get_attribute("name").removesuffix("-name")
    page.select_option(f'[name="{row}-operator"]', "ge")
    for field, value in (("target_value", "90"), ("actual_value", "95"), ("weight", "2")):
        page.fill(f'[name="{row}-{field}"]', value)
    expect(page.locator(f"#c-{row}-rule_score")).to_have_text("2")
    assert not Indicator.objects.filter(name="信访积案化解率").exists()


def test_leaving_with_unsaved_changes_asks_and_draft_comes_back(login_page, live_server, demo_report):
    page = login_page("zzxfj_preparer")
    url = f"{live_server.url}/reports/{demo_report.pk}/edit/attachment2/"
    page.goto(url)
    page.fill("#p-att2-goals", "写到一半的预期目标")

    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_test_id("edit-tabs").get_by_role("link", name="附件1 基础数据").click()
    expect(page).to_have_url(url)
    assert "尚未保存的修改" in questions[0]

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("edit-tabs").get_by_role("link", name="附件1 基础数据").click()
    expect(page).to_have_url(re.compile(r"/edit/attachment1/$"))

    page.goto(url)
    expect(page.get_by_test_id("draft-restored")).to_contain_text("已恢复未保存的暂存内容")
    expect(page.locator("#p-att2-goals")).to_have_value("写到一半的预期目标")
    page.get_by_test_id("discard-draft").click()
    expect(page.get_by_test_id("draft-restored")).to_have_count(0)
    expect(page.locator("#p-att2-goals")).not_to_have_value("写到一半的预期目标")
