"""The seed's real mistakes, found by the general rules (no rule knows the seed)."""

from perfeval.rules.checks import CHECKS, check_report, completeness

from .factories import HUNAN
from .seed_data import seed_report

A3 = "att3:att3-1"

EXPECTED = [
    ("TEXT_S9_EMPTY", "text", "s9", ""),
    # 三公经费 2022: 25 ≠ 24 + 0 + 0.07 = 24.07; 2023: 24.19 ≠ 23.73 + 0.46 + 0.46 = 24.65
    ("ATT1_SUM_MISMATCH", "att1", "sangong", "prior_final"),
    ("ATT1_SUM_MISMATCH", "att1", "sangong", "final"),
    ("ATT1_BUDGET_ZERO_SPENT", "att1", "abroad", "final"),
    ("ATT1_BUDGET_ZERO_SPENT", "att1", "business", "final"),
    ("ATT1_BUDGET_ZERO_SPENT", "att1", "operation", "final"),
    # 部门基本支出预算调整 printed 0; 基本支出 800.14 − (年初 1310.8 − 项目 425) = −85.66
    ("ATT1_BASIC_ADJUSTMENT_MISMATCH", "att1", "basic_adjustment", "final"),
    # the 楼堂馆所 row prints 0 where a zero denominator must show "—"
    ("ATT1_BUILDING_RATE_MISMATCH", "att1", "building:building-1", "reported_area_rate"),
    ("ATT1_BUILDING_RATE_MISMATCH", "att1", "building:building-1", "reported_investment_rate"),
    # 附件2: printed 98% but 1286.3 ÷ 1286.3 = 100%; 年初 1310.8 ≠ 全年 1286.3 with no explanation
    ("EXEC_RATE_MISMATCH", "att2", "funds", "execution_rate"),
    ("EXEC_EXPLANATION_MISSING", "att2", "funds", "execution_explanation"),
    ("IND_OVER_ACHIEVED_NO_REASON", "att2", "indicator:ind-1", "deviation_reason"),  # 14630 vs ≥10000
    ("IND_OVER_ACHIEVED_NO_REASON", "att2", "indicator:ind-2", "deviation_reason"),  # 6942 vs ≥3000
    ("IND_OVER_ACHIEVED_NO_REASON", "att2", "indicator:ind-3", "deviation_reason"),  # 1793 vs ≥1000
    ("IND_QUAL_VAGUE", "att2", "indicator:ind-8", "target"),  # 第一时间 / 第一时间
    ("IND_OPERATOR_MISSING", "att2", "indicator:ind-9", "operator"),  # 100%
    ("IND_OPERATOR_MISSING", "att2", "indicator:ind-10", "operator"),  # 100%
    # 促进/维护/保护/化解, each with the actual text copied from the target
    ("IND_QUAL_VAGUE", "att2", "indicator:ind-11", "target"),
    ("IND_QUAL_VAGUE", "att2", "indicator:ind-12", "target"),
    ("IND_QUAL_VAGUE", "att2", "indicator:ind-13", "target"),
    ("IND_QUAL_VAGUE", "att2", "indicator:ind-14", "target"),
    ("IND_OVER_ACHIEVED_NO_REASON", "att2", "indicator:ind-15", "deviation_reason"),  # 98% vs ≥80%
    # 成本 ≤1310.8 = 年初预算数, while 执行率 divides by 全年 1286.3
    ("IND_COST_ON_INITIAL", "att2", "indicator:ind-16", "target"),
    # 附件3: 年初 425 ≠ 全年 426.23 with no explanation; four targets without an operator
    ("EXEC_EXPLANATION_MISSING", A3, "funds", "execution_explanation"),
    ("IND_OPERATOR_MISSING", A3, "indicator:ind-17", "operator"),  # 100%
    ("IND_OPERATOR_MISSING", A3, "indicator:ind-18", "operator"),  # 100%
    ("IND_QUAL_VAGUE", A3, "indicator:ind-19", "target"),
    ("IND_QUAL_VAGUE", A3, "indicator:ind-20", "target"),
    ("IND_QUAL_VAGUE", A3, "indicator:ind-21", "target"),
    ("IND_QUAL_VAGUE", A3, "indicator:ind-22", "target"),
    ("IND_QUAL_VAGUE", A3, "indicator:ind-23", "target"),
    ("IND_OPERATOR_MISSING", A3, "indicator:ind-24", "operator"),  # 80%
    ("IND_OPERATOR_MISSING", A3, "indicator:ind-25", "operator"),  # 425万元
    # 成本 425 = 年初预算数, while 执行率 divides by 全年 426.23
    ("IND_COST_ON_INITIAL", A3, "indicator:ind-25", "target"),
    # 正文 六 says 年初 425 + 调增 0, but 附件3 全年预算数 is 426.23
    ("PROJECT_BUDGET_MISMATCH", "projects", "project-1", "adjustment"),
    # 正文 二 and 六 name the 45 万元 item differently
    ("PROJECT_NAME_INCONSISTENT", "projects", "project-2", "name"),
    # 信访工作经费: no 附件3, no reason
    ("PROJECT_NO_SCORECARD", "projects", "project-3", "no_scorecard_reason"),
    # a personal mobile number in the public footer
    ("PERSONAL_NUMBER", "footer", "phone", ""),
]


def test_seed_findings_exact_codes_and_places_in_order():
    findings = check_report(seed_report(), HUNAN)
    assert [(f.code, f.place.table, f.place.row, f.place.column) for f in findings] == EXPECTED


def test_seed_findings_severities_come_from_the_table():
    for finding in check_report(seed_report(), HUNAN):
        assert finding.severity == CHECKS[finding.code][0]


def test_seed_is_complete_so_every_finding_is_an_inconsistency():
    findings = check_report(seed_report(), HUNAN)
    assert {f.kind for f in findings} == {"inconsistent"}
    assert all(part.complete for part in completeness(seed_report(), HUNAN))


def test_seed_sangong_finding_points_at_the_likely_wrong_cell():
    finding = next(
        f
        for f in check_report(seed_report(), HUNAN)
        if f.code == "ATT1_SUM_MISMATCH" and f.place.column == "final"
    )
    assert finding.suspect.key == "att1|abroad|final"
    assert finding.suspect.label == "附件1 · 出国经费 · 2023年决算数"


def test_seed_prior_year_sangong_names_no_suspect():
    """25 ≠ 24 + 0 + 0.07: no single part explains −0.93, so no cell is named."""
    finding = next(
        f
        for f in check_report(seed_report(), HUNAN)
        if f.code == "ATT1_SUM_MISMATCH" and f.place.column == "prior_final"
    )
    assert finding.suspect is None


def test_seed_messages_show_the_arithmetic():
    messages = {(f.code, f.place.row, f.place.column): f.message for f in check_report(seed_report(), HUNAN)}
    # the likely wrong cell: 出国经费 0.46 has no budget and repeats 公务接待; at 0 the parts give 24.19
    assert messages[("ATT1_SUM_MISMATCH", "sangong", "final")] == (
        "三公经费 2023年决算数 24.19 ≠ 23.73 + 0.46 + 0.46 = 24.65；可能有误的是出国经费 0.46（恰好等于差额 0.46，"
        "与相邻的公务接待相同，预算数为 0）：改为 0 后各项之和 23.73 + 0 + 0.46 = 24.19，与填报数一致"
    )
    assert messages[("ATT1_BASIC_ADJUSTMENT_MISMATCH", "basic_adjustment", "final")] == (
        "部门基本支出预算调整 2023年决算数 0 ≠ 附件2 基本支出 800.14 − （附件2 年初预算数 1310.8 − 附件1 项目支出 "
        "2023年预算数 425）= -85.66"
    )
    assert messages[("IND_COST_ON_INITIAL", "indicator:ind-16", "target")] == (
        "成本目标 ≤1310.8万元 = 年初预算数 1310.8，而执行率按全年预算数 1286.3 计算：目标应以全年预算数为准，或说明为何仍按年初"
    )
    assert messages[("IND_COST_ON_INITIAL", "indicator:ind-25", "target")] == (
        "成本目标 425万元 = 年初预算数 425，而执行率按全年预算数 426.23 计算：目标应以全年预算数为准，或说明为何仍按年初"
    )
    assert (
        messages[("ATT1_SUM_MISMATCH", "sangong", "prior_final")]
        == "三公经费 2022年决算数 25 ≠ 24 + 0 + 0.07 = 24.07"
    )
    assert messages[("EXEC_RATE_MISMATCH", "funds", "execution_rate")] == (
        "执行率 填报 98% ≠ 计算值 100%：执行率 = 全年执行数 1286.3 ÷ 全年预算数 1286.3 = 100%"
    )
    assert messages[("ATT1_BUDGET_ZERO_SPENT", "abroad", "final")] == (
        "出国经费 2023年预算数为 0，2023年决算数却为 0.46：预算外支出，请说明"
    )
    assert messages[("PROJECT_NAME_INCONSISTENT", "project-2", "name")] == (
        "同一项目使用了 2 个名称：「市人民来访接待中心物业管理费」（项目名称）、「株洲市人民来访中心运行经费」（正文二）"
    )
    assert messages[("PROJECT_BUDGET_MISMATCH", "project-1", "adjustment")] == (
        "项目「信访维稳工作经费」年初预算 425 + 年中调整 0 = 425 ≠ 附件3 全年预算数 426.23"
    )


def test_seed_labels_name_the_place():
    labels = {
        (f.code, f.place.table, f.place.row, f.place.column): f.place.label
        for f in check_report(seed_report(), HUNAN)
    }
    assert labels[("ATT1_SUM_MISMATCH", "att1", "sangong", "final")] == "附件1 · 三公经费 · 2023年决算数"
    assert labels[("IND_OPERATOR_MISSING", A3, "indicator:ind-25", "operator")] == (
        "附件3（信访维稳工作经费） · 预算资金控制数 · 指标方向"
    )
    assert (
        labels[("TEXT_S9_EMPTY", "text", "s9", "")] == "正文 · 九、部门整体支出绩效自评结果拟应用和公开情况"
    )


def test_seed_rule_and_self_scores():
    from perfeval.rules.scoring import scorecard_result

    report = seed_report()
    department = scorecard_result(report.department_scorecard, HUNAN)
    project = scorecard_result(report.project_scorecards[0], HUNAN)
    assert (department.self_total, department.grade, department.execution.rate) == (100, "优", 100)
    assert (project.self_total, project.grade, project.rule_total) == (98, "优", None)
    assert project.indicators["ind-25"].steps == [
        "年度指标值「425万元」未选择指标方向（≥、≤、= 或定性），无法计分"
    ]
