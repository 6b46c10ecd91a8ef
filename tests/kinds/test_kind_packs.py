"""What a rule pack says it is for (years, kinds of filing) and the packs that contradict themselves."""

import pytest

from perfeval.rules.packs import (
    CENTRAL_DEFAULT_2020,
    HUNAN_ZHUZHOU_2023,
    RulePackError,
    pack_mismatches,
    rule_pack_from_dict,
)


def _pack(source=HUNAN_ZHUZHOU_2023, **changes):
    return rule_pack_from_dict({**source, **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # weights not summing to the total
        ({"execution": {"weight": "20"}}, "各一级指标分值合计 110 ≠ 100"),
        ({"execution": {"weight": "0"}, "skeleton": [
            {**HUNAN_ZHUZHOU_2023["skeleton"][0], "weight": "50"}, *HUNAN_ZHUZHOU_2023["skeleton"][1:]]},
         "都须大于 0"),
        # grade bands overlapping or leaving a gap
        ({"grade_bands": [["优", "90"], ["良", "90"], ["中", "60"], ["差", "0"]]}, "等级区间重叠：「优」与「良」的下限都是 90"),
        ({"grade_bands": [["优", "120"], ["良", "80"], ["差", "0"]]}, "等级区间有空档：「优」的下限 120 超过满分 100"),
        ({"grade_bands": [["优", "90"], ["良", "80"], ["中", "60"]]}, "最低等级的下限须为 0"),
        ({"grade_bands": [["良", "80"], ["优", "90"], ["差", "0"]]}, "须从高到低排列"),
        ({"grade_bands": [["优", "90"], ["优", "60"], ["差", "0"]]}, "等级名称重复"),
        ({"grade_bands": []}, "没有等级区间"),
        # qualitative bands inverted or overlapping
        ({"qualitative": {"achieved_min": "0.60", "partial_min": "0.80"}}, "定性区间自相矛盾"),
        ({"qualitative": {"achieved_min": "0.80", "partial_min": "0.80"}}, "定性区间自相矛盾"),
        # negative or impossible thresholds
        ({"over_achievement_threshold": "-0.2"}, "over_achievement_threshold 须在 0 到 1 之间"),
        ({"execution": {"weight": "10", "explanation_threshold": "-1"}}, "explanation_threshold 须在 0 到 1 之间"),
        ({"budget_cut_threshold": "-0.1"}, "budget_cut_threshold 须在 0 到 1 之间"),
        ({"rounding": {"places": -1, "mode": "ROUND_HALF_UP"}}, "舍入位数须在 0 到 6 之间"),
        # what the pack is for
        ({"years": "2023"}, "years 应为年份列表"),
        ({"years": [2023, 99]}, "year 应为年份"),
        ({"kinds": ["department", "town"]}, "kinds 应为填报类别"),
        ({"years": [2024, 2025]}, r"year 2023 不在 years \[2024, 2025\] 之中"),
    ],
)  # fmt: skip
def test_pack_contradicting_itself_is_refused_with_the_reason(changes, message):
    with pytest.raises(RulePackError, match=message):
        _pack(**changes)


def test_pack_states_years_and_kinds():
    hunan = _pack()
    assert (hunan.years, hunan.kinds) == ((2023,), ("department",))
    central = _pack(CENTRAL_DEFAULT_2020)
    assert (central.years, central.kinds) == ((), ())
    several = _pack(CENTRAL_DEFAULT_2020, years=[2021, 2020, 2021], kinds=["project"])
    assert (several.years, several.kinds) == ((2020, 2021), ("project",))


def test_pack_mismatch_names_year_and_kind():
    pack = _pack()
    assert pack_mismatches(pack, year=2023, kind="department") == []
    assert pack_mismatches(pack, year=2018, kind="project") == [
        "规则包「湖南省株洲市 2023 年度（市级部门整体支出绩效自评）」是为 2023 年度制定的，本填报期是 2018 年度",
        "规则包「湖南省株洲市 2023 年度（市级部门整体支出绩效自评）」是为部门整体支出绩效自评制定的，本填报期是项目支出绩效自评",
    ]
    central = _pack(CENTRAL_DEFAULT_2020, years=[2020, 2021])
    assert pack_mismatches(central, year=2021, kind="project") == []
    assert pack_mismatches(central, year=2018, kind="project") == [
        "规则包「中央默认（财预〔2020〕10号）」是为 2020、2021 年度制定的，本填报期是 2018 年度"
    ]
