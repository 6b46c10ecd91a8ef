"""Hostile values typed into the edit forms (issue 15, reproductions 1, 4 and 6): each refused on its field,
the typed value still on the page, nothing written, every page still 200."""

import pytest

from perfeval.filing.models import Indicator
from tests.editing.conftest import indicator_prefix

pytestmark = pytest.mark.django_db

NINES = "9" * 25


def _indicator(data, report, name="登记接待群众来访数量"):
    row = Indicator.objects.get(scorecard__report=report, scorecard__kind="department", name=name)
    return indicator_prefix(data, row)


# (page, field — a name, or a function of (data, report) giving it —, value, also-posted, message)
FORM_CASES = [
    ("text", "s7_problems", "问题\x07", {}, "含有不允许的控制字符（U+0007），请删除后再保存"),
    ("text", "s8_measures", "措施\u202e反向", {}, "含有不允许的控制字符（U+202E），请删除后再保存"),
    ("text", "s6_overall", "长" * 10_001, {}, "长度 10001 字，超过上限 10000 字"),
    ("text", "personnel_expense", "1E+400", {}, "「1E+400」超出范围：整数部分最多 9 位"),
    ("text", "personnel_expense", "634.6100001", {}, "「634.6100001」最多保留 6 位小数（不会自动舍入）"),
    ("attachment1", "staff_quota", "1" + "0" * 25, {}, f"「1{'0' * 25}」超出范围（0–1000000）"),
    (
        "attachment1",
        "office__final",
        "1234567890123.45",
        {},
        "「1234567890123.45」超出范围：整数部分最多 9 位",
    ),
    ("attachment1", "special-0-name", "专" * 100_000, {}, "长度 100000 字，超过上限 200 字"),
    ("attachment1", "frugality_measures", "节" * 5_001, {}, "长度 5001 字，超过上限 5000 字"),
    (
        "attachment2",
        lambda data, report: f"{_indicator(data, report)}-actual_text",
        NINES,
        {"actual_value": ""},
        f"从中读出的实际值「{NINES}」超出范围：整数部分最多 9 位",
    ),
    (
        "attachment2",
        lambda data, report: f"{_indicator(data, report)}-actual_text",
        "1000000000000000次",
        {"actual_value": ""},
        "从中读出的实际值「1000000000000000」超出范围：整数部分最多 9 位",
    ),
    (
        "attachment2",
        lambda data, report: f"{_indicator(data, report)}-target_text",
        "≥" + "9" * 30,
        {"target_value": "", "operator": ""},
        f"从中读出的目标值「{'9' * 30}」超出范围：整数部分最多 9 位",
    ),
    (
        "attachment2",
        lambda data, report: f"{_indicator(data, report)}-weight",
        "12345.67",
        {},
        "「12345.67」不能大于 100",
    ),
    (
        "attachment2",
        lambda data, report: f"{_indicator(data, report)}-name",
        "指" * 100_000,
        {},
        "长度 100000 字，超过上限 200 字",
    ),
    ("attachment2", "goal_expected", "目" * 2_001, {}, "长度 2001 字，超过上限 2000 字"),
    ("projects", "project-0-name", "项" * 100_000, {}, "长度 100000 字，超过上限 200 字"),
    ("projects", "project-0-adjustment", "-1E+400", {}, "「-1E+400」超出范围：整数部分最多 9 位"),
    ("projects", "project-0-s6_text", "段" * 5_001, {}, "长度 5001 字，超过上限 5000 字"),
]


@pytest.mark.parametrize(("page", "field", "value", "also", "message"), FORM_CASES)
def test_hostile_form_value_refused_on_its_field(
    preparer_client, page_form, demo_report, unchanged, assert_whole, page, field, value, also, message
):
    url, data = page_form(preparer_client, page)
    name = field(data, demo_report) if callable(field) else field
    assert name in data
    data[name] = value
    prefix = name.rsplit("-", 1)[0] + "-" if "-" in name else ""
    data.update({f"{prefix}{key}": other for key, other in also.items()})
    response = preparer_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    unchanged()
    assert_whole(demo_report)
