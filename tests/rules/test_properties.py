"""Properties that hold for any input: rule scores stay in [0, 分值], totals are the sums of their parts,
and no float ever comes out. No deadline: speed is measured in benchmarks/bench_rules.py, and a loaded
machine must not fail a property."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from perfeval.rules import data
from perfeval.rules.decimals import quantize
from perfeval.rules.scoring import execution, rule_score, scorecard_result

from .factories import CENTRAL, HUNAN, full_scorecard, indicator, qual

values = st.decimals(min_value=-1000, max_value=10**6, allow_nan=False, allow_infinity=False, places=2)
weights = st.decimals(min_value=0, max_value=100, allow_nan=False, allow_infinity=False, places=2)
scores = st.decimals(min_value=0, max_value=100, allow_nan=False, allow_infinity=False, places=2)


@settings(deadline=None)
@given(st.sampled_from(["ge", "le", "eq"]), values, values, weights)
def test_quantitative_rule_score_in_zero_to_weight(operator, target, actual, weight):
    result = rule_score(indicator(operator, str(target), str(actual), str(weight)), HUNAN)
    assert type(result.score) is Decimal
    assert 0 <= result.score <= weight
    assert (
        result.met is (result.score == quantize(weight) and (result.met or weight == 0))
        or result.met is False
    )


@settings(deadline=None)
@given(st.sampled_from(["achieved", "partial", "missed"]), weights)
def test_qual_rule_score_in_zero_to_weight(band, weight):
    result = rule_score(qual(band, weight=str(weight)), HUNAN)
    assert 0 <= result.min_score <= result.max_score <= weight


@settings(deadline=None)
@given(
    st.lists(st.tuples(weights, scores), min_size=1, max_size=20),
    values,
    values,
    st.sampled_from([HUNAN, CENTRAL]),
)
def test_totals_are_the_sum_of_their_parts(rows, budget, executed, pack):
    indicators = tuple(
        indicator(
            "ge", "10", "10", str(w), str(s), ref=f"i{n}", level1=pack.skeleton[n % len(pack.skeleton)].key
        )
        for n, (w, s) in enumerate(rows)
    )
    card = full_scorecard(
        pack, indicators=indicators, funds={"total": data.FundLine(budget, budget, executed)}
    )
    result = scorecard_result(card, pack)
    exec_raw = result.execution.raw_score
    assert result.weight_total == pack.execution_weight + sum(w for w, _ in rows)
    assert result.self_total == quantize(exec_raw + sum(s for _, s in rows))
    assert result.rule_total == quantize(exec_raw + sum(r.raw_score for r in result.indicators.values()))
    assert sum(result.level1_weights.values()) == sum(w for w, _ in rows)
    assert type(result.self_total) is Decimal and type(result.rule_total) is Decimal


@settings(deadline=None)
@given(values, values, values, weights)
def test_execution_score_in_zero_to_weight(initial, full_year, executed, weight):
    result = execution(data.FundLine(initial, full_year, executed), weight, HUNAN)
    assert 0 <= result.score <= weight
    assert result.rate is None or type(result.rate) is Decimal
