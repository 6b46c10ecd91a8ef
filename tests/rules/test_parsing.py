from decimal import Decimal

import pytest

from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, rule_pack_from_dict
from perfeval.rules.parsing import (
    ParsedValue,
    parse_actual,
    parse_target,
    resolve_actual,
    resolve_target,
)
from perfeval.rules.scoring import band_of_score

D = Decimal


@pytest.mark.parametrize(
    ("text", "operator", "value", "unit"),
    [
        # the seed's texts
        ("≥10000", "ge", "10000", ""),
        ("≥80%", "ge", "80", "%"),
        ("≤0", "le", "0", ""),
        ("≤1310.8万元", "le", "1310.8", "万元"),
        ("100%", None, "100", "%"),
        ("80%", None, "80", "%"),
        ("425万元", None, "425", "万元"),
        ("第一时间", "qual", None, ""),
        ("促进", "qual", None, ""),
        ("维护", "qual", None, ""),
        # ASCII and full-width operators and digits
        (">=3000", "ge", "3000", ""),
        ("<=5", "le", "5", ""),
        ("＞＝５０％", "ge", "50", "%"),
        ("≧3", "ge", "3", ""),
        ("≦ 2 起", "le", "2", "起"),
        ("＝１００％", "eq", "100", "%"),
        ("=100%", "eq", "100", "%"),
        # words
        ("不低于90%", "ge", "90", "%"),
        ("不少于 12 期", "ge", "12", "期"),
        ("不高于5万元", "le", "5", "万元"),
        ("不超过 3 天", "le", "3", "天"),
        ("大于等于1,000人", "ge", "1000", "人"),
        ("小于等于 0.5", "le", "0.5", ""),
        ("等于100%", "eq", "100", "%"),
        ("10000人次以上", "ge", "10000", "人次"),
        ("5天以内", "le", "5", "天"),
        # spaces everywhere
        (" ≥ 10 000 ", "ge", "10000", ""),
        # strict operators are not a scoring rule: the preparer chooses
        (">5", None, "5", ""),
        ("小于5", None, "5", ""),
        # unparseable
        ("完成12期培训", None, None, ""),
        ("≥", "ge", None, ""),
        (">", None, None, ""),
        ("", None, None, ""),
        ("不低于上年", "qual", None, ""),
    ],
)
def test_parse_target(text, operator, value, unit):
    assert parse_target(text) == ParsedValue(operator, None if value is None else D(value), unit, text)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("14630", "14630", ""), ("98%", "98", "%"), ("1286.3万元", "1286.3", "万元"), ("第一时间", None, "")],
)
def test_parse_actual(text, value, unit):
    parsed = parse_actual(text)
    assert (parsed.value, parsed.unit, parsed.text) == (None if value is None else D(value), unit, text)


def test_parse_keeps_the_original_text():
    assert parse_target("  ＞＝５０％ ").text == "  ＞＝５０％ "


@pytest.mark.parametrize(
    ("score", "weight", "band"),
    [("5", "5", "achieved"), ("4", "5", "achieved"), ("3.99", "5", "partial"), ("3", "5", "partial"),
     ("2.99", "5", "missed"), ("0", "5", "missed"), (None, "5", None), ("5", None, None), ("6", "5", None),
     ("0", "0", None)],
)  # fmt: skip
def test_band_of_score_follows_the_printed_score(score, weight, band):
    pack = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)
    to = lambda v: None if v is None else D(v)  # noqa: E731
    assert band_of_score(to(score), to(weight), pack) == band


def test_a_repeated_word_alone_never_bands_a_row():
    """「促进」/「促进」 says nothing about the result: with no printed score the preparer picks the band."""
    pack = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)
    assert band_of_score(None, D(5), pack) is None


@pytest.mark.parametrize(
    ("text", "chosen", "expected"),
    [
        ("≤50件", ("ge", "100", "件"), ("le", "50", "件")),  # the text wins over the fields beside it
        ("100%", ("eq", "90", ""), ("eq", "100", "%")),  # no operator in the text: the choice fills it
        ("100%", (None, None, ""), (None, "100", "%")),  # nobody chose: the checks ask for it
        ("第一时间", ("ge", "100", "件"), ("qual", None, "")),
        ("≤约200", ("ge", "200", "人"), ("le", "200", "人")),  # no readable number: the value beside it
        ("", ("ge", "200", "人"), ("ge", "200", "人")),
    ],
)
def test_resolve_target_text_wins_where_it_speaks(text, chosen, expected):
    operator, value, unit = chosen
    resolved = resolve_target(text, operator=operator, value=None if value is None else D(value), unit=unit)
    assert (resolved.operator, resolved.value, resolved.unit) == (
        expected[0],
        None if expected[1] is None else D(expected[1]),
        expected[2],
    )


@pytest.mark.parametrize(
    ("text", "given", "expected"),
    [("150", "220", "150"), ("第一时间", "100", None), ("约150", "150", "150"), ("", "3", "3")],
)
def test_resolve_actual_text_wins_where_it_speaks(text, given, expected):
    assert resolve_actual(text, value=D(given)) == (None if expected is None else D(expected))
