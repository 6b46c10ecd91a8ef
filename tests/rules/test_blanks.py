"""Blank is not zero. For every arithmetic check: a wrong figure is found as 不一致 (kind "inconsistent"); the same
relation with one operand left blank finds nothing but the blank, as the one 未填 finding of its part."""

from dataclasses import replace
from decimal import Decimal

import pytest

from perfeval.rules import data
from perfeval.rules.checks import check_report, completeness

from .factories import HUNAN
from .test_checks import _att1, _att3, _dept, _dept_ind, _project, clean_report

D = Decimal


def _reported(**fields) -> data.Report:
    return replace(clean_report(), **fields)


def _building(**fields) -> data.Report:
    row = data.BuildingRow("b", "办公楼", D("1000"), D("1050"), D("200"), D("190"), D("105"), D("96"))
    return replace(clean_report(), buildings=(replace(row, **fields),))


def _special(final) -> data.Report:
    report = clean_report()
    row = replace(report.special_rows[0], amounts=data.Amounts(D("422.85"), D("425"), final))
    return replace(report, special_rows=(row,))


def _s6_paragraph(actual: str) -> data.Report:
    report = clean_report()
    paragraph = f"年初预算项目“信访维稳工作经费”425 万元，年中执行调增 1.23 万元，实际支出 {actual} 万元，结余结转 0 万元。"
    return replace(report, sections={**report.sections, "s6": f"（一）整体支出绩效情况……\n{paragraph}"})


def _income(**values) -> dict:
    return {"general": D("1286.3"), "gov_fund": D("0"), "non_tax": D("0"), "other": D("0"), **values}


def _nature(**values) -> dict:
    return {"basic": D("800.14"), "project": D("486.16"), **values}


def _total(initial="1310.8", full_year="1286.3", executed="1286.3") -> dict:
    line = data.FundLine(*(None if v is None else D(v) for v in (initial, full_year, executed)))
    return {"total": line}


# code → (a report where the relation is wrong, the same relation with one operand blank, that blank's place)
ARITHMETIC = {
    "ATT1_SUM_MISMATCH": (
        _att1(abroad=data.Amounts(D("0"), D("0.5"), D("0.5"))),
        _att1(abroad=data.Amounts(D("0"), D("0.5"), None)),
        "att1|abroad|final",
    ),
    "ATT1_SUBSET_EXCEEDS": (
        _att1(office=data.Amounts(D("7.6"), D("30"), D("200"))),
        _att1(office=data.Amounts(D("7.6"), D("30"), D("200")), public=data.Amounts(D("141.36"), D("190.1"), None)),
        "att1|public|final",
    ),
    "ATT1_ROUNDED_PARTS_MISMATCH": (
        _att1(car_purchase=data.Amounts(D("0"), D("1"), D("0.005")), car_operation=data.Amounts(D("24"), D("23"), D("23.725"))),
        _att1(car_purchase=data.Amounts(D("0"), D("1"), D("0.005")), car_operation=data.Amounts(D("24"), D("23"), None)),
        "att1|car_operation|final",
    ),
    "ATT1_BUDGET_ZERO_SPENT": (
        _att1(reception=data.Amounts(D("0.07"), D("0"), D("0.46"))),
        _att1(reception=data.Amounts(D("0.07"), None, D("0.46"))),
        "att1|reception|budget",
    ),
    "ATT1_SANGONG_OVER_BUDGET": (
        _att1(reception=data.Amounts(D("0.07"), D("0.4"), D("0.46")), sangong=data.Amounts(D("24.07"), D("24.9"), D("24.65"))),
        _att1(reception=data.Amounts(D("0.07"), D("0.4"), None), sangong=data.Amounts(D("24.07"), D("24.9"), D("24.65"))),
        "att1|reception|final",
    ),
    "ATT1_BASIC_ADJUSTMENT_MISMATCH": (
        _att1(basic_adjustment=data.Amounts(None, D("0"), D("0"))),
        _att1(basic_adjustment=data.Amounts(None, D("0"), None)),
        "att1|basic_adjustment|final",
    ),
    "ATT1_CONTROL_RATE_MISMATCH": (
        _reported(reported_control_rate=D("99")),
        _reported(reported_control_rate=D("99"), staff_actual=None),
        "att1|staff|staff_actual",
    ),
    "ATT1_BUILDING_RATE_MISMATCH": (
        _building(),
        _building(actual_investment=None),
        "att1|building:b|actual_investment",
    ),
    "ATT1_PROJECT_CATEGORY_MISMATCH": (
        _project(2, actual_spent=D("15")),
        _project(2, actual_spent=None),
        "projects|project-3|actual_spent",
    ),
    "ATT1_SPECIAL_ATT3_MISMATCH": (_special(D("426")), _special(None), "att1|special:special-1|final"),
    "ATT2_INCOME_SUM_MISMATCH": (
        _dept(income=_income(general=D("1280"))),
        _dept(income=_income(general=None)),
        "att2|income:general|executed",
    ),
    "ATT2_NATURE_SUM_MISMATCH": (
        _dept(nature=_nature(project=D("480"))),
        _dept(nature=_nature(project=None)),
        "att2|nature:project|executed",
    ),
    "ATT2_BASIC_MISMATCH": (
        _reported(personnel_expense=D("600")),
        _reported(personnel_expense=None),
        "text|s2|personnel_expense",
    ),
    "ATT2_PROJECTS_MISMATCH": (
        _att1(projects=data.Amounts(D("571.76"), D("485"), D("480"))),
        _att1(projects=data.Amounts(D("571.76"), D("485"), None)),
        "att1|projects|final",
    ),
    "EXEC_RATE_UNDEFINED": (
        _dept(funds=_total(full_year="0"), reported_execution_rate=None, reported_execution_score=None),
        _dept(funds=_total(full_year=None), reported_execution_rate=None, reported_execution_score=None),
        "att2|funds|full_year",
    ),
    "EXEC_RATE_MISMATCH": (
        _dept(reported_execution_rate=D("98")),
        _dept(reported_execution_rate=D("98"), funds=_total(executed=None)),
        "att2|funds|executed",
    ),
    "EXEC_SCORE_MISMATCH": (
        _dept(reported_execution_score=D("9")),
        _dept(reported_execution_score=D("9"), funds=_total(executed=None)),
        "att2|funds|executed",
    ),
    "EXEC_EXPLANATION_MISSING": (
        _dept(execution_explanation=""),
        _dept(execution_explanation="", funds=_total(initial=None)),
        "att2|funds|initial",
    ),
    "BUDGET_CUT_FULL_MARKS": (
        _dept(funds=_total(initial="1500")),
        _dept(funds=_total(initial=None)),
        "att2|funds|initial",
    ),
    "LEVEL1_WEIGHT_MISMATCH": (
        _dept_ind("ind-4", weight=D("5"), deviation_reason="调整分值"),
        _dept_ind("ind-4", weight=None),
        "att2|indicator:ind-4|weight",
    ),
    "WEIGHT_TOTAL_MISMATCH": (
        _dept_ind("ind-4", weight=D("5"), deviation_reason="调整分值"),
        _dept_ind("ind-4", weight=None),
        "att2|indicator:ind-4|weight",
    ),
    "TOTAL_SCORE_MISMATCH": (
        _dept_ind("ind-4", score=D("3"), deviation_reason="部分完成"),
        _dept_ind("ind-4", score=None),
        "att2|indicator:ind-4|score",
    ),
    "IND_SCORE_OUT_OF_RANGE": (
        _dept_ind("ind-4", score=D("5")),
        _dept_ind("ind-4", score=None),
        "att2|indicator:ind-4|score",
    ),
    "IND_SCORE_ABOVE_RULE": (
        _dept_ind("ind-4", actual_value=D("180"), actual_text="180", deviation_reason="未达成"),
        _dept_ind("ind-4", actual_value=None, actual_text="", deviation_reason="未达成"),
        "att2|indicator:ind-4|actual",
    ),
    "IND_DEVIATION_MISSING": (
        _dept_ind("ind-4", actual_value=D("180"), actual_text="180", score=D("3.6")),
        _dept_ind("ind-4", actual_value=None, actual_text=""),
        "att2|indicator:ind-4|actual",
    ),
    "IND_COST_ON_INITIAL": (
        _dept_ind("ind-16", target_value=D("1310.8"), target_text="≤1310.8万元"),
        replace(
            _dept_ind("ind-16", target_value=D("1310.8"), target_text="≤1310.8万元"),
            department_scorecard=replace(_dept().department_scorecard, funds=_total(initial=None)),
        ),
        "att2|funds|initial",
    ),
    "IND_OUTPUT_IS_MONEY": (
        _dept_ind("ind-4", target_value=D("1286.3"), target_unit="万元", target_text="≥1286.3万元",
                  actual_value=D("1286.3"), actual_text="1286.3万元"),
        replace(
            _dept_ind("ind-4", target_value=D("1286.3"), target_unit="万元", target_text="≥1286.3万元",
                      actual_value=D("1286.3"), actual_text="1286.3万元"),
            department_scorecard=replace(
                _dept_ind("ind-4", target_value=D("1286.3"), target_unit="万元", target_text="≥1286.3万元",
                          actual_value=D("1286.3"), actual_text="1286.3万元").department_scorecard,
                funds=_total(initial=None, full_year=None),
            ),
        ),
        "att2|funds|initial att2|funds|full_year",
    ),
    "PROJECT_INITIAL_MISMATCH": (
        _project(0, initial_budget=D("400"), adjustment=D("26.23")),
        _project(0, initial_budget=None),
        "projects|project-1|initial_budget",
    ),
    "PROJECT_BUDGET_MISMATCH": (
        _project(0, adjustment=D("0")),
        _project(0, adjustment=None),
        "projects|project-1|adjustment",
    ),
    "PROJECT_SPENT_MISMATCH": (
        _att3(funds={"current": data.FundLine(D("425"), D("426.23"), D("426"))}, reported_execution_rate=None,
              reported_execution_score=None, reported_total_score=None),
        _att3(funds={"current": data.FundLine(D("425"), D("426.23"), None)}, reported_execution_rate=None,
              reported_execution_score=None, reported_total_score=None),
        "att3:att3-1|funds:current|executed",
    ),
    "TEXT_FIGURE_MISMATCH": (
        _s6_paragraph("999.99"),
        replace(_s6_paragraph("999.99"), projects=_project(0, actual_spent=None).projects),
        "projects|project-1|actual_spent",
    ),
    "TEXT_FUND_SECTION_MISMATCH": (
        _dept(income=_income(general=D("1281.3"), gov_fund=D("5"))),
        _dept(income=_income(general=D("1281.3"), gov_fund=None)),
        "att2|income:gov_fund|executed",
    ),
}  # fmt: skip


def test_clean_report_is_complete():
    parts = completeness(clean_report(), HUNAN)
    assert [(p.table, p.filled == p.total) for p in parts] == [
        ("cover", True), ("text", True), ("att1", True), ("att2", True), ("att3:att3-1", True), ("projects", True),
        ("footer", True),
    ]  # fmt: skip


@pytest.mark.parametrize("code", list(ARITHMETIC))
def test_arithmetic_check_wrong_figure_is_inconsistent(code):
    wrong, _blanked, _places = ARITHMETIC[code]
    found = [f for f in check_report(wrong, HUNAN) if f.code == code]
    assert found and {f.kind for f in found} == {"inconsistent"}
    assert not [f for f in check_report(wrong, HUNAN) if f.kind == "blank"]


@pytest.mark.parametrize("code", list(ARITHMETIC))
def test_arithmetic_check_blank_operand_reports_only_the_blank(code):
    _wrong, blanked, places = ARITHMETIC[code]
    findings = check_report(blanked, HUNAN)
    expected = places.split()
    assert [(f.code, f.kind, [b.key for b in f.blanks]) for f in findings] == [
        ("INCOMPLETE", "blank", expected)
    ]
    assert findings[0].place.table == expected[0].split("|")[0]


def test_half_filled_report_shows_only_blanks_and_true_inconsistencies():
    """The issue's two examples: 「项目支出 312.40 ≠ 空 + 空 + 空 = 0」 and 「按收入性质分 空×4 = 0 ≠ 655.18」 are
    gone; the one real mismatch (按支出性质分) stays."""
    report = clean_report()
    blank_amounts = data.Amounts(None, None, None)
    report = replace(
        report,
        expenses={**report.expenses, "projects": data.Amounts(None, None, D("312.40")), "business": blank_amounts,
                  "operation": blank_amounts, "special": blank_amounts},
        department_scorecard=replace(
            report.department_scorecard,
            funds=_total("655.18", "655.18", "655.18"),
            income={key: None for key in ("general", "gov_fund", "non_tax", "other")},
            nature={"basic": D("300"), "project": D("312.40")},
            reported_execution_rate=None, reported_execution_score=None,
        ),
        sections={**report.sections, "s2": ""},
    )  # fmt: skip
    findings = check_report(report, HUNAN)
    assert [(f.code, f.place.key) for f in findings] == [
        ("INCOMPLETE", "att1||"),
        ("INCOMPLETE", "att2||"),
        ("ATT2_NATURE_SUM_MISMATCH", "att2|funds|executed"),
        ("ATT2_BASIC_MISMATCH", "att2|nature:basic|executed"),
    ]
    att1 = next(f for f in findings if f.place.key == "att1||")
    assert [b.key for b in att1.blanks][:3] == [
        "att1|projects|prior_final",
        "att1|projects|budget",
        "att1|business|prior_final",
    ]
    assert att1.message.startswith(
        "附件1 尚有 11 项未填（已填 45/56）：项目支出 · 2022年决算数、项目支出 · 2023年预算数、"
    )
    assert att1.severity == "error"


def test_scorecard_without_indicators_is_only_blank():
    """A new year's 附件3 with no 三级 row yet: its 一级 分值 and its 得分 are blanks, not 0 ≠ 40 and not a
    printed 总分 against a sum of nothing (issue 10)."""
    report = _att3(indicators=(), not_applicable=())
    assert [(f.code, f.kind, f.place.key) for f in check_report(report, HUNAN)] == [
        ("INCOMPLETE", "blank", "att3:att3-1||")
    ]


def test_level1_with_every_level2_not_applicable_is_inconsistent():
    """A 一级 whose every 二级 is marked 不适用 is decided: its 分值 0 ≠ the pack's weight is a real mismatch."""
    report = clean_report()
    card = report.project_scorecards[0]
    rows = tuple(i for i in card.indicators if i.level1 != "satisfaction")
    report = _att3(indicators=rows, not_applicable=(*card.not_applicable, "beneficiary"))
    assert [(f.code, f.kind, f.place.key) for f in check_report(report, HUNAN)] == [
        ("LEVEL1_WEIGHT_MISMATCH", "inconsistent", "att3:att3-1|level1:satisfaction|weight"),
        ("WEIGHT_TOTAL_MISMATCH", "inconsistent", "att3:att3-1|total|weight"),
        ("TOTAL_SCORE_MISMATCH", "inconsistent", "att3:att3-1|total|score"),  # the printed 总分 counted them
    ]


def test_completeness_counts_each_part():
    report = _dept_ind("ind-4", weight=None, score=None)
    att2 = next(p for p in completeness(report, HUNAN) if p.table == "att2")
    assert (att2.label, att2.filled, att2.total, att2.complete) == ("附件2", 92, 94, False)
    assert [b.label for b in att2.blanks] == [
        "附件2 · 督办信访事项数量 · 分值",
        "附件2 · 督办信访事项数量 · 得分",
    ]


def test_completeness_unused_fund_rows_of_att3_are_not_blanks():
    """附件3's 上年结转资金 and 其他资金 rows print empty when unused; one cell filled makes the row required."""
    report = _att3(funds={"current": data.FundLine(D("425"), D("426.23"), D("426.23")), "carryover": data.FundLine(),
                          "other": data.FundLine(None, D("1"), None)})  # fmt: skip
    att3 = next(p for p in completeness(report, HUNAN) if p.table == "att3:att3-1")
    assert [b.key for b in att3.blanks] == [
        "att3:att3-1|funds:other|initial",
        "att3:att3-1|funds:other|executed",
    ]


def test_blank_level2_and_qual_band_are_blanks_of_the_part():
    report = _dept(not_applicable=frozenset({"social_cost"}))
    report = replace(report, department_scorecard=_dept_ind("ind-8", qual_band=None).department_scorecard)
    att2 = next(p for p in completeness(report, HUNAN) if p.table == "att2")
    assert [b.key for b in att2.blanks] == ["att2|indicator:ind-8|qual_band"]


def _every_single_blank():
    """The clean report with one figure left blank, for every figure it has: (id, report, the blank's place)."""
    report = clean_report()
    for code, amounts in report.expenses.items():
        for column in ("prior_final", "budget", "final"):
            if getattr(amounts, column) is not None:
                changed = {**report.expenses, code: replace(amounts, **{column: None})}
                yield f"att1 {code} {column}", replace(report, expenses=changed), f"att1|{code}|{column}"
    card = report.department_scorecard
    for prefix in ("income", "nature"):
        for key in getattr(card, prefix):
            changed = replace(card, **{prefix: {**getattr(card, prefix), key: None}})
            yield (
                f"att2 {prefix} {key}",
                replace(report, department_scorecard=changed),
                f"att2|{prefix}:{key}|executed",
            )
    for column in ("initial", "full_year", "executed"):
        changed = replace(card, funds={"total": replace(card.funds["total"], **{column: None})})
        yield f"att2 funds {column}", replace(report, department_scorecard=changed), f"att2|funds|{column}"
    for row in card.indicators:
        for field, column in (("weight", "weight"), ("score", "score")):
            changed = replace(
                card,
                indicators=tuple(replace(r, **{field: None}) if r is row else r for r in card.indicators),
            )
            yield (
                f"att2 {row.ref} {field}",
                replace(report, department_scorecard=changed),
                f"att2|indicator:{row.ref}|{column}",
            )
    for index, project in enumerate(report.projects):
        for column in ("initial_budget", "adjustment", "actual_spent"):
            yield (
                f"project {index} {column}",
                _project(index, **{column: None}),
                f"projects|{project.ref}|{column}",
            )
    yield "personnel", _reported(personnel_expense=None), "text|s2|personnel_expense"


SINGLE_BLANKS = list(_every_single_blank())


@pytest.mark.parametrize(
    ("report", "place"), [c[1:] for c in SINGLE_BLANKS], ids=[c[0] for c in SINGLE_BLANKS]
)
def test_any_single_blank_figure_is_only_its_blank(report, place):
    """Blank is not zero, for every figure of a right report: leaving it blank gives its 未填 and nothing else."""
    assert [(f.code, [b.key for b in f.blanks]) for f in check_report(report, HUNAN)] == [
        ("INCOMPLETE", [place])
    ]
