"""The seed report (株洲市信访局 2023, /work/shared/seed/000_7ec67c2847218110.txt) built by hand, every figure as
published, so the checks can be run against the real mistakes. The Django side may reuse ``seed_report()``.

Choices where the publication is ambiguous:
- indicators are built the way an importer would: operator, number and unit from ``parse_target`` on the
  printed text, a 定性 band only where ``infer_qual_band`` can infer it (actual text = target text);
- the 45 万元 item is one project. Its canonical name is the one 正文 六 gives it,
  「市人民来访接待中心物业管理费」, because 六 is where the project itself is described; 正文 二 calls it
  「株洲市人民来访中心运行经费」, and 附件1 books it under 「2、运行维护经费」 (category "operation").
  六 also says why it has no 附件3 (「绩效不在我单位评价」), so that sentence is its no_scorecard_reason;
- 信访工作经费 (15 万元 追加, 14.93 spent) has no 附件3 and no stated reason; its carryover is not printed;
- the 楼堂馆所 table prints one row of zeros, rates included: kept as a row with reported rates 0;
- 附件2 prints 执行率 98% and 得分 10; 附件3 prints 100% and 10 on the 当年财政拨款 row, total 98.
"""

from decimal import Decimal

from perfeval.rules import data
from perfeval.rules.parsing import infer_qual_band, parse_actual, parse_target

D = Decimal
DEPARTMENT = "株洲市信访局"

# (ref, level1, level2, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施), as printed.
ATT2_INDICATORS = (
    ("ind-1", "output", "quantity", "登记接待群众来访数量", "≥10000", "14630", "4", "4", ""),
    ("ind-2", "output", "quantity", "受理办理网上信访事项数量", "≥3000", "6942", "4", "4", ""),
    ("ind-3", "output", "quantity", "登记办理群众来信数量", "≥1000", "1793", "4", "4", ""),
    ("ind-4", "output", "quantity", "督办信访事项数量", "≥200", "220", "4", "4", ""),
    ("ind-5", "output", "quality", "极端滋事事件发生数", "≤0", "0", "4", "4", ""),
    ("ind-6", "output", "quality", "重大群体性事件发生数", "≤0", "0", "4", "4", ""),
    ("ind-7", "output", "quality", "重大负面舆情发生数", "≤0", "0", "4", "4", ""),
    ("ind-8", "output", "timeliness", "接待群众来访时间", "第一时间", "第一时间", "4", "4", ""),
    ("ind-9", "output", "timeliness", "信访事项及时受理率", "100%", "100%", "4", "4", ""),
    ("ind-10", "output", "timeliness", "信访事项按期办结率", "100%", "100%", "4", "4", ""),
    ("ind-11", "benefit", "economic", "经济发展", "促进", "促进", "5", "5", ""),
    ("ind-12", "benefit", "social", "社会矛盾", "维护", "维护", "5", "5", ""),
    ("ind-13", "benefit", "ecological", "生态环境", "保护", "保护", "5", "5", ""),
    ("ind-14", "benefit", "sustainable", "社会稳定", "化解", "化解", "5", "5", ""),
    ("ind-15", "satisfaction", "beneficiary", "群众满意率", "≥80%", "98%", "10", "10", ""),
    ("ind-16", "cost", "economic_cost", "预算资金", "≤1310.8万元", "1286.3万元", "20", "20", ""),
)

ATT3_INDICATORS = (
    ("ind-17", "output", "quantity", "越级上访人员登记接待", "100%", "100%", "13", "13", ""),
    ("ind-18", "output", "quality", "信访事项办结率", "100%", "100%", "13", "13", ""),
    ("ind-19", "output", "timeliness", "群众来访接待时间", "第一时间", "第一时间", "14", "14", ""),
    ("ind-20", "benefit", "economic", "经济发展", "促进", "促进", "5", "5", ""),
    ("ind-21", "benefit", "social", "社会矛盾", "化解", "化解", "5", "5", ""),
    ("ind-22", "benefit", "ecological", "生态环境", "保护", "保护", "5", "5", ""),
    ("ind-23", "benefit", "sustainable", "社会稳定", "维护", "维护", "5", "5", ""),
    ("ind-24", "satisfaction", "beneficiary", "来访群众满意率", "80%", "98%", "10", "10", ""),
    (
        "ind-25",
        "cost",
        "economic_cost",
        "预算资金控制数",
        "425万元",
        "426.23万元",
        "20",
        "18",
        "上年退单结转2万元",
    ),
)

NOT_APPLICABLE = frozenset({"social_cost", "ecological_cost"})


def indicator_from_text(row: tuple) -> data.Indicator:
    """An indicator as an importer reads it from the printed grid."""
    ref, level1, level2, name, target_text, actual_text, weight, score, reason = row
    target, actual = parse_target(target_text), parse_actual(actual_text)
    return data.Indicator(
        ref=ref,
        level1=level1,
        level2=level2,
        name=name,
        operator=target.operator,
        target_value=target.value,
        target_unit=target.unit,
        target_text=target_text,
        actual_value=actual.value,
        actual_text=actual_text,
        qual_band=infer_qual_band(target_text, actual_text) if target.operator == "qual" else None,
        weight=D(weight),
        score=D(score),
        deviation_reason=reason,
    )


def _amounts(prior: str | None, budget: str | None, final: str | None) -> data.Amounts:
    return data.Amounts(*(None if value is None else D(value) for value in (prior, budget, final)))


EXPENSES = {
    "sangong": _amounts("25", "25", "24.19"),
    "car": _amounts("24", "24", "23.73"),
    "car_purchase": _amounts("0", "0", "0"),
    "car_operation": _amounts("24", "24", "23.73"),
    "abroad": _amounts("0", "0", "0.46"),
    "reception": _amounts("0.07", "1", "0.46"),
    "projects": _amounts("571.76", "425", "486.16"),
    "business": _amounts("72.04", "0", "14.93"),
    "operation": _amounts("76.87", "0", "45"),
    "special": _amounts("422.85", "425", "426.23"),
    "public": _amounts("141.36", "190.1", "165.53"),
    "office": _amounts("7.6", "30", "22.16"),
    "utilities_travel": _amounts("1.28", "6.12", "3.93"),
    "meetings_training": _amounts("3.44", "5", "4.15"),
    "procurement": _amounts(None, "171.28", "120.07"),  # "——" in the 2022 column
    "basic_adjustment": _amounts(None, "0", "0"),
}

SECTIONS = {
    "s1": "株洲市信访局为株洲市人民政府正处级行政单位……本部门共有编制人数 32 人，实有人数 32 人。",
    "s2": "2023 年基本支出 800.14 万元，其中人员经费 634.61 万元，公用经费 165.53 万元。2023 年部门项目支出 486.16 "
    "万元，其中信访维稳工作经费 426.23 万元，株洲市人民来访中心运行经费 45 万元，信访工作经费 14.93 万元。",
    "s3": "我单位无政府性基金预算支出",
    "s4": "我单位无国有资本经营预算支出",
    "s5": "我单位无社会保险基金预算支出",
    "s6": "（一）整体支出绩效情况……（二）项目支出绩效情况……",
    "s7": "预算编制不够精确，个别项目预算与实际执行出现偏差，主要原因是受政策的不确定性因素影响。",
    "s8": "一是加强内部机构的预算管理意识。……二是细化预算绩效目标设置内容。……",
    "s9": "无",
    "s10": "无",
}

FOOTER = {"preparer": "刘旅琴", "date": "2024.4.23", "phone": "18373311611", "head": "周胜"}


def department_scorecard() -> data.Scorecard:
    return data.Scorecard(
        ref="att2",
        kind="department",
        title=DEPARTMENT,
        funds={"total": data.FundLine(D("1310.8"), D("1286.3"), D("1286.3"))},
        execution_explanation="",
        indicators=tuple(indicator_from_text(row) for row in ATT2_INDICATORS),
        not_applicable=NOT_APPLICABLE,
        income={"general": D("1286.3"), "gov_fund": D("0"), "non_tax": D("0"), "other": D("0")},
        nature={"basic": D("800.14"), "project": D("486.16")},
        reported_execution_rate=D("98"),
        reported_execution_score=D("10"),
        reported_total_score=D("100"),
    )


def project_scorecard() -> data.Scorecard:
    return data.Scorecard(
        ref="att3-1",
        kind="project",
        title="信访维稳工作经费",
        funds={
            "current": data.FundLine(D("425"), D("426.23"), D("426.23")),
            "carryover": data.FundLine(),
            "other": data.FundLine(),
        },
        execution_explanation="",
        indicators=tuple(indicator_from_text(row) for row in ATT3_INDICATORS),
        not_applicable=NOT_APPLICABLE,
        reported_execution_rate=D("100"),
        reported_execution_score=D("10"),
        reported_total_score=D("98"),
    )


PROJECTS = (
    data.Project(
        ref="project-1",
        name="信访维稳工作经费",
        category="special",
        initial_budget=D("425"),
        adjustment=D("0"),  # 「年中执行调增 0 万元」
        actual_spent=D("426.23"),  # 「含上年退单 2 万元」
        carryover=D("0"),
        names_in_text={},
        scorecard_ref="att3-1",
        no_scorecard_reason="",
    ),
    data.Project(
        ref="project-2",
        name="市人民来访接待中心物业管理费",
        category="operation",
        initial_budget=D("0"),
        adjustment=D("45"),  # 「年中追加」
        actual_spent=D("45"),
        carryover=D("0"),
        names_in_text={"s2": "株洲市人民来访中心运行经费"},
        scorecard_ref=None,
        no_scorecard_reason="该经费是市集中办公物业管理，绩效不在我单位评价。",
    ),
    data.Project(
        ref="project-3",
        name="信访工作经费",
        category="business",
        initial_budget=D("0"),
        adjustment=D("15"),  # 「年中追加信访工作经费 15 万元」
        actual_spent=D("14.93"),
        carryover=None,  # not printed
        names_in_text={},
        scorecard_ref=None,
        no_scorecard_reason="",
    ),
)


def seed_report() -> data.Report:
    return data.Report(
        year=2023,
        department_name=DEPARTMENT,
        staff_quota=32,
        staff_actual=32,
        reported_control_rate=D("100"),
        expenses=dict(EXPENSES),
        special_rows=(data.SpecialRow("special-1", "信访维稳工作经费", _amounts("422.85", "425", "426.23")),),
        buildings=(
            data.BuildingRow(
                ref="building-1",
                name="",
                approved_area=D("0"),
                actual_area=D("0"),
                budget_investment=D("0"),
                actual_investment=D("0"),
                reported_area_rate=D("0"),
                reported_investment_rate=D("0"),
            ),
        ),
        frugality_measures="办公设备购置从严管理，非必要不得购置。",
        personnel_expense=D("634.61"),
        projects=PROJECTS,
        department_scorecard=department_scorecard(),
        project_scorecards=(project_scorecard(),),
        sections=dict(SECTIONS),
        footer=dict(FOOTER),
    )
