"""Hostile open-data JSON through ``import_report FILE.json`` (issue 9 item 9, issue 15 item 1): the whole
file is checked first, every problem is listed with its place, nothing is written."""

import copy
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from perfeval.filing.models import Report
from perfeval.orgs.models import Department

from .conftest import payload_of

pytestmark = pytest.mark.django_db

IND = "projects[0].attachment3.indicators"


def _set(payload: dict, path: str, value) -> None:
    """Set ``a.b[0].c`` in ``payload``."""
    target = payload
    parts = path.replace("]", "").replace("[", ".").split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    if last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value


JSON_CASES = [
    ("personnel_expense", "126.3578912", "「126.3578912」最多保留 6 位小数（不会自动舍入）"),
    ("personnel_expense", "1E+400", "「1E+400」超出范围：整数部分最多 9 位"),
    ("personnel_expense", "NaN", "「NaN」不是有限数字"),
    ("personnel_expense", "Infinity", "「Infinity」不是有限数字"),
    ("personnel_expense", "二十", "「二十」不是数字"),
    ("personnel_expense", True, "「True」不是数字"),
    ("attachment1.staff_quota", 10**20, f"「{10**20}」超出范围（0–1000000）"),
    ("attachment1.staff_quota", 3.5, "「3.5」不是整数"),
    (
        "attachment1.expenses.office.final",
        "1234567890123.45",
        "「1234567890123.45」超出范围：整数部分最多 9 位",
    ),
    ("attachment1.expenses.office.final", "-1", "「-1」不能为负数"),
    ("attachment1.special_rows[0].name", "专" * 100_000, "长度 100000 字，超过上限 200 字"),
    ("attachment1.special_rows[0].name", "", "专项名称为空"),
    ("text.s6_overall", "长" * 2_300_000, "长度 2300000 字，超过上限 10000 字"),
    ("text.s7_problems", "问题\x00", "含有不允许的控制字符（U+0000），请删除后再保存"),
    ("text.s7_problems", "问题\ud800", "含有不允许的控制字符（U+D800），请删除后再保存"),
    ("text.s7_problems", ["列表"], "不是文字"),
    ("text.s99", "多出来的栏目", "不是正文的栏目"),
    ("footer.phone", "1" * 31, "长度 31 字，超过上限 30 字"),
    ("cover_date", "2023-13-45", "「2023-13-45」不是 YYYY-MM-DD 日期"),
    (f"{IND}[0].weight", 12345.67, "「12345.67」不能大于 100"),
    (f"{IND}[0].score", "14", "得分 14 超过分值 13"),
    (f"{IND}[0].actual_value", "9" * 25, "超出范围：整数部分最多 9 位"),
    (f"{IND}[0].operator", "gt", "「gt」不是可选的值"),
    (f"{IND}[0].level2", "nonsense", "不是规则包中的一级/二级指标"),
    (f"{IND}[0].name", "指" * 100_000, "长度 100000 字，超过上限 200 字"),
    (f"{IND}[0].deviation_reason", "因" * 2_001, "长度 2001 字，超过上限 2000 字"),
    ("projects[0].attachment3.funds.total", {"initial": "1"}, "不是附件3的资金来源"),
    ("projects[0].category", "other", "「other」不是可选的值"),
    ("projects[1].name", "信访维稳工作经费", "项目名称「信访维稳工作经费」重复"),
    ("projects[1]", "不是对象", "应为对象"),
    ("projects", {"a": 1}, "应为列表"),
    ("attachment1.expenses.nonsense", {"final": "1"}, "不是附件1经费控制情况的行"),
]


def _run(tmp_path, payload, department="zzxfj", year=2023, **options):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, default=str), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_report", str(path), department=department, year=year, stdout=out, stderr=err, **options
    )
    return out.getvalue()


@pytest.mark.parametrize(("path", "value", "message"), JSON_CASES, ids=[c[0] for c in JSON_CASES])
def test_hostile_json_value_refused_with_its_place(
    demo_report, unchanged, assert_whole, tmp_path, path, value, message
):
    payload = payload_of(demo_report)
    _set(payload, path, value)
    err = io.StringIO()
    file = tmp_path / "hostile.json"
    file.write_text(json.dumps(payload), encoding="ascii")  # \ud800 stays an escape: a lone surrogate
    with pytest.raises(CommandError, match="未导入任何内容"):
        call_command("import_report", str(file), department="zzxfj", year=2023, stderr=err)
    lines = err.getvalue().splitlines()
    assert any(line.startswith(path.split(".")[0]) and message in line for line in lines), lines
    unchanged()
    assert_whole(demo_report)


def test_every_json_problem_listed_at_once(demo_report, unchanged, tmp_path):
    payload = payload_of(demo_report)
    cases = {path: value for path, value, _ in reversed(JSON_CASES) if not path.startswith("projects")}
    for path, value in cases.items():
        _set(payload, path, value)
    file = tmp_path / "hostile.json"
    file.write_text(json.dumps(payload), encoding="ascii")
    err = io.StringIO()
    with pytest.raises(CommandError, match=f"有 {len(cases)} 处无法导入"):
        call_command("import_report", str(file), department="zzxfj", year=2023, stderr=err)
    assert sorted(line.split("：")[0].split("（")[0] for line in err.getvalue().splitlines()) == sorted(cases)
    unchanged()


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000, b"[]"])
def test_json_file_that_is_not_a_report_refused(demo_report, unchanged, tmp_path, content):
    file = tmp_path / "broken.json"
    file.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command("import_report", str(file), department="zzxfj", year=2023, stderr=io.StringIO())
    assert "\n" not in str(refused.value)
    unchanged()


def test_json_import_round_trip_is_exact_and_applies(demo_report, tmp_path):
    payload = payload_of(demo_report)
    payload["personnel_expense"] = "634.613579"
    payload["attachment1"]["expenses"]["office"]["final"] = "22.1654"
    output = _run(tmp_path, payload)
    assert "二、人员经费" in output or "将改变" in output
    assert payload_of(demo_report) == {**payload, "status": "draft"}
    demo_report.refresh_from_db()
    assert demo_report.personnel_expense == Decimal("634.613579")


def test_json_import_creates_the_report_of_a_department_without_one(demo_report, tmp_path):
    department = Department.objects.get(code="zzmzj")
    assert not Report.objects.filter(department=department).exists()
    payload = copy.deepcopy(payload_of(demo_report))
    payload["department"] = {"code": "zzmzj", "name": department.name}
    dry = _run(tmp_path, payload, department="zzmzj", dry_run=True)
    assert "将新建一份草稿" in dry and "未写入" in dry
    assert not Report.objects.filter(department=department).exists()
    _run(tmp_path, payload, department="zzmzj")
    report = Report.objects.get(department=department, period=demo_report.period)
    expected = {**payload, "department": {"code": "zzmzj", "name": department.name}}
    assert payload_of(report) == expected


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"department": "nobody", "year": 2023}, "没有编码为 nobody 的单位"),
        ({"department": "zzxfj", "year": 2031}, "没有 2031 年度部门整体支出绩效自评的填报期"),
        ({"department": "zzmzj", "year": 2023}, "与 --department zzmzj 不一致"),
    ],
)
def test_json_import_names_what_is_missing(demo_report, tmp_path, options, message):
    file = tmp_path / "report.json"
    file.write_text(json.dumps(payload_of(demo_report), ensure_ascii=False), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_report", str(file), stderr=err, **options)
    assert message in str(refused.value) + err.getvalue()
