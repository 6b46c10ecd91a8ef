"""Small builders for rule tests: an indicator or scorecard with only the fields a case cares about."""

from dataclasses import replace
from decimal import Decimal

from perfeval.rules import data
from perfeval.rules.packs import CENTRAL_DEFAULT_2020, HUNAN_ZHUZHOU_2023, rule_pack_from_dict

D = Decimal
HUNAN = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)
CENTRAL = rule_pack_from_dict(CENTRAL_DEFAULT_2020)


def indicator(operator="ge", target="100", actual="100", weight="10", score=None, **fields) -> data.Indicator:
    """A quantitative indicator; the self score defaults to the weight."""
    values = {
        "ref": "ind",
        "level1": "output",
        "level2": "quantity",
        "name": "测试指标",
        "operator": operator,
        "target_value": None if target is None else D(target),
        "target_unit": "",
        "target_text": "" if target is None else str(target),
        "actual_value": None if actual is None else D(actual),
        "actual_text": "" if actual is None else str(actual),
        "qual_band": None,
        "weight": None if weight is None else D(weight),
        "score": D(weight) if score is None and weight is not None else (None if score is None else D(score)),
        "deviation_reason": "",
    }
    values.update(fields)
    return data.Indicator(**values)


def qual(band, weight="5", score=None, **fields) -> data.Indicator:
    return indicator(
        "qual", None, None, weight, score, qual_band=band, target_text="促进", actual_text="促进", **fields
    )


def full_scorecard(pack=HUNAN, kind="department", funds=None, **fields) -> data.Scorecard:
    """A scorecard whose 三级 weights fill every 一级 of the pack exactly: one row per 二级, the remainder of
    the 一级 weight on its first 二级."""
    rows = []
    for level in pack.skeleton:
        share = (level.weight / len(level.children)).quantize(D(1), rounding="ROUND_FLOOR")
        weights = [level.weight - share * (len(level.children) - 1)] + [share] * (len(level.children) - 1)
        for child, weight in zip(level.children, weights, strict=True):
            rows.append(
                indicator(
                    "ge", "10", "10", str(weight), ref=f"ind-{child.key}", level1=level.key, level2=child.key,
                    name=child.label,
                )
            )  # fmt: skip
    if funds is None:
        funds = (
            {"total": data.FundLine(D("100"), D("100"), D("100"))}
            if kind == "department"
            else {"current": data.FundLine(D("100"), D("100"), D("100"))}
        )
    values = {
        "ref": "sc",
        "kind": kind,
        "title": "测试",
        "funds": funds,
        "execution_explanation": "",
        "indicators": tuple(rows),
    }
    values.update(fields)
    return data.Scorecard(**values)


def with_indicator(scorecard: data.Scorecard, ref: str, **changes) -> data.Scorecard:
    rows = tuple(replace(row, **changes) if row.ref == ref else row for row in scorecard.indicators)
    return replace(scorecard, indicators=rows)
