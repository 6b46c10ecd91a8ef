"""Rule packs: the new keys have defaults, every key is validated, and a pack's severities reach the findings."""

from decimal import Decimal

import pytest

from perfeval.rules.checks import check_report
from perfeval.rules.packs import CENTRAL_DEFAULT_2020, HUNAN_ZHUZHOU_2023, RulePackError, rule_pack_from_dict
from perfeval.rules.scoring import rule_score

from .factories import indicator
from .seed_data import seed_report

D = Decimal


def _pack(**changes):
    return rule_pack_from_dict({**HUNAN_ZHUZHOU_2023, **changes})


@pytest.mark.parametrize("source", [HUNAN_ZHUZHOU_2023, CENTRAL_DEFAULT_2020], ids=["hunan", "central"])
def test_shipped_packs_take_the_defaults_of_the_new_keys(source):
    pack = rule_pack_from_dict(source)
    assert (pack.eq_tolerance, pack.budget_cut_threshold, pack.severities) == (D(0), D("0.10"), ())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"eq_tolerance": "-0.01"}, "eq_tolerance 须在 0 到 1 之间"),
        ({"eq_tolerance": "abc"}, "eq_tolerance 不是数字"),
        ({"budget_cut_threshold": "1.5"}, "budget_cut_threshold 须在 0 到 1 之间"),
        ({"severities": ["error"]}, "severities 须是"),
        ({"severities": {"NO_SUCH_CHECK": "error"}}, "'NO_SUCH_CHECK' 不存在"),
        ({"severities": {"INCOMPLETE": "fatal"}}, "只能是 error 或 warning"),
        ({"qualitative": {"achieved_min": "0.60", "partial_min": "0.80"}}, "定性区间自相矛盾"),
        ({"over_achievement_threshold": "2"}, "over_achievement_threshold 须在 0 到 1 之间"),
        ({"grade_bands": [["优", "90"], ["良", "80"]]}, "最低等级的下限须为 0"),
    ],
)
def test_pack_contradicting_itself_is_refused_with_the_reason(changes, message):
    with pytest.raises(RulePackError, match=message):
        _pack(**changes)


def test_pack_severities_override_the_default():
    pack = _pack(severities={"ATT1_BASIC_ADJUSTMENT_MISMATCH": "error", "ATT1_SUM_MISMATCH": "warning"})
    findings = check_report(seed_report(), pack)
    severities = {(f.code, f.place.column): (f.severity, f.severity_label) for f in findings}
    assert severities[("ATT1_BASIC_ADJUSTMENT_MISMATCH", "final")] == ("error", "错误")
    assert severities[("ATT1_SUM_MISMATCH", "final")] == ("warning", "提示")
    assert severities[("EXEC_RATE_MISMATCH", "execution_rate")] == ("error", "错误")


@pytest.mark.parametrize(
    ("tolerance", "actual", "met", "step"),
    [
        ("0", "99", False, "实际 99 ≠ 目标 100，未达成：99 ÷ 100 × 10 = 9.9"),
        ("0.01", "99", True, "实际 99 与目标 100 之差在容差 1% 之内，达成，得满分 10"),
        ("0.01", "101", True, "实际 101 与目标 100 之差在容差 1% 之内，达成，得满分 10"),
        ("0.01", "98.9", False, "实际 98.9 ≠ 目标 100，未达成：98.9 ÷ 100 × 10 = 9.89"),
        ("0.01", "100", True, "实际 100 = 目标 100，达成，得满分 10"),
    ],
)
def test_eq_tolerance_from_the_pack(tolerance, actual, met, step):
    result = rule_score(indicator("eq", "100", actual, "10"), _pack(eq_tolerance=tolerance))
    assert (result.met, result.steps) == (met, [step])


def test_eq_tolerance_does_not_touch_ge_and_le():
    pack = _pack(eq_tolerance="0.05")
    assert rule_score(indicator("ge", "100", "99", "10"), pack).met is False
    assert rule_score(indicator("le", "100", "101", "10"), pack).met is False
