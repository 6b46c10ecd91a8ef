from dataclasses import replace
from decimal import Decimal

import pytest

from perfeval.rules import data
from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, rule_pack_from_dict
from perfeval.rules.scoring import (
    Att1Computed,
    BuildingRates,
    attachment1_computed,
    building_rates,
    execution,
    fund_total,
    grade,
    rule_score,
    scorecard_result,
)

from .factories import CENTRAL, HUNAN, full_scorecard, indicator, qual, with_indicator
from .seed_data import seed_report

D = Decimal
INITIAL_PACK = rule_pack_from_dict(
    {**HUNAN_ZHUZHOU_2023, "execution": {**HUNAN_ZHUZHOU_2023["execution"], "denominator": "initial"}}
)


# ---------------------------------------------------------------- quantitative rule scores


@pytest.mark.parametrize(
    ("operator", "target", "actual", "weight", "score", "met", "step"),
    [
        ("ge", "10000", "14630", "4", "4.00", True, "实际 14630 ≥ 目标 10000，达成，得满分 4"),
        ("ge", "100", "100", "10", "10.00", True, "实际 100 ≥ 目标 100，达成，得满分 10"),
        ("ge", "100", "80", "10", "8.00", False, "实际 80 < 目标 100，未达成：80 ÷ 100 × 10 = 8"),
        (
            "ge",
            "4000",
            "3989",
            "20",
            "19.95",
            False,
            "实际 3989 < 目标 4000，未达成：3989 ÷ 4000 × 20 = 19.95",
        ),
        ("ge", "3", "2", "10", "6.67", False, "实际 2 < 目标 3，未达成：2 ÷ 3 × 10 = 6.67"),
        (
            "ge",
            "100",
            "0",
            "10",
            "0.00",
            False,
            "实际 0 < 目标 100，未达成：没有可用的比值（目标或实际 ≤ 0），得 0",
        ),
        (
            "ge",
            "0",
            "-1",
            "10",
            "0.00",
            False,
            "实际 -1 < 目标 0，未达成：没有可用的比值（目标或实际 ≤ 0），得 0",
        ),
        ("le", "0", "0", "4", "4.00", True, "实际 0 ≤ 目标 0，达成，得满分 4"),
        (
            "le",
            "0",
            "1",
            "4",
            "0.00",
            False,
            "实际 1 > 目标 0，未达成：没有可用的比值（目标或实际 ≤ 0），得 0",
        ),
        ("le", "1310.8", "1286.3", "20", "20.00", True, "实际 1286.3 ≤ 目标 1310.8，达成，得满分 20"),
        (
            "le",
            "425",
            "426.23",
            "20",
            "19.94",
            False,
            "实际 426.23 > 目标 425，未达成：425 ÷ 426.23 × 20 = 19.94",
        ),
        ("le", "425", "425", "20", "20.00", True, "实际 425 ≤ 目标 425，达成，得满分 20"),
        ("eq", "100", "100", "10", "10.00", True, "实际 100 = 目标 100，达成，得满分 10"),
        ("eq", "100", "90", "10", "9.00", False, "实际 90 ≠ 目标 100，未达成：90 ÷ 100 × 10 = 9"),
        ("eq", "100", "110", "10", "9.09", False, "实际 110 ≠ 目标 100，未达成：100 ÷ 110 × 10 = 9.09"),
        (
            "eq",
            "0",
            "1",
            "10",
            "0.00",
            False,
            "实际 1 ≠ 目标 0，未达成：没有可用的比值（目标或实际 ≤ 0），得 0",
        ),
    ],
)
def test_rule_score_quantitative(operator, target, actual, weight, score, met, step):
    result = rule_score(indicator(operator, target, actual, weight), HUNAN)
    assert (result.score, result.met, result.steps) == (D(score), met, [step])
    assert (result.min_score, result.max_score, result.max_inclusive) == (D(0), D(score), True)


def test_rule_score_rounds_half_up_from_19_945():
    result = rule_score(indicator("ge", "4000", "3989", "20"), HUNAN)
    assert result.raw_score == D("19.945")
    assert result.score == D("19.95")


@pytest.mark.parametrize(
    ("fields", "step"),
    [
        ({"weight": None}, "分值未填，无法计分"),
        (
            {"operator": None, "target_text": "100%"},
            "年度指标值「100%」未选择指标方向（≥、≤、= 或定性），无法计分",
        ),
        ({"target_value": None, "target_text": "≥"}, "年度指标值「≥」没有可计算的数值，无法计分"),
        ({"actual_value": None, "actual_text": "较多"}, "实际完成值「较多」没有可计算的数值，无法计分"),
        ({"actual_value": None, "actual_text": ""}, "未填 实际值，不计分"),
        ({"actual_value": None, "actual_text": "  "}, "未填 实际值，不计分"),
        ({"target_value": None, "target_text": ""}, "未填 年度指标值，不计分"),
        ({"operator": "gt"}, "指标方向 'gt' 无效，无法计分"),
    ],
)
def test_rule_score_unscorable_says_what_is_missing(fields, step):
    result = rule_score(replace(indicator(), **fields), HUNAN)
    assert (result.score, result.met, result.steps, result.deviation_required) == (None, None, [step], False)


# ---------------------------------------------------------------- 偏差原因 required


@pytest.mark.parametrize(
    ("row", "reasons", "severity", "over"),
    [
        (indicator("ge", "100", "120"), [], None, False),  # exactly at the threshold: not over
        (
            indicator("ge", "100", "120.01"),
            ["实际 120.01 超出目标 100 的 20.01%，超过 20%，目标可能定得偏低"],
            "warning",
            True,
        ),
        (
            indicator("ge", "80", "98"),
            ["实际 98 超出目标 80 的 22.5%，超过 20%，目标可能定得偏低"],
            "warning",
            True,
        ),
        # a ≤ target is a ceiling: far below it is the goal, not over-achievement
        (indicator("le", "100", "1"), [], None, False),
        (indicator("le", "1310.8", "1286.3"), [], None, False),
        (indicator("ge", "0", "5"), [], None, False),  # no relative excess over 0
        (
            indicator("ge", "100", "80", score="8"),
            ["未达成目标：实际 80，目标 ≥100", "自评得分 8 < 分值 10"],
            "error",
            False,
        ),
        (indicator("ge", "100", "100", score="9"), ["自评得分 9 < 分值 10"], "error", False),
        (
            indicator("ge", "100", "200", score="9"),
            ["自评得分 9 < 分值 10", "实际 200 超出目标 100 的 100%，超过 20%，目标可能定得偏低"],
            "error",
            True,
        ),
        (
            qual("partial", score="3"),
            ["定性评价为「部分达成」，低于「达成」", "自评得分 3 < 分值 5"],
            "error",
            False,
        ),
        (qual("achieved"), [], None, False),
    ],
)
def test_rule_score_deviation_reasons(row, reasons, severity, over):
    result = rule_score(row, HUNAN)
    assert (result.deviation_reasons, result.deviation_severity, result.over_achieved) == (
        reasons,
        severity,
        over,
    )
    assert result.deviation_required == bool(reasons)


# ---------------------------------------------------------------- 定性 bands


@pytest.mark.parametrize(
    ("band", "score", "low", "high", "inclusive", "met"),
    [
        ("achieved", "10.00", "8.0", "10", True, True),
        ("partial", "8.00", "6.0", "8.0", False, False),
        ("missed", "6.00", "0", "6.0", False, False),
    ],
)
def test_qual_band_limits(band, score, low, high, inclusive, met):
    result = rule_score(qual(band, weight="10"), HUNAN)
    assert (result.score, result.min_score, result.max_score, result.max_inclusive, result.met) == (
        D(score), D(low), D(high), inclusive, met,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("band", "self_score", "allowed"),
    [
        ("achieved", "10", True),
        ("achieved", "8", True),  # exactly 80%: 达成 includes it
        ("achieved", "7.99", False),
        ("partial", "8", False),  # exactly 80% belongs to 达成
        ("partial", "7.99", True),
        ("partial", "6", True),  # exactly 60%: 部分达成 includes it
        ("partial", "5.99", False),
        ("missed", "6", False),  # exactly 60% belongs to 部分达成
        ("missed", "5.99", True),
        ("missed", "0", True),
    ],
)
def test_qual_band_edges_at_80_and_60_percent(band, self_score, allowed):
    assert rule_score(qual(band, weight="10"), HUNAN).allows(D(self_score)) is allowed


def test_qual_band_step_shows_the_range():
    assert rule_score(qual("partial", weight="5", score="3.5"), HUNAN).steps == [
        "定性「部分达成」：得分须在 [3, 4) 之内（分值 5 的 60%–80%）"
    ]


def test_qual_without_band_cannot_be_scored():
    result = rule_score(qual(None), HUNAN)
    assert (result.score, result.steps) == (
        None,
        ["定性指标未选择评价等级（达成、部分达成、未达成），无法计分"],
    )


# ---------------------------------------------------------------- 执行率


def test_execution_seed_department_full_year():
    result = execution(data.FundLine(D("1310.8"), D("1286.3"), D("1286.3")), D("10"), HUNAN)
    assert (result.rate, result.score, result.denominator) == (D("100.00"), D("10.00"), "full_year")
    assert result.steps == [
        "执行率 = 全年执行数 1286.3 ÷ 全年预算数 1286.3 = 100%",
        "得分 = min(100%, 100%) × 10 = 10",
    ]
    assert result.explanation_reasons == ["年初预算数 1310.8 ≠ 全年预算数 1286.3"]
    assert result.explanation_required is True


def test_execution_with_initial_denominator():
    result = execution(data.FundLine(D("1310.8"), D("1286.3"), D("1286.3")), D("10"), INITIAL_PACK)
    assert (result.rate, result.score) == (D("98.13"), D("9.81"))
    assert result.steps[0] == "执行率 = 全年执行数 1286.3 ÷ 年初预算数 1310.8 = 98.13%"


@pytest.mark.parametrize(
    ("line", "rate", "score", "reasons"),
    [
        (("100", "100", "90"), "90.00", "9.00", []),  # exactly at the threshold
        (("100", "100", "89.99"), "89.99", "9.00", ["执行率 89.99% 低于 90%"]),
        (("100", "100", "110"), "110.00", "10.00", []),  # capped at 100%
        (("100", "120", "60"), "50.00", "5.00", ["执行率 50% 低于 90%", "年初预算数 100 ≠ 全年预算数 120"]),
    ],
)
def test_execution_rate_and_reasons(line, rate, score, reasons):
    result = execution(data.FundLine(*(D(v) for v in line)), D("10"), HUNAN)
    assert (result.rate, result.score, result.explanation_reasons) == (D(rate), D(score), reasons)


def test_execution_with_a_zero_denominator_scores_zero():
    result = execution(data.FundLine(D("0"), D("0"), D("5")), D("10"), HUNAN)
    assert (result.rate, result.score, result.steps) == (
        None,
        D("0.00"),
        ["全年预算数为 0，执行率无法计算，得 0"],
    )


@pytest.mark.parametrize(
    ("line", "step"),
    [
        (data.FundLine(None, None, D("5")), "未填 全年预算数，执行率不计算，不计分"),
        (data.FundLine(D("5"), D("5"), None), "未填 全年执行数，执行率不计算，不计分"),
        (data.FundLine(None, None, None), "未填 全年执行数、全年预算数，执行率不计算，不计分"),
    ],
)
def test_execution_with_a_blank_operand_has_no_score(line, step):
    """Blank is not zero: no 0 that looks computed, nothing compared with 0."""
    result = execution(line, D("10"), HUNAN)
    assert (result.rate, result.score, result.raw_score, result.steps) == (None, None, None, [step])


def test_execution_without_weight_has_no_score():
    result = execution(data.FundLine(D("1"), D("1"), D("1")), None, HUNAN)
    assert (result.rate, result.score, result.steps[-1]) == (D("100.00"), None, "分值未填，无法计分")


# ---------------------------------------------------------------- 年度资金总额


def test_fund_total_project_adds_every_column_and_keeps_all_blank_blank():
    scorecard = full_scorecard(
        kind="project",
        funds={
            "current": data.FundLine(D("425"), D("426.23"), D("426.23")),
            "carryover": data.FundLine(D("0"), D("2"), D("1.5")),
            "other": data.FundLine(),  # unused: its row is empty, as the official table prints it
        },
    )
    assert fund_total(scorecard) == data.FundLine(D("425"), D("428.23"), D("427.73"))


def test_fund_total_project_column_with_a_blank_has_no_total():
    """Blank is not zero: a used row with a blank cell leaves that column's total unknown."""
    scorecard = full_scorecard(
        kind="project",
        funds={
            "current": data.FundLine(D("425"), D("426.23"), D("426.23")),
            "carryover": data.FundLine(None, D("2"), None),
        },
    )
    assert fund_total(scorecard) == data.FundLine(None, D("428.23"), None)
    empty = full_scorecard(kind="project", funds={"current": data.FundLine(), "carryover": data.FundLine()})
    assert fund_total(empty) == data.FundLine(None, None, None)


def test_fund_total_department_is_the_typed_total():
    line = data.FundLine(D("1310.8"), D("1286.3"), D("1286.3"))
    assert fund_total(full_scorecard(funds={"total": line})) == line


# ---------------------------------------------------------------- scorecards, totals, grade


@pytest.mark.parametrize("pack", [HUNAN, CENTRAL], ids=["hunan", "central"])
def test_scorecard_result_full_marks(pack):
    result = scorecard_result(full_scorecard(pack), pack)
    assert (result.weight_total, result.self_total, result.rule_total, result.grade) == (
        D("100"), D("100.00"), D("100.00"), "优",
    )  # fmt: skip
    assert (
        result.level1_weights
        == result.level1_expected
        == {level.key: level.weight for level in pack.skeleton}
    )


def test_central_pack_puts_cost_under_output_with_weight_50():
    result = scorecard_result(full_scorecard(CENTRAL), CENTRAL)
    assert CENTRAL.level2("cost")[0].key == "output"
    assert result.level1_expected == {"output": D("50"), "benefit": D("30"), "satisfaction": D("10")}
    assert result.indicators["ind-cost"].score == D("12.00")


def test_scorecard_totals_add_unrounded_parts():
    # Two rows each worth 19.945 round to 19.95, but the total is 39.89 (+ 执行率 10), not 39.90.
    scorecard = full_scorecard(
        indicators=(
            indicator("ge", "4000", "3989", "20", "19.9", ref="a", level1="output"),
            indicator("ge", "4000", "3989", "20", "19.9", ref="b", level1="output"),
        )
    )
    result = scorecard_result(scorecard, HUNAN)
    assert [rule.score for rule in result.indicators.values()] == [D("19.95"), D("19.95")]
    assert (result.rule_total, result.self_total, result.weight_total) == (D("49.89"), D("49.80"), D("50"))
    assert result.grade == "差"


def test_scorecard_rule_total_unknown_when_a_row_cannot_be_scored():
    scorecard = with_indicator(full_scorecard(), "ind-quantity", operator=None)
    assert scorecard_result(scorecard, HUNAN).rule_total is None


def test_scorecard_self_total_uses_initial_pack_execution():
    scorecard = full_scorecard(funds={"total": data.FundLine(D("1310.8"), D("1286.3"), D("1286.3"))})
    result = scorecard_result(scorecard, INITIAL_PACK)
    assert (result.execution.score, result.self_total) == (D("9.81"), D("99.81"))


@pytest.mark.parametrize(
    ("total", "label"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grade_bands(total, label):
    assert grade(D(total), HUNAN) == label


# ---------------------------------------------------------------- 附件1


def test_attachment1_computed_seed():
    computed = attachment1_computed(seed_report())
    assert computed == Att1Computed(
        control_rate=D("100.00"),
        sums={
            "sangong": data.Amounts(D("24.07"), D("25"), D("24.65")),
            "car": data.Amounts(D("24"), D("24"), D("23.73")),
            "projects": data.Amounts(D("571.76"), D("425"), D("486.16")),
            "special": data.Amounts(D("422.85"), D("425"), D("426.23")),
        },
        subset_sums={"public": data.Amounts(D("12.32"), D("41.12"), D("30.24"))},
        buildings={"building-1": BuildingRates(None, None)},
    )


def test_attachment1_control_rate_zero_quota_is_none():
    assert attachment1_computed(replace(seed_report(), staff_quota=0)).control_rate is None
    assert attachment1_computed(replace(seed_report(), staff_quota=30)).control_rate == D("106.67")


def test_building_rates():
    row = data.BuildingRow("b", "办公楼", D("1000"), D("1050"), D("200"), D("190"))
    assert building_rates(row) == BuildingRates(D("105.00"), D("95.00"))
