"""Each check on its own: a clean report (the seed with its mistakes fixed) finds nothing, and each case
breaks one thing and expects exactly the findings it causes."""

from dataclasses import replace
from decimal import Decimal

import pytest

from perfeval.rules import data
from perfeval.rules.checks import CHECKS, SEVERITY_LABELS, check_report

from .factories import CENTRAL, HUNAN, full_scorecard
from .seed_data import EXPENSES, seed_report

D = Decimal
A3 = "att3:att3-1"


def _with_indicators(scorecard: data.Scorecard, **changes_by_ref) -> data.Scorecard:
    rows = tuple(replace(row, **changes_by_ref.get(row.ref, {})) for row in scorecard.indicators)
    return replace(scorecard, indicators=rows)


def _specific_qual_texts(scorecard: data.Scorecard) -> data.Scorecard:
    """定性 rows with a checkable target and an actual that reports on it (the seed's 「促进」/「促进」 is vague)."""
    rows = tuple(
        replace(row, target_text=f"{row.name}：全年按计划推进", actual_text=f"{row.name}：已按计划完成")
        if row.operator == "qual"
        else row
        for row in scorecard.indicators
    )
    return replace(scorecard, indicators=rows)


def clean_report() -> data.Report:
    seed = seed_report()
    expenses = dict(EXPENSES)
    # 800.14 − (1310.8 − 485): the 年初 basic budget is 附件2 年初预算数 less 附件1 项目支出 预算数
    expenses["basic_adjustment"] = data.Amounts(None, D("0"), D("-25.66"))
    expenses["sangong"] = data.Amounts(D("24.07"), D("25.5"), D("24.65"))
    expenses["abroad"] = data.Amounts(D("0"), D("0.5"), D("0.46"))
    expenses["business"] = data.Amounts(D("72.04"), D("15"), D("14.93"))
    expenses["operation"] = data.Amounts(D("76.87"), D("45"), D("45"))
    expenses["projects"] = data.Amounts(D("571.76"), D("485"), D("486.16"))
    reason = {"deviation_reason": "目标定得偏低，下年度调高"}
    department = _with_indicators(
        seed.department_scorecard,
        **{"ind-1": reason, "ind-2": reason, "ind-3": reason, "ind-15": reason},
        **{"ind-9": {"operator": "ge"}, "ind-10": {"operator": "ge"}},
        # the 成本 target on the 全年预算数 the 执行率 uses
        **{"ind-16": {"target_value": D("1286.3"), "target_text": "≤1286.3万元"}},
    )
    project_card = _with_indicators(
        seed.project_scorecards[0],
        **{"ind-17": {"operator": "ge"}, "ind-18": {"operator": "ge"}},
        **{"ind-24": {"operator": "ge", **reason}},
        **{"ind-25": {"operator": "le", "target_value": D("426.23"), "target_text": "≤426.23万元"}},
    )
    projects = (
        replace(seed.projects[0], adjustment=D("1.23")),
        replace(seed.projects[1], names_in_text={}),
        replace(seed.projects[2], no_scorecard_reason="金额小，按规定不单独评价"),
    )
    return replace(
        seed,
        expenses=expenses,
        buildings=(replace(seed.buildings[0], reported_area_rate=None, reported_investment_rate=None),),
        department_scorecard=replace(
            _specific_qual_texts(department),
            reported_execution_rate=D("100"),
            execution_explanation="年中预算调减",
        ),
        project_scorecards=(
            replace(_specific_qual_texts(project_card), execution_explanation="上年退单 2 万元结转"),
        ),
        projects=projects,
        sections={
            **seed.sections,
            "s6": seed.sections["s6"].replace("年中执行调增 0 万元", "年中执行调增 1.23 万元"),
            "s9": "自评结果用于下年度预算安排，并在单位门户网站公开。",
        },
        footer={**seed.footer, "phone": "0731-28680000"},
    )


def _places(report: data.Report, pack=HUNAN) -> list[tuple[str, str, str, str]]:
    return [(f.code, f.place.table, f.place.row, f.place.column) for f in check_report(report, pack)]


def test_clean_report_has_no_findings():
    assert _places(clean_report()) == []


def _att1(**amounts) -> data.Report:
    report = clean_report()
    return replace(report, expenses={**report.expenses, **amounts})


def _dept(**fields) -> data.Report:
    report = clean_report()
    return replace(report, department_scorecard=replace(report.department_scorecard, **fields))


def _dept_ind(ref: str, **fields) -> data.Report:
    report = clean_report()
    card = _with_indicators(report.department_scorecard, **{ref: fields})
    return replace(report, department_scorecard=card)


def _att3(**fields) -> data.Report:
    report = clean_report()
    return replace(report, project_scorecards=(replace(report.project_scorecards[0], **fields),))


def _project(index: int, **fields) -> data.Report:
    report = clean_report()
    projects = list(report.projects)
    projects[index] = replace(projects[index], **fields)
    return replace(report, projects=tuple(projects))


CASES = {
    "car sum, every column": (
        _att1(car=data.Amounts(D("25"), D("24"), D("23"))),
        [("ATT1_SUM_MISMATCH", "att1", "sangong", "prior_final"), ("ATT1_SUM_MISMATCH", "att1", "sangong", "final"),
         ("ATT1_SUM_MISMATCH", "att1", "car", "prior_final"), ("ATT1_SUM_MISMATCH", "att1", "car", "final")],
    ),
    "special sum": (
        _att1(special=data.Amounts(D("422.85"), D("425"), D("426"))),
        [("ATT1_SUM_MISMATCH", "att1", "projects", "final"), ("ATT1_PROJECT_CATEGORY_MISMATCH", "att1", "special", "final"),
         ("ATT1_SUM_MISMATCH", "att1", "special", "final")],
    ),
    "其中 above its parent": (
        _att1(office=data.Amounts(D("7.6"), D("30"), D("200"))),
        [("ATT1_SUBSET_EXCEEDS", "att1", "public", "final")],
    ),
    # a blank budget is 未填, not a zero budget: no 预算外支出, no sum with it
    "spent with a blank budget": (_att1(reception=data.Amounts(D("0.07"), None, D("0.46"))), [("INCOMPLETE", "att1", "", "")]),
    "spent with a zero budget": (
        _att1(reception=data.Amounts(D("0.07"), D("0"), D("0.46")), sangong=data.Amounts(D("24.07"), D("24.5"), D("24.65"))),
        [("ATT1_SANGONG_OVER_BUDGET", "att1", "sangong", "final"), ("ATT1_BUDGET_ZERO_SPENT", "att1", "reception", "final")],
    ),
    "三公 above a non-zero budget": (
        _att1(reception=data.Amounts(D("0.07"), D("0.4"), D("0.46")), sangong=data.Amounts(D("24.07"), D("24.9"), D("24.65"))),
        [("ATT1_SANGONG_OVER_BUDGET", "att1", "reception", "final")],
    ),
    "basic adjustment ≠ the change in 基本支出": (
        _att1(basic_adjustment=data.Amounts(None, D("0"), D("0"))),
        [("ATT1_BASIC_ADJUSTMENT_MISMATCH", "att1", "basic_adjustment", "final")],
    ),
    "parts to the 元, rounded for display": (
        _att1(car_purchase=data.Amounts(D("0.005"), D("0"), D("0")), car_operation=data.Amounts(D("23.995"), D("24"), D("23.73"))),
        [("ATT1_ROUNDED_PARTS_MISMATCH", "att1", "car", "prior_final")],
    ),
    "a total printed at 2 dp of parts to the 元 agrees": (
        _att1(car_purchase=data.Amounts(D("0.0012"), D("0"), D("0"))),
        [],
    ),
    "control rate printed wrong": (
        replace(clean_report(), reported_control_rate=D("99")),
        [("ATT1_CONTROL_RATE_MISMATCH", "att1", "staff", "control_rate")],
    ),
    "control rate printed for a zero quota": (
        replace(clean_report(), staff_quota=0, reported_control_rate=D("0")),
        [("ATT1_CONTROL_RATE_MISMATCH", "att1", "staff", "control_rate")],
    ),
    "staff blank": (
        replace(clean_report(), staff_actual=None, reported_control_rate=None),
        [("INCOMPLETE", "att1", "", "")],
    ),
    "building rate printed wrong": (
        replace(clean_report(), buildings=(data.BuildingRow("b", "办公楼", D("1000"), D("1050"), D("200"), D("190"), D("105"), D("96")),)),
        [("ATT1_BUILDING_RATE_MISMATCH", "att1", "building:b", "reported_investment_rate")],
    ),
    "frugality empty": (replace(clean_report(), frugality_measures=" "), [("INCOMPLETE", "att1", "", "")]),
    "no 附件2": (replace(clean_report(), department_scorecard=None), [("ATT2_MISSING", "att2", "funds", "")]),
    "income breakdown off": (
        _dept(income={"general": D("1280"), "gov_fund": D("0"), "non_tax": D("0"), "other": D("0")}),
        [("ATT2_INCOME_SUM_MISMATCH", "att2", "funds", "executed")],
    ),
    "nature breakdown and 基本支出 off": (
        _dept(nature={"basic": D("800"), "project": D("486.16")}),
        [("TEXT_FIGURE_MISMATCH", "text", "s2", ""), ("ATT1_BASIC_ADJUSTMENT_MISMATCH", "att1", "basic_adjustment", "final"),
         ("ATT2_NATURE_SUM_MISMATCH", "att2", "funds", "executed"), ("ATT2_BASIC_MISMATCH", "att2", "nature:basic", "executed")],
    ),
    "execution score printed wrong": (
        _dept(reported_execution_score=D("9")),
        [("EXEC_SCORE_MISMATCH", "att2", "funds", "execution_score")],
    ),
    "execution rate undefined": (
        _dept(funds={"total": data.FundLine(D("1310.8"), D("0"), D("1286.3"))}, reported_execution_rate=None),
        [("BUDGET_CUT_FULL_MARKS", "att2", "funds", "full_year"), ("EXEC_RATE_UNDEFINED", "att2", "funds", "execution_rate"),
         ("EXEC_SCORE_MISMATCH", "att2", "funds", "execution_score"),
         ("TOTAL_SCORE_MISMATCH", "att2", "total", "score")],
    ),
    "total printed wrong": (_dept(reported_total_score=D("99")), [("TOTAL_SCORE_MISMATCH", "att2", "total", "score")]),
    "operator missing": (_dept_ind("ind-4", operator=None), [("IND_OPERATOR_MISSING", "att2", "indicator:ind-4", "operator")]),
    "operator invalid": (_dept_ind("ind-4", operator="gt"), [("IND_OPERATOR_MISSING", "att2", "indicator:ind-4", "operator")]),
    "target unparseable": (
        _dept_ind("ind-4", operator=None, target_value=None, target_text="完成12期培训"),
        [("IND_TARGET_UNPARSEABLE", "att2", "indicator:ind-4", "target")],
    ),
    "actual missing": (
        _dept_ind("ind-4", actual_value=None, actual_text="较多"),
        [("IND_ACTUAL_MISSING", "att2", "indicator:ind-4", "actual")],
    ),
    "unit differs": (
        _dept_ind("ind-16", actual_text="1286.3元"),
        [("IND_UNIT_MISMATCH", "att2", "indicator:ind-16", "actual")],
    ),
    "定性 without band": (_dept_ind("ind-8", qual_band=None), [("INCOMPLETE", "att2", "", "")]),
    "定性 score outside its band": (
        _dept_ind("ind-11", qual_band="partial", deviation_reason="部分达成"),
        [("IND_SCORE_OUTSIDE_BAND", "att2", "indicator:ind-11", "score")],
    ),
    "定性 lower band without reason": (
        _dept_ind("ind-11", qual_band="partial", score=D("3.5")),
        [("IND_DEVIATION_MISSING", "att2", "indicator:ind-11", "deviation_reason"), ("TOTAL_SCORE_MISMATCH", "att2", "total", "score")],
    ),
    # a blank 分值 or 得分 is 未填: no weight sum, no total with it
    "weight missing": (_dept_ind("ind-4", weight=None), [("INCOMPLETE", "att2", "", "")]),
    "score missing": (_dept_ind("ind-4", score=None), [("INCOMPLETE", "att2", "", "")]),
    "weight 0": (
        _dept_ind("ind-4", weight=D("0"), score=D("0")),
        [("LEVEL1_WEIGHT_MISMATCH", "att2", "level1:output", "weight"), ("IND_WEIGHT_NOT_POSITIVE", "att2", "indicator:ind-4", "weight"),
         ("WEIGHT_TOTAL_MISMATCH", "att2", "total", "weight"), ("TOTAL_SCORE_MISMATCH", "att2", "total", "score")],
    ),
    "score above 分值": (
        _dept_ind("ind-4", score=D("5")),
        [("IND_SCORE_OUT_OF_RANGE", "att2", "indicator:ind-4", "score"), ("TOTAL_SCORE_MISMATCH", "att2", "total", "score")],
    ),
    "negative score": (
        _dept_ind("ind-4", score=D("-1"), deviation_reason="x"),
        [("IND_SCORE_OUT_OF_RANGE", "att2", "indicator:ind-4", "score"), ("TOTAL_SCORE_MISMATCH", "att2", "total", "score")],
    ),
    "score above the rule score": (
        _dept_ind("ind-4", actual_value=D("180"), actual_text="180", deviation_reason="未达成"),
        [("IND_SCORE_ABOVE_RULE", "att2", "indicator:ind-4", "score")],
    ),
    "missed target without reason": (
        _dept_ind("ind-4", actual_value=D("180"), actual_text="180", score=D("3.6")),
        [("IND_DEVIATION_MISSING", "att2", "indicator:ind-4", "deviation_reason"), ("TOTAL_SCORE_MISMATCH", "att2", "total", "score")],
    ),
    "≤0 missed scores 0": (
        _dept_ind("ind-5", actual_value=D("1"), actual_text="1", deviation_reason="发生 1 起"),
        [("IND_SCORE_ABOVE_RULE", "att2", "indicator:ind-5", "score")],
    ),
    "score cut without reason": (
        _dept_ind("ind-4", score=D("3"), deviation_reason=""),
        [("IND_DEVIATION_MISSING", "att2", "indicator:ind-4", "deviation_reason"), ("TOTAL_SCORE_MISMATCH", "att2", "total", "score")],
    ),
    "level unknown in the pack": (
        _dept_ind("ind-4", level2="economic"),
        [("IND_LEVEL_UNKNOWN", "att2", "indicator:ind-4", "level2")],
    ),
    "不适用 with rows": (
        _dept(not_applicable=frozenset({"social_cost", "ecological_cost", "quantity"})),
        [("LEVEL2_NOT_APPLICABLE_HAS_ROWS", "att2", "level2:quantity", "not_applicable")],
    ),
    "applicable 二级 without rows": (
        _dept(not_applicable=frozenset({"social_cost"})),
        [("INCOMPLETE", "att2", "", "")],
    ),
    "execution explanation missing": (
        _dept(execution_explanation=""),
        [("EXEC_EXPLANATION_MISSING", "att2", "funds", "execution_explanation")],
    ),
    "s9 empty": (replace(clean_report(), sections={**clean_report().sections, "s9": ""}), [("INCOMPLETE", "text", "", "")]),
    "s9 「无」": (replace(clean_report(), sections={**clean_report().sections, "s9": "无"}), [("TEXT_S9_EMPTY", "text", "s9", "")]),
    "s7 empty with a deviation": (
        replace(clean_report(), sections={**clean_report().sections, "s7": "无"}),
        [("TEXT_PROBLEMS_EMPTY", "text", "s7", "")],
    ),
    "s4 empty": (replace(clean_report(), sections={**clean_report().sections, "s4": ""}), [("INCOMPLETE", "text", "", "")]),
    # 三 is drafted from 附件2's 收入性质: its own text may stay empty.
    "s3 empty, drafted from the tables": (replace(clean_report(), sections={**clean_report().sections, "s3": ""}), []),
    "ID number in text": (
        replace(clean_report(), sections={**clean_report().sections, "s10": "联系人 43020219900101123X"}),
        [("PERSONAL_NUMBER", "text", "s10", "")],
    ),
    "cover name empty": (replace(clean_report(), department_name=""), [("INCOMPLETE", "cover", "", "")]),
    "footer empty": (
        replace(clean_report(), footer={"preparer": "刘旅琴", "date": "", "phone": "0731-28680000"}),
        [("INCOMPLETE", "footer", "", "")],
    ),
    "special row without project": (
        replace(clean_report(), special_rows=(data.SpecialRow("s", "维稳经费", data.Amounts(D("422.85"), D("425"), D("426.23"))),)),
        [("ATT1_SPECIAL_NO_PROJECT", "att1", "special:s", ""), ("PROJECT_SPECIAL_NO_ROW", "projects", "project-1", "category")],
    ),
    "special row ≠ 附件3": (
        _att3(funds={"current": data.FundLine(D("425"), D("426.23"), D("426"))}, reported_execution_rate=None,
              reported_execution_score=None, reported_total_score=None),
        [("ATT1_SPECIAL_ATT3_MISMATCH", "att1", "special:special-1", "final"),
         ("PROJECT_SPENT_MISMATCH", "projects", "project-1", "actual_spent")],
    ),
    "project initial ≠ 附件3": (
        _project(0, initial_budget=D("400"), adjustment=D("26.23")),
        # 正文 六 still says 年初预算 425 and 调增 1.23
        [("PROJECT_INITIAL_MISMATCH", "projects", "project-1", "initial_budget"),
         ("TEXT_FIGURE_MISMATCH", "projects", "project-1", "s6_text"), ("TEXT_FIGURE_MISMATCH", "projects", "project-1", "s6_text")],
    ),
    "project category spent ≠ 附件1": (
        _project(2, actual_spent=D("15")),
        [("TEXT_FIGURE_MISMATCH", "text", "s2", ""), ("ATT1_PROJECT_CATEGORY_MISMATCH", "att1", "business", "final"),
         ("TEXT_FIGURE_MISMATCH", "projects", "project-3", "s6_text")],
    ),
    "project scorecard unknown": (
        _project(2, scorecard_ref="att3-9"),
        [("PROJECT_SCORECARD_UNKNOWN", "projects", "project-3", "scorecard_ref")],
    ),
    "附件3 without project": (
        _project(0, scorecard_ref=None, no_scorecard_reason="另行评价"),
        [("ATT3_NO_PROJECT", A3, "funds", "")],
    ),
    "附件3 title differs": (
        _att3(title="维稳经费"),
        [("PROJECT_NAME_INCONSISTENT", "projects", "project-1", "name")],
    ),
}  # fmt: skip


# Printed values of computed cells, and the income side of 附件2.
CASES |= {
    "grade printed wrong": (_dept(reported_grade="良"), [("GRADE_MISMATCH", "att2", "total", "grade")]),
    "grade printed right": (_dept(reported_grade="优"), []),
    "附件3 total printed 0/0/0 while its rows hold money": (
        _att3(reported_funds=data.FundLine(D("0"), D("0"), D("0"))),
        [("ATT3_FUNDS_TOTAL_MISMATCH", A3, "funds", "initial"), ("ATT3_FUNDS_TOTAL_MISMATCH", A3, "funds", "full_year"),
         ("ATT3_FUNDS_TOTAL_MISMATCH", A3, "funds", "executed")],
    ),
    "附件3 total printed as computed": (_att3(reported_funds=data.FundLine(D("425"), D("426.23"), D("426.23"))), []),
    "spending above income and carry-over": (
        _dept(revenue={"fiscal": D("1200"), "carryover": D("50"), "other": D("0")}),
        [("ATT2_SPENDING_EXCEEDS_INCOME", "att2", "funds", "executed")],
    ),
    "spending within income": (_dept(revenue={"fiscal": D("1286.3"), "carryover": D("0"), "other": D("0")}), []),
    "appropriated spending above appropriations": (
        _dept(revenue={"fiscal": D("1000"), "carryover": D("100"), "other": D("300")}),
        [("ATT2_FISCAL_SPENDING_EXCEEDS", "att2", "revenue:fiscal", "executed")],
    ),
    "income side half filled": (
        _dept(revenue={"fiscal": D("1286.3"), "carryover": None, "other": None}), [("INCOMPLETE", "att2", "", "")]
    ),
}  # fmt: skip


def test_printed_funds_total_names_the_row_that_explains_it():
    """附件3 prints 年度资金总额 全年执行数 426.23 while 其他资金 holds 2 more: the 2 is the likely mistake."""
    report = _att3(
        funds={**clean_report().project_scorecards[0].funds, "other": data.FundLine(D("0"), D("0"), D("2"))},
        reported_funds=data.FundLine(D("425"), D("426.23"), D("426.23")),
    )
    (finding,) = [f for f in check_report(report, HUNAN) if f.code == "ATT3_FUNDS_TOTAL_MISMATCH"]
    assert (finding.place.column, finding.suspect.row, finding.suspect.column) == (
        "executed",
        "funds:other",
        "executed",
    )
    assert "填报 426.23 ≠" in finding.message and "= 428.23" in finding.message


def test_grade_message_shows_the_bands():
    (finding,) = check_report(_dept(reported_grade="良"), HUNAN)
    assert finding.message.startswith("等级 填报「良」≠ 总分 100 按规则包所得「优」（优 ≥ 90")


@pytest.mark.parametrize(("report", "expected"), list(CASES.values()), ids=list(CASES))
def test_check(report, expected):
    assert _places(report) == expected


def test_checks_table_lists_every_code_with_a_severity():
    assert all(severity in SEVERITY_LABELS and text for severity, text in CHECKS.values())
    assert all(code == code.upper() for code in CHECKS)


def test_every_code_is_exercised():
    from .test_blanks import ARITHMETIC
    from .test_judgement import JUDGEMENT

    exercised = {code for _report, expected in CASES.values() for code, *_ in expected}
    exercised |= set(ARITHMETIC) | {code for code, *_ in JUDGEMENT.values()}
    exercised |= {
        "TEXT_S9_EMPTY",
        "IND_OVER_ACHIEVED_NO_REASON",
        "PERSONAL_NUMBER",
        "EXEC_RATE_MISMATCH",
        "IND_QUAL_VAGUE",
    }
    exercised |= {"PROJECT_BUDGET_MISMATCH", "PROJECT_NO_SCORECARD", "ATT2_PROJECTS_MISMATCH"}
    exercised |= {"PROJECT_FILING_EMPTY", "PROJECT_FILING_NO_SCORECARD"}  # tests/kinds/test_kind_rules.py
    exercised |= {"IND_EVIDENCE_MISSING"}  # test_evidence_required_by_the_pack
    assert set(CHECKS) - exercised == set()


def test_att2_projects_mismatch():
    report = _dept(nature={"basic": D("800.14"), "project": D("486")}, income={"general": D("1286.14")})
    assert ("ATT2_PROJECTS_MISMATCH", "att2", "nature:project", "executed") in _places(report)


def test_central_pack_reads_the_hunan_cost_level_as_unknown():
    """Under the central pack 成本 is a 二级 of 产出 (产出 50, 效益 30): the Hunan-shaped 附件3 does not fit."""
    report = clean_report()
    department = full_scorecard(
        CENTRAL,
        ref="att2",
        title=report.department_name,
        funds={"total": data.FundLine(D("1310.8"), D("1286.3"), D("1286.3"))},
        income=report.department_scorecard.income,
        nature=report.department_scorecard.nature,
        execution_explanation="年中预算调减",
        reported_total_score=D("100"),
    )
    assert _places(replace(report, department_scorecard=department), CENTRAL) == [
        ("INCOMPLETE", A3, "", ""),  # 成本指标 under 产出 has no row and is not marked 不适用
        ("LEVEL1_WEIGHT_MISMATCH", A3, "level1:output", "weight"),
        ("LEVEL1_WEIGHT_MISMATCH", A3, "level1:benefit", "weight"),
        ("IND_LEVEL_UNKNOWN", A3, "indicator:ind-25", "level2"),
    ]


# ---------------------------------------------------------------- the likely wrong cell (issue 11 item 6)


@pytest.mark.parametrize(
    ("amounts", "suspect", "hint"),
    [
        # a part equal to the difference, spent without a budget
        (
            {"abroad": data.Amounts(D("0"), D("0"), D("0.3")), "sangong": data.Amounts(D("24.07"), D("25"), D("24.19"))},
            "att1|abroad|final",
            "；可能有误的是出国经费 0.3（恰好等于差额 0.3，预算数为 0）：改为 0 后各项之和 23.73 + 0 + 0.46 = 24.19，与填报数一致",
        ),
        # a part copied from its neighbour: 公务接待 repeats 出国经费's 0.46 where 0.2 was spent
        (
            {"abroad": data.Amounts(D("0"), D("0.5"), D("0.46")), "reception": data.Amounts(D("0.07"), D("1"), D("0.46")),
             "sangong": data.Amounts(D("24.07"), D("25.5"), D("24.39"))},
            None,  # both 0.46 repeat each other and neither equals the difference 0.26: no single cell is named
            "",
        ),
        # two parts equal to the difference and to each other, both with a budget: a tie names nobody
        (
            {"abroad": data.Amounts(D("0"), D("0.5"), D("0.46")), "sangong": data.Amounts(D("24.07"), D("25.5"), D("24.19"))},
            None,
            "",
        ),
    ],
)  # fmt: skip
def test_sum_mismatch_names_the_likely_wrong_cell(amounts, suspect, hint):
    finding = next(
        f
        for f in check_report(_att1(**amounts), HUNAN)
        if f.code == "ATT1_SUM_MISMATCH" and f.place.key == "att1|sangong|final"
    )
    assert (finding.suspect.key if finding.suspect else None, finding.message.partition("；")[1:]) == (
        suspect,
        tuple(hint.partition("；")[1:]) if hint else ("", ""),
    )


def test_income_breakdown_names_the_part_equal_to_the_difference():
    report = _dept(income={"general": D("1286.3"), "gov_fund": D("0"), "non_tax": D("12"), "other": D("0")})
    finding = next(f for f in check_report(report, HUNAN) if f.code == "ATT2_INCOME_SUM_MISMATCH")
    assert finding.suspect.key == "att2|income:non_tax|executed"
    assert finding.message == (
        "按收入性质分 1286.3 + 0 + 12 + 0 = 1298.3 ≠ 全年执行数 1286.3；可能有误的是纳入专户管理的非税收入拨款 12"
        "（恰好等于差额 12）：改为 0 后各项之和 1286.3 + 0 + 0 + 0 = 1286.3，与填报数一致"
    )


def _with_evidence(counts: dict[str, int | None]) -> data.Report:
    """clean_report with each indicator's evidence count: ``counts`` by 一级 key, None (unknown) elsewhere."""
    report = clean_report()
    rows = tuple(
        replace(row, evidence=counts.get(row.level1)) for row in report.department_scorecard.indicators
    )
    return replace(report, department_scorecard=replace(report.department_scorecard, indicators=rows))


def _satisfaction_ref() -> str:
    return next(r.ref for r in clean_report().department_scorecard.indicators if r.level1 == "satisfaction")


@pytest.mark.parametrize(
    ("counts", "pack_patterns", "expected"),
    [
        ({"satisfaction": 0}, None, [("IND_EVIDENCE_MISSING", "att2", "SAT", "evidence")]),
        ({"satisfaction": 1}, None, []),
        ({}, None, []),  # the payload said nothing of evidence: nothing to judge
        ({"output": 0}, None, []),  # not an indicator the pack asks evidence for
        ({"satisfaction": 0}, (), []),  # a pack that asks for none
        # a 二级 label matches every row under it
        (
            {"output": 0},
            ("时效指标",),
            [("IND_EVIDENCE_MISSING", "att2", f"ind-{i}", "evidence") for i in (8, 9, 10)],
        ),
        (
            {"output": 0, "satisfaction": 3},
            ("来访数量",),  # a name
            [("IND_EVIDENCE_MISSING", "att2", "ind-1", "evidence")],
        ),
    ],
)
def test_evidence_required_by_the_pack(counts, pack_patterns, expected):
    pack = HUNAN if pack_patterns is None else replace(HUNAN, evidence_required=pack_patterns)
    found = [place for place in _places(_with_evidence(counts), pack) if place[0] == "IND_EVIDENCE_MISSING"]
    ref = f"indicator:{_satisfaction_ref()}"
    assert found == [
        (code, table, ref if row == "SAT" else f"indicator:{row}", column)
        for code, table, row, column in expected
    ]
