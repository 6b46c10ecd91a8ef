"""The judgement-shaped 提示 (issue 11): each fires on the mistake it names and stays silent on the right
figure next to it; plus the pieces they are built from (quoted figures, list numbering)."""

from dataclasses import replace
from decimal import Decimal

import pytest

from perfeval.rules import data
from perfeval.rules.checks import check_report
from perfeval.rules.narrative import numbering_breaks, quoted_figures

from .factories import CENTRAL, HUNAN, full_scorecard, with_indicator
from .seed_data import seed_report
from .test_checks import _att3, _dept, _dept_ind, clean_report

D = Decimal
A3 = "att3:att3-1"


def _text(**sections) -> data.Report:
    report = clean_report()
    return replace(report, sections={**report.sections, **sections})


def _no_reasons(report: data.Report) -> data.Report:
    """Every 偏差原因 and 执行情况说明 emptied, with the rows and funds that needed them made right."""
    cards = []
    for card in (report.department_scorecard, *report.project_scorecards):
        rows = tuple(replace(row, deviation_reason="", score=row.weight) for row in card.indicators)
        rows = tuple(
            replace(row, target_value=row.actual_value, target_text=row.actual_text)
            if row.operator == "ge" and row.actual_value is not None
            else row
            for row in rows
        )
        full = card.funds.get("total") or card.funds["current"]
        line = data.FundLine(full.full_year, full.full_year, full.executed)
        funds = {"total": line} if card.kind == "department" else {**card.funds, "current": line}
        cards.append(
            replace(card, indicators=rows, execution_explanation="", funds=funds, reported_total_score=None)
        )
    projects = (replace(report.projects[0], adjustment=D("1.23")), *report.projects[1:])
    return replace(
        report, department_scorecard=cards[0], project_scorecards=tuple(cards[1:]), projects=projects
    )


# name → (code, report, expected (code, table, row, column) of that code)
JUDGEMENT = {
    "七 admits deviations, no 偏差原因 anywhere": (
        "TEXT_S7_DEVIATION_UNEXPLAINED",
        _no_reasons(clean_report()),
        [("TEXT_S7_DEVIATION_UNEXPLAINED", "text", "s7", "")],
    ),
    "list numbering repeats": (
        "TEXT_NUMBERING_BROKEN",
        _text(s8="1、加强预算管理。2、细化目标。3、强化监控。4、加强培训。4、公开结果。5、整改落实。"),
        [("TEXT_NUMBERING_BROKEN", "text", "s8", "")],
    ),
    "一是 … 三是 skips": (
        "TEXT_NUMBERING_BROKEN",
        _text(s8="一是加强内部机构的预算管理意识。三是细化预算绩效目标设置内容。"),
        [("TEXT_NUMBERING_BROKEN", "text", "s8", "")],
    ),
    "goal items not adding to the stated total": (
        "GOAL_AMOUNTS_MISMATCH",
        _att3(goal_expected="安排资金共 426.23 万元，其中维稳经费 400 万元、来访接待 20 万元，保障信访工作正常开展。"),
        [("GOAL_AMOUNTS_MISMATCH", A3, "goals", "")],
    ),
    "goal restating the project name": (
        "GOAL_RESTATES_NAME",
        _att3(goal_expected="完成信访维稳工作经费项目。"),
        [("GOAL_RESTATES_NAME", A3, "goals", "")],
    ),
    "budget cut above the threshold, every indicator at full marks": (
        "BUDGET_CUT_FULL_MARKS",
        _dept(funds={"total": data.FundLine(D("1500"), D("1286.3"), D("1286.3"))}),
        [("BUDGET_CUT_FULL_MARKS", "att2", "funds", "full_year")],
    ),
    "an output indicator that is just the money": (
        "IND_OUTPUT_IS_MONEY",
        _dept_ind("ind-4", target_value=D("12863000"), target_unit="元", target_text="≥12863000元",
                  actual_value=D("12863000"), actual_text="12863000元"),
        [("IND_OUTPUT_IS_MONEY", "att2", "indicator:ind-4", "target")],
    ),
    "a 定性 target that is a bare verb": (
        "IND_QUAL_VAGUE",
        _dept_ind("ind-11", target_text="促进", actual_text="带动就业 120 人"),
        [("IND_QUAL_VAGUE", "att2", "indicator:ind-11", "target")],
    ),
    "a 定性 actual copied from its target": (
        "IND_QUAL_VAGUE",
        _dept_ind("ind-11", target_text="来访当日接待", actual_text="来访当日接待"),
        [("IND_QUAL_VAGUE", "att2", "indicator:ind-11", "target")],
    ),
    "a 成本 target on 年初 while 执行率 uses 全年": (
        "IND_COST_ON_INITIAL",
        _dept_ind("ind-16", target_value=D("1310.8"), target_text="≤1310.8万元"),
        [("IND_COST_ON_INITIAL", "att2", "indicator:ind-16", "target")],
    ),
}  # fmt: skip

SILENT = {
    "七 admits deviations, one 偏差原因 given": clean_report(),
    "numbering restarting at 1 is a new list": _text(s8="1、加强管理。2、细化目标。\n1、明年继续。2、公开结果。"),
    "（一）…（三） in order": _text(s10="（一）甲。（二）乙。（三）丙。"),
    "goal items adding up": _att3(goal_expected="安排资金共 426.23 万元，其中维稳经费 406.23 万元、来访接待 20 万元。"),
    "goal with content beyond the name": _att3(goal_expected="完成信访维稳工作经费项目，全年不发生规模聚集上访。"),
    "budget cut within the threshold": _dept(funds={"total": data.FundLine(D("1400"), D("1286.3"), D("1286.3"))}),
    "money in a 成本 indicator": _dept_ind("ind-16", target_text="≤1286.3万元"),
    "a 定性 target with content": _dept_ind("ind-11", target_text="促进就业", actual_text="带动就业 120 人"),
    "a 成本 target on 全年": clean_report(),
    "a 成本 target on 年初 when 年初 = 全年": _dept(funds={"total": data.FundLine(D("1286.3"), D("1286.3"), D("1286.3"))}),
}  # fmt: skip


@pytest.mark.parametrize(("code", "report", "expected"), list(JUDGEMENT.values()), ids=list(JUDGEMENT))
def test_judgement_check_fires(code, report, expected):
    found = [(f.code, f.place.table, f.place.row, f.place.column) for f in check_report(report, HUNAN)]
    assert [item for item in found if item[0] == code] == expected
    assert all(f.severity == "warning" for f in check_report(report, HUNAN) if f.code == code)


@pytest.mark.parametrize("report", list(SILENT.values()), ids=list(SILENT))
def test_judgement_checks_silent_on_the_right_figure(report):
    codes = {code for code, *_ in JUDGEMENT.values()}
    assert [f.code for f in check_report(report, HUNAN) if f.code in codes] == []


# ---------------------------------------------------------------- figures quoted in 正文


def test_seed_s6_project_paragraph_changed_to_999_99_is_found():
    seed = seed_report()
    report = replace(seed, sections={**seed.sections, "s6": seed.sections["s6"].replace("426.23", "999.99")})
    found = [f for f in check_report(report, HUNAN) if f.code == "TEXT_FIGURE_MISMATCH"]
    assert [(f.place.key, f.message) for f in found] == [
        (
            "projects|project-1|s6_text",
            "正文六写「实际支出 999.99 万元」，而项目「信访维稳工作经费」实际支出为 426.23：请改正文或改表，使两处一致",
        )
    ]


def test_seed_s2_figure_changed_is_found():
    seed = seed_report()
    report = replace(seed, sections={**seed.sections, "s2": seed.sections["s2"].replace("634.61", "643.61")})
    found = [f.message for f in check_report(report, HUNAN) if f.code == "TEXT_FIGURE_MISMATCH"]
    assert found == ["正文二写「人员经费 643.61 万元」，而人员经费为 634.61：请改正文或改表，使两处一致"]


LABELS = {
    "年初预算": "initial", "实际支出": "spent", "结余结转": "carryover", "结转": "carryover", "上年结转": "",
    "追加": "adjustment", "调增": "adjustment",
}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "年初预算项目“信访维稳工作经费”425 万元，年中执行调增 0 万元，实际支出 426.23 万元（含上年退单 2 万元），结余结转 0 万元。",
            [("initial", "425"), ("adjustment", "0"), ("spent", "426.23"), ("carryover", "0")],
        ),
        ("年中追加“市人民来访接待中心物业管理费”，金额 45 万元", [("adjustment", "45")]),
        # a comparison, not a quotation
        ("实际支出较年初预算减少 24.5 万元", []),
        ("比年初预算 400 万元多", []),
        # approximate
        ("实际支出约 426 万元", []),
        # the amount belongs to the nearest label before it, within the sentence
        ("实际支出情况良好。结余结转 3 万元", [("carryover", "3")]),
        # a number in another unit is no amount
        ("2023 年实际支出 426.23 万元", [("spent", "426.23")]),
        # money carried in is not the carryover out
        ("实际支出 426.23 万元，其中上年结转 2 万元", [("spent", "426.23")]),
    ],
)
def test_quoted_figures(text, expected):
    assert [(f.label, str(f.value)) for f in quoted_figures(text, LABELS)] == expected


@pytest.mark.parametrize(
    ("text", "breaks"),
    [
        ("1、甲 2、乙 3、丙 4、丁 4、戊 5、己", ["4 → 4"]),
        ("1.甲。2.乙。4.丁。", ["2 → 4"]),
        ("（一）甲（二）乙（四）丁", ["2 → 4"]),
        ("一是甲。二是乙。三是丙。", []),
        ("一是甲。二是乙。二是丙。", ["2 → 2"]),
        ("1、甲 2、乙\n1、丙 2、丁", []),
        # figures are no list items
        ("全年 426.23 万元，2024.4.23 填报，完成 10% 以上", []),
    ],
)
def test_numbering_breaks(text, breaks):
    assert numbering_breaks(text) == breaks


def test_cost_on_initial_under_the_central_pack_where_cost_is_a_level2_of_output():
    card = full_scorecard(
        CENTRAL, funds={"total": data.FundLine(D("100"), D("90"), D("90"))}, execution_explanation="调减"
    )
    card = with_indicator(card, "ind-cost", operator="le", target_value=D("100"), target_unit="万元", target_text="≤100万元",
                          actual_value=D("90"), actual_text="90万元")  # fmt: skip
    report = replace(clean_report(), department_scorecard=card)
    found = [f.place.key for f in check_report(report, CENTRAL) if f.code == "IND_COST_ON_INITIAL"]
    assert found == ["att2|indicator:ind-cost|target"]
