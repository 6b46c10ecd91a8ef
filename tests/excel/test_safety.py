import io
import zipfile

import pytest

from perfeval.excel.apps import check_defusedxml
from perfeval.excel.imports import WorkbookUnreadable, read_workbook
from perfeval.excel.safety import UnsafeFile, check_upload
from tests.excel.helpers import demo_workbook, fresh, payload_of, rezip, to_bytes

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    + b'<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


@pytest.fixture
def demo_bytes(demo_report):
    return to_bytes(demo_workbook(demo_report))


def _refusal(name, content):
    with pytest.raises(UnsafeFile) as caught:
        check_upload(name, content)
    return str(caught.value)


def test_check_upload_accepts_our_own_export(demo_bytes):
    assert check_upload("附表.xlsx", demo_bytes) is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.xls", b"PK\x03\x04rest", "只能导入 .xlsx"),
        ("report.xlsm", b"PK\x03\x04rest", "只能导入 .xlsx"),
        ("report.xlsx", b"", "文件是空的"),
        ("report.xlsx", b"name,amount\n\xe4\xb8\x89\xe5\x85\xac,24.19\n", "内容不是 Excel 工作簿"),
        ("report.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "已加密或是旧版 .xls"),
        ("report.xlsx", b"PK\x03\x04" + b"\0" * 100, "文件已损坏"),
    ],
)
def test_check_upload_refuses_non_xlsx(name, content, message):
    assert message in _refusal(name, content)


def test_check_upload_refuses_oversized_file(settings):
    settings.EXCEL_IMPORT_MAX_BYTES = 1024
    assert _refusal("big.xlsx", b"PK\x03\x04" + b"\0" * 2048) == "文件过大：0.0 MB，上限为 0 MB"


def test_check_upload_refuses_zip_bomb(demo_bytes):
    bomb = rezip(demo_bytes, add={"xl/media/padding.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 200_000
    assert "压缩比过高" in _refusal("bomb.xlsx", bomb)


def test_check_upload_refuses_too_many_entries(demo_bytes):
    crowded = rezip(demo_bytes, add={f"xl/media/{i}.txt": b"x" for i in range(600)})
    assert "部件，超过上限" in _refusal("crowded.xlsx", crowded)


def test_check_upload_refuses_macro_parts(demo_bytes):
    macro = rezip(demo_bytes, add={"xl/vbaProject.bin": b"\0fake vba"})
    assert "含宏" in _refusal("macro.xlsx", macro)


def test_check_upload_refuses_macro_content_type(demo_bytes):
    source = zipfile.ZipFile(io.BytesIO(demo_bytes))
    types = source.read("[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    assert "宏" in _refusal("macro.xlsx", rezip(demo_bytes, replace={"[Content_Types].xml": types}))


def test_entity_bomb_is_refused_before_and_by_the_parser(demo_report, demo_bytes):
    bomb = rezip(demo_bytes, replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS})
    assert "DTD/实体声明" in _refusal("lol.xlsx", bomb)
    # Even past our own check, openpyxl parses with defusedxml and refuses the entities.
    report = fresh(demo_report)
    with pytest.raises(WorkbookUnreadable, match="无法读取"):
        read_workbook(bomb, current=payload_of(report), pack=report.period.rule_pack.rules())


def test_defusedxml_system_check_passes():
    assert check_defusedxml() == []
