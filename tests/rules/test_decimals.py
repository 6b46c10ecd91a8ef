from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfeval.rules.decimals import fmt_amount, fmt_percent, percent, quantize

D = Decimal


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("19.945", 2, "19.95"),
        ("19.944", 2, "19.94"),
        ("0.005", 2, "0.01"),
        ("-0.005", 2, "-0.01"),
        ("2.5", 0, "3"),
        ("98.125", 2, "98.13"),
        ("100", 2, "100.00"),
    ],
)
def test_quantize_rounds_half_up(value, places, expected):
    assert quantize(D(value), places) == D(expected)
    assert str(quantize(D(value), places)) == expected


def test_quantize_refuses_float():
    with pytest.raises(TypeError):
        quantize(19.945)


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (D("1286.3"), D("1286.3"), D("100")),
        (D("1286.3"), D("1310.8"), D("1286.3") * 100 / D("1310.8")),
        (D("32"), D("32"), D("100")),
        (D("1"), D("0"), None),
        (D("1"), None, None),
        (None, D("5"), None),
    ],
)
def test_percent(numerator, denominator, expected):
    assert percent(numerator, denominator) == expected


def test_percent_is_unrounded():
    assert quantize(percent(D("1286.3"), D("1310.8"))) == D("98.13")
    assert percent(D("1286.3"), D("1310.8")) != D("98.13")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("24.19", "24.19"), ("425", "425"), ("425.00", "425"), ("0.46", "0.46"), ("100", "100"), ("0", "0"),
     ("0.00", "0"), ("1310.80", "1310.8"), (None, "空")],
)  # fmt: skip
def test_fmt_amount_drops_trailing_zeros(value, expected):
    assert fmt_amount(None if value is None else D(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("98.1308", "98.13%"),
        ("100", "100%"),
        ("100.00", "100%"),
        ("98", "98%"),
        ("46.3", "46.3%"),
        (None, "—"),
    ],
)
def test_fmt_percent(value, expected):
    assert fmt_percent(None if value is None else D(value)) == expected


amounts = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=4)


@given(amounts, st.integers(min_value=0, max_value=4))
def test_quantize_property_decimal_and_close(value, places):
    result = quantize(value, places)
    assert type(result) is Decimal
    assert abs(result - value) <= D(1).scaleb(-places) / 2


@given(amounts, amounts)
def test_percent_property_never_float(numerator, denominator):
    result = percent(numerator, denominator)
    assert result is None if denominator == 0 else type(result) is Decimal
