"""Hostile workbook cells (issue 15, reproductions 1 and 2): each refused by its cell, nothing written."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.excel.helpers import demo_workbook, rezip, to_bytes

pytestmark = pytest.mark.django_db

NINES = "9" * 30

CELLS = [
    # (sheet, cell, value, the message after "sheet!cell：")
    ("附件1", "D8", 1234567890123.45, "「1234567890123.45」超出范围：整数部分最多 9 位"),
    ("附件1", "D9", 1e308, "「1E+308」超出范围：整数部分最多 9 位"),
    ("附件1", "D10", 10**29, "「1E+29」超出范围：整数部分最多 9 位"),  # the workbook stores it as 1E+29
    ("附件1", "D11", "1E+400", "「1E+400」超出范围：整数部分最多 9 位"),
    ("附件1", "F18", 22.1600001, "「22.1600001」最多保留 6 位小数（不会自动舍入）"),
    ("附件1", "F19", -3, "「-3」不能为负数"),
    ("附件1", "B4", 1e20, "「1E+20」超出范围（0–1000000）"),
    ("附件1", "D4", 10**25, "「1E+25」超出范围（0–1000000）"),
    # 32,767 characters: the most an Excel cell holds.
    ("附件1", "A16", "专" * 32767, "长度 32767 字，超过上限 200 字"),
    ("附件2", "G18", 12345.67, "「12345.67」不能大于 100"),
    ("附件2", "H19", 100.5, "「100.5」不能大于 100"),
    ("附件2", "E18", "≥" + NINES, f"从中读出的目标值「{NINES}」超出范围：整数部分最多 9 位"),
    ("附件2", "F18", "9" * 25, f"从中读出的实际值「{'9' * 25}」超出范围：整数部分最多 9 位"),
    ("附件2", "F19", "1000000000000000次", "从中读出的实际值「1000000000000000」超出范围：整数部分最多 9 位"),
    ("附件2", "E20", "≥100" + "个" * 30, f"从中读出的目标单位长度 {len('个' * 30)} 字，超过上限 20 字"),
    ("附件2", "D18", "指" * 32767, "长度 32767 字，超过上限 200 字"),
    ("附件2", "B16", "目" * 2001, "长度 2001 字，超过上限 2000 字"),
]


def _import(path: Path, **options) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_report", str(path), department="zzxfj", year=2023, stderr=err, **options)
    return err.getvalue() + str(refused.value)


@pytest.mark.parametrize(("sheet", "cell", "value", "message"), CELLS, ids=[f"{s}!{c}" for s, c, *_ in CELLS])
def test_hostile_cell_refused_by_name(
    demo_report, unchanged, assert_whole, tmp_path, sheet, cell, value, message
):
    workbook = demo_workbook(demo_report)
    workbook[sheet][cell] = value
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(to_bytes(workbook))
    output = _import(path)
    assert f"{sheet}!{cell}：{message}" in output.splitlines()
    unchanged()
    assert_whole(demo_report)


def test_hostile_cells_all_named_in_one_upload(demo_report, unchanged, preparer_client):
    workbook = demo_workbook(demo_report)
    for sheet, cell, value, _ in CELLS:
        workbook[sheet][cell] = value
    upload = io.BytesIO(to_bytes(workbook))
    upload.name = "hostile.xlsx"
    response = preparer_client.post(f"/reports/{demo_report.pk}/excel/import/", {"file": upload}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    for sheet, cell, _, _ in CELLS:
        assert f"{sheet}!{cell}：" in page
    unchanged()


@pytest.mark.parametrize("stored", ["NaN", "INF", "-inf"])
def test_unreadable_number_cell_is_named(demo_report, unchanged, assert_whole, tmp_path, stored):
    workbook = demo_workbook(demo_report)
    workbook["附件1"]["D8"] = 7654321
    content = to_bytes(workbook)
    part = "xl/worksheets/sheet1.xml"
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(content)).read(part)
    assert b"<v>7654321</v>" in xml
    path = tmp_path / "nan.xlsx"
    path.write_bytes(
        rezip(content, replace={part: xml.replace(b"<v>7654321</v>", f"<v>{stored}</v>".encode())})
    )
    output = _import(path)
    assert f"附件1!D8：「{stored}」不是数字" in output
    unchanged()
    assert_whole(demo_report)
