"""The happy path of every part: change a figure, see it saved."""

from decimal import Decimal

import pytest

from perfeval.filing.checked import report_findings
from perfeval.filing.models import (
    BuildingRow,
    ExpenseAmount,
    FindingExplanation,
    FundLine,
    Indicator,
    Project,
    Report,
    Scorecard,
    SpecialRow,
)
from perfeval.filing.parts import reports_with_parts

from .conftest import indicator_prefix

pytestmark = pytest.mark.django_db


def test_text_and_cover_saved(preparer_client, page_form, demo_report, preparer):
    url, data = page_form(preparer_client, "text")
    data.update(
        {"s7_problems": "预算编制不够精细。", "phone": "0731-28680000", "personnel_expense": "634.61"}
    )
    response = preparer_client.post(url, data)
    assert response.status_code == 302
    report = Report.objects.get(pk=demo_report.pk)
    assert (report.s7_problems, report.phone, report.personnel_expense) == (
        "预算编制不够精细。",
        "0731-28680000",
        Decimal("634.61"),
    )
    assert (report.version, report.updated_by) == (demo_report.version + 1, preparer)


def test_text_page_shows_figures_from_the_tables(preparer_client, urls):
    body = preparer_client.get(urls["text"]).content.decode()
    # The same sentences the report page prints from the tables.
    assert "2023 年部门项目支出 486.16 万元，其中信访维稳工作经费 426.23 万元" in body
    assert "其中人员经费 634.61 万元，公用经费 165.53 万元。" in body


def _amount(report, code):
    row = ExpenseAmount.objects.get(report=report, item_id=code)
    return row.prior_final, row.budget, row.final


def test_attachment1_saving_keeps_printed_totals(preparer_client, page_form, demo_report):
    """No save replaces a printed figure: 三公 keeps the seed's 24.19 (and 25 for 2022) beside the sums; a 合计
    that followed its rows (公务用车) follows them again."""
    url, data = page_form(preparer_client, "attachment1")
    data["car_purchase__final"] = "1.50"
    data.update({"staff_quota": "52", "reported_control_rate": "99"})
    response = preparer_client.post(url, data)
    assert response.status_code == 302
    # 公务用车 = 1.50 + 23.73
    assert _amount(demo_report, "car")[2] == Decimal("25.23")
    assert _amount(demo_report, "sangong") == (Decimal("25.00"), Decimal("25.00"), Decimal("24.19"))
    assert _amount(demo_report, "projects")[2] == Decimal("486.16")
    report = Report.objects.get(pk=demo_report.pk)
    # A posted 控制率 is not a field of the form: the printed 100 stays.
    assert (report.staff_quota, report.reported_control_rate) == (52, Decimal("100"))


def test_attachment1_computed_sum_replaces_a_printed_total_only_when_chosen(
    preparer_client, page_form, demo_report
):
    url, data = page_form(preparer_client, "attachment1")
    data["car_purchase__final"] = "1.50"
    response = preparer_client.post(
        url, {**data, "accept_computed": ["expense:sangong:final", "control_rate"]}
    )
    assert response.status_code == 302
    # 三公 2023 = 25.23 + 0.46 + 0.46; 2022 keeps its printed 25 (not chosen).
    assert _amount(demo_report, "sangong") == (Decimal("25.00"), Decimal("25.00"), Decimal("26.15"))
    assert Report.objects.get(pk=demo_report.pk).reported_control_rate is None


def test_attachment1_correcting_the_suspect_part_agrees_with_the_printed_total(
    preparer_client, page_form, demo_report
):
    """出国经费 0.46 (budget 0, the same as 公务接待) is the likely mistake: at 0 the rows give the printed 24.19."""
    url, data = page_form(preparer_client, "attachment1")
    data["abroad__final"] = "0"
    assert preparer_client.post(url, data).status_code == 302
    assert _amount(demo_report, "sangong")[2] == Decimal("24.19")
    report = reports_with_parts().get(pk=demo_report.pk)
    sums = [(f.place.row, f.place.column) for f in report_findings(report) if f.code == "ATT1_SUM_MISMATCH"]
    assert sums == [("sangong", "prior_final")]


def test_attachment1_saving_keeps_imported_building_rates(preparer_client, page_form, demo_report):
    url, data = page_form(preparer_client, "attachment1")
    assert preparer_client.post(url, data).status_code == 302
    building = BuildingRow.objects.get(report=demo_report)
    assert (building.reported_area_rate, building.reported_investment_rate) == (Decimal("0"), Decimal("0"))
    key = f"building:{building.pk}:area"
    assert (
        preparer_client.post(
            url, {**page_form(preparer_client, "attachment1")[1], "accept_computed": key}
        ).status_code
        == 302
    )
    building.refresh_from_db()
    assert (building.reported_area_rate, building.reported_investment_rate) == (None, Decimal("0"))


def test_attachment1_special_rows_added_and_buildings_removed(preparer_client, page_form, demo_report):
    url, data = page_form(preparer_client, "attachment1")
    data.update({"special-TOTAL_FORMS": "2", "special-1-name": "信访积案化解专项", "special-1-budget": "10",
                 "special-1-final": "8.5", "building-0-DELETE": "on"})  # fmt: skip
    response = preparer_client.post(url, data)
    assert response.status_code == 302
    names = list(SpecialRow.objects.filter(report=demo_report).values_list("name", "final"))
    assert names == [("信访维稳工作经费", Decimal("426.23")), ("信访积案化解专项", Decimal("8.50"))]
    assert _amount(demo_report, "special")[2] == Decimal("434.73")
    assert _amount(demo_report, "projects")[2] == Decimal("494.66")
    assert not BuildingRow.objects.filter(report=demo_report).exists()


def test_attachment2_indicator_changed_and_printed_values_kept(preparer_client, page_form):
    url, data = page_form(preparer_client, "attachment2")
    row = Indicator.objects.get(scorecard__kind="department", name="登记接待群众来访数量")
    prefix = indicator_prefix(data, row)
    data[f"{prefix}-deviation_reason"] = "来访量受政策影响大幅上升，明年提高目标"
    data["fund-total-executed"] = "1280.00"
    data["execution_explanation"] = "年中调减预算"
    response = preparer_client.post(url, data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.deviation_reason == "来访量受政策影响大幅上升，明年提高目标"
    card = Scorecard.objects.get(kind="department")
    assert card.fund_lines.get(source="total").executed == Decimal("1280.00")
    # The printed 98% / 10 / 100 stay until the preparer chooses the computed figures.
    assert (card.reported_execution_rate, card.reported_execution_score, card.reported_total_score) == (
        Decimal("98"), Decimal("10"), Decimal("100"),
    )  # fmt: skip
    data = page_form(preparer_client, "attachment2")[1]
    response = preparer_client.post(url, {**data, "accept_computed": ["execution_rate", "total_score"]})
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.reported_execution_rate, card.reported_execution_score, card.reported_total_score) == (
        None, Decimal("10"), None,
    )  # fmt: skip


def test_attachment2_indicator_added_removed_and_not_applicable(preparer_client, page_form):
    url, data = page_form(preparer_client, "attachment2")
    removed = Indicator.objects.get(scorecard__kind="department", name="生态环境")
    data[f"{indicator_prefix(data, removed)}-DELETE"] = "on"
    data["na-ecological"] = "on"
    total = int(data["ind-social-TOTAL_FORMS"])
    data["ind-social-TOTAL_FORMS"] = str(total + 1)
    data.update({f"ind-social-{total}-{k}": v for k, v in {
        "name": "信访积案化解率", "operator": "ge", "target_text": "≥90%", "target_value": "90", "target_unit": "%",
        "actual_text": "95%", "actual_value": "95", "weight": "0", "score": "0"}.items()})  # fmt: skip
    response = preparer_client.post(url, data)
    assert response.status_code == 302
    card = Scorecard.objects.get(kind="department")
    assert not Indicator.objects.filter(pk=removed.pk).exists()
    added = card.indicators.get(name="信访积案化解率")
    assert (added.level1, added.level2, added.operator, added.target_value) == ("benefit", "social", "ge", 90)
    assert sorted(card.not_applicable) == ["ecological", "ecological_cost", "social_cost"]


def test_attachment3_total_computed_from_sources(preparer_client, page_form, urls):
    url, data = page_form(preparer_client, "attachment3")
    data.update(
        {
            "fund-carryover-full_year": "1.23",
            "fund-carryover-executed": "1.23",
            "fund-current-full_year": "425",
        }
    )
    response = preparer_client.post(url, data)
    assert response.status_code == 302
    card = Scorecard.objects.get(kind="project")
    assert card.fund_lines.get(source="carryover").executed == Decimal("1.23")
    body = preparer_client.get(urls["attachment3"]).content.decode()
    assert 'data-testid="funds-total-executed"><span id="c-funds-executed">427.46<' in body


def test_projects_added_with_scorecard_and_scorecard_dropped(preparer_client, page_form, demo_report):
    url, data = page_form(preparer_client, "projects")
    total = int(data["project-TOTAL_FORMS"])
    data["project-TOTAL_FORMS"] = str(total + 1)
    data.update({f"project-{total}-name": "信访信息化建设", f"project-{total}-category": "business",
                 f"project-{total}-actual_spent": "12", f"project-{total}-with_scorecard": "on"})  # fmt: skip
    special = Project.objects.get(report=demo_report, name="信访维稳工作经费")
    index = next(k for k, v in data.items() if k.endswith("-id") and v == str(special.pk)).split("-")[1]
    del data[f"project-{index}-with_scorecard"]
    response = preparer_client.post(url, data)
    assert response.status_code == 302
    added = Project.objects.get(report=demo_report, name="信访信息化建设")
    assert list(added.scorecard.fund_lines.values_list("source", flat=True).order_by("source")) == [
        "carryover", "current", "other"
    ]  # fmt: skip
    assert not Scorecard.objects.filter(project=special).exists()


def test_project_removed(preparer_client, page_form, demo_report):
    url, data = page_form(preparer_client, "projects")
    victim = Project.objects.get(report=demo_report, name="信访工作经费")
    index = next(k for k, v in data.items() if k.endswith("-id") and v == str(victim.pk)).split("-")[1]
    data[f"project-{index}-DELETE"] = "on"
    assert preparer_client.post(url, data).status_code == 302
    assert list(Project.objects.filter(report=demo_report).values_list("name", flat=True)) == [
        "信访维稳工作经费", "市人民来访接待中心物业管理费"
    ]  # fmt: skip


def test_warning_explanation_stored(preparer_client, page_form, demo_report):
    url, data = page_form(preparer_client, "check")
    code_field = next(k for k, v in data.items() if k.endswith("-code") and v == "PERSONAL_NUMBER")
    prefix = code_field.removesuffix("-code")
    data[f"{prefix}-text"] = "公开版本已遮盖手机号"
    assert preparer_client.post(url, data).status_code == 302
    stored = FindingExplanation.objects.get(report=demo_report)
    assert (stored.code, stored.place, stored.text) == (
        "PERSONAL_NUMBER",
        "footer|phone|",
        "公开版本已遮盖手机号",
    )
    body = preparer_client.get(url).content.decode()
    assert "公开版本已遮盖手机号" in body


def test_fund_line_post_for_other_source_kept_per_scorecard(preparer_client, page_form):
    url, data = page_form(preparer_client, "attachment3")
    assert preparer_client.post(url, data).status_code == 302
    assert FundLine.objects.filter(scorecard__kind="project", source="total").count() == 0
