"""The one bounds check (perfeval/filing/bounds.py), place by place: what fits, and the message for what not."""

from decimal import Decimal

import pytest

from perfeval.filing.bounds import bound, problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("place", "value", "message"),
    [
        ("ExpenseAmount.final", "999999999.999999", None),
        ("ExpenseAmount.final", Decimal("0.000001"), None),
        ("ExpenseAmount.final", "1.500000000", None),  # trailing zeros are not decimals
        ("ExpenseAmount.final", "126.3578912", "「126.3578912」最多保留 6 位小数（不会自动舍入）"),
        ("ExpenseAmount.final", "1000000000", "「1000000000」超出范围：整数部分最多 9 位"),
        ("ExpenseAmount.final", "1E+400", "「1E+400」超出范围：整数部分最多 9 位"),
        (
            "ExpenseAmount.final",
            "1.00000000000000000000000000000001",
            "「1.00000000000000000000000000000001」最多保留 6 位小数（不会自动舍入）",
        ),  # fmt: skip
        ("ExpenseAmount.final", "-1", "「-1」不能为负数"),
        ("ExpenseAmount.final", "NaN", "「NaN」不是有限数字"),
        ("ExpenseAmount.final", float("inf"), "「Infinity」不是有限数字"),
        ("ExpenseAmount.final", 1e308, "「1E+308」超出范围：整数部分最多 9 位"),
        ("ExpenseAmount.final", "abc", "「abc」不是数字"),
        ("ExpenseAmount.final", [1], "「[1]」不是数字"),
        ("Project.adjustment", "-999999999.999999", None),
        ("Indicator.weight", "100", None),
        ("Indicator.weight", "100.01", "「100.01」不能大于 100"),
        ("Indicator.score", "4.005", "「4.005」最多保留 2 位小数（不会自动舍入）"),
        ("Report.staff_quota", 1_000_000, None),
        ("Report.staff_quota", 10**25, f"「{10**25}」超出范围（0–1000000）"),
        ("Report.staff_quota", "3.5", "「3.5」不是整数"),
        ("Report.staff_quota", True, "「True」不是整数"),
        ("Report.s6_overall", "字" * 10_000, None),
        ("Report.s6_overall", "字" * 10_001, "长度 10001 字，超过上限 10000 字"),
        ("Report.s7_problems", "甲\r\n乙\t丙", None),
        ("Report.s7_problems", "甲\x1b[31m", "含有不允许的控制字符（U+001B），请删除后再保存"),
        ("Indicator.name", "名\u2066称", "含有不允许的控制字符（U+2066），请删除后再保存"),
        ("Indicator.name", 5, "「5」不是文字"),
        ("Indicator.operator", "ge", None),
        ("Indicator.operator", "gt", "「gt」不是可选的值"),
        ("Indicator.operator", ["ge"], "「['ge']」不是可选的值"),
        ("Report.s1_intro", None, None),
    ],
)
def test_problem_of_each_place(place, value, message):
    assert problem(place, value) == message


def test_signed_lifts_the_lower_bound_only():
    assert problem("ExpenseAmount.final", "-5", signed=True) is None
    assert problem("ExpenseAmount.final", "-1E+400", signed=True) == "「-1E+400」超出范围：整数部分最多 9 位"


def test_bounds_are_read_from_the_model_fields():
    from perfeval.filing.models import Report

    field = Report._meta.get_field("personnel_expense")
    spec = bound("Report.personnel_expense")
    assert (spec.max_digits, spec.decimal_places, spec.minimum) == (field.max_digits, field.decimal_places, 0)
    assert bound("Report.s6_overall").max_length == Report._meta.get_field("s6_overall").max_length
