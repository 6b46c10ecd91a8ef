"""A preparer edits an indicator in Chromium, sees the rule score and a finding appear, fixes it, sees it go."""

import re

import pytest
from playwright.sync_api import expect

from perfeval.filing.models import Indicator


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_preparer_edits_indicator_and_sees_rule_score_and_finding(login_page, live_server, demo_report):
    row = Indicator.objects.get(scorecard__kind="department", name="督办信访事项数量")
    page = login_page("zzxfj_preparer")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/edit/attachment2/")
    indicator = page.locator(f'[id="p-att2-indicator:{row.pk}"]')
    findings = page.locator('[data-testid="finding"][data-code="IND_OVER_ACHIEVED_NO_REASON"]')
    over = findings.filter(has_text="督办信访事项数量")
    expect(indicator.get_by_test_id("rule-steps")).to_contain_text("实际 220 ≥ 目标 200，达成，得满分 4")
    expect(over).to_have_count(0)

    # 300 beats the ≥200 target by 50%: full marks by rule, and a warning that the target was set too low.
    page.fill(f'[id="p-att2-indicator:{row.pk}-actual"]', "300")
    page.fill(f'[id="p-att2-indicator:{row.pk}-actual_value"]', "300")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_have_text("已保存。")
    expect(indicator.get_by_test_id("rule-score")).to_have_text(re.compile(r"^\s*4\s*$"))
    expect(indicator.get_by_test_id("rule-steps")).to_contain_text("实际 300 ≥ 目标 200，达成，得满分 4")
    expect(indicator.get_by_test_id("rule-steps")).to_contain_text("超出目标 200 的 50%")
    expect(over).to_have_count(1)
    expect(over).to_contain_text("实际 300 超出目标 200 的 50%，超过 20%，目标可能定得偏低")

    # The finding links to the field: the page scrolls to it and highlights it.
    over.locator("a.finding-link").click()
    expect(page.locator(f'[id="p-att2-indicator:{row.pk}-deviation_reason"]')).to_have_class(
        re.compile("finding-target")
    )

    page.fill(f'[id="p-att2-indicator:{row.pk}-actual"]', "220")
    page.fill(f'[id="p-att2-indicator:{row.pk}-actual_value"]', "220")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_have_text("已保存。")
    expect(indicator.get_by_test_id("rule-steps")).to_contain_text("实际 220 ≥ 目标 200，达成，得满分 4")
    expect(over).to_have_count(0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_preparer_sees_bad_score_refused_in_the_browser(login_page, live_server, demo_report):
    row = Indicator.objects.get(scorecard__kind="department", name="督办信访事项数量")
    page = login_page("zzxfj_preparer")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/edit/attachment2/")
    page.fill(f'[id="p-att2-indicator:{row.pk}-score"]', "9")
    page.get_by_test_id("save").click()
    score = page.locator(f'[id="p-att2-indicator:{row.pk}-score"]')
    expect(score).to_have_value("9")
    expect(score).to_have_class(re.compile("is-invalid"))
    expect(page.locator(f'[id="p-att2-indicator:{row.pk}"] .invalid-feedback')).to_have_text(
        "得分 9 不能高于分值 4"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_check_panel_link_opens_the_field_highlighted(login_page, live_server, demo_report):
    page = login_page("zzxfj_preparer")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/check/")
    finding = page.locator('[data-testid="finding"][data-code="ATT1_SUM_MISMATCH"]').filter(
        has_text="2023年决算数"
    )
    expect(finding).to_contain_text("三公经费 2023年决算数 24.19 ≠ 23.73 + 0.46 + 0.46 = 24.65")
    finding.get_by_role("link", name="附件1 · 三公经费 · 2023年决算数").click()
    expect(page).to_have_url(re.compile(r"/edit/attachment1/#p-att1-sangong-final$"))
    expect(page.locator('[id="p-att1-sangong-final"]')).to_have_class(re.compile("finding-target"))
    # The total keeps its printed 24.19 with the choice beside it; the likely wrong part is one link away.
    expect(page.get_by_test_id("printed-expense:sangong:final")).to_have_text("原填 24.19")
    page.go_back()
    finding.get_by_test_id("suspect-link").click()
    expect(page).to_have_url(re.compile(r"/edit/attachment1/#p-att1-abroad-final$"))
    expect(page.locator('[id="p-att1-abroad-final"]')).to_have_class(re.compile("finding-target"))
    expect(page.get_by_test_id("suspect-abroad-final")).to_contain_text("可能有误")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_preparer_adds_indicator_row_with_the_button(login_page, live_server, demo_report):
    page = login_page("zzxfj_preparer")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/edit/attachment2/")
    page.locator('[data-add-row="ind-quantity"]').click()
    total = int(page.locator("#id_ind-quantity-TOTAL_FORMS").input_value())
    new = f"ind-quantity-{total - 1}"
    page.fill(f'[name="{new}-name"]', "网上信访占比")
    page.fill(f'[name="{new}-target_text"]', "≥60%")
    page.fill(f'[name="{new}-actual_text"]', "65%")
    page.fill(f'[name="{new}-weight"]', "0")
    page.fill(f'[name="{new}-score"]', "0")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_have_text("已保存。")
    added = Indicator.objects.get(name="网上信访占比")
    assert (added.level2, added.operator, added.target_value, added.target_unit, added.actual_value) == (
        "quantity", "ge", 60, "%", 65
    )  # fmt: skip
    expect(
        page.get_by_test_id("indicator").filter(has=page.locator('input[value="网上信访占比"]'))
    ).to_contain_text("实际 65 ≥ 目标 60，达成，得满分 0")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_preparer_edits_target_text_and_operator_follows(login_page, live_server, demo_report):
    row = Indicator.objects.get(scorecard__kind="department", name="督办信访事项数量")  # ≥200, actual 220
    page = login_page("zzxfj_preparer")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/edit/attachment2/")
    page.locator(f'[id="p-att2-indicator:{row.pk}-target"]').fill("≤50件")
    page.locator(f'[id="p-att2-indicator:{row.pk}-score"]').fill("0")
    page.locator(f'[id="p-att2-indicator:{row.pk}-deviation_reason"]').fill("目标改为上限")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_have_text("已保存。")
    row.refresh_from_db()
    assert (row.operator, row.target_value, row.target_unit) == ("le", 50, "件")
