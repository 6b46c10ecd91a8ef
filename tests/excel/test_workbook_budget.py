"""Workbooks that cannot stall a worker: the declared dimension and the real cells are checked before openpyxl
reads anything, and reading has a time and cell budget (issue 15, reproduction 3)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from perfeval.excel.imports import read_workbook
from perfeval.excel.models import ImportUpload
from perfeval.excel.safety import ReadBudget, UnsafeFile, check_upload
from perfeval.filing.models import Report
from tests.excel.helpers import demo_workbook, fresh, payload_of, rezip, stalling_workbook, to_bytes

LIMITS = "超出上限（10000 行 × 1024 列）"


def _refusal(content, budget=None):
    with pytest.raises(UnsafeFile) as caught:
        check_upload("附表.xlsx", content, budget)
    return str(caught.value)


def test_declared_dimension_of_the_whole_sheet_is_refused_by_name():
    content = stalling_workbook()
    assert len(content) < 14_000
    assert _refusal(content) == (
        f"工作表「附件1」声明的数据范围 A1:XFD1048576（1048576 行 × 16384 列）{LIMITS}"
        "：请删除多余的空行空列后另存为 .xlsx 再导入"
    )


def test_cell_far_down_is_refused_without_a_declared_dimension():
    message = _refusal(stalling_workbook(dimension=None))
    assert message.startswith("工作表「附件1」的单元格 A1048576 " + LIMITS)


def test_cell_far_right_is_refused_by_its_reference():
    message = _refusal(stalling_workbook(dimension=None, cell="XFD1"))
    assert message.startswith("工作表「附件1」的单元格 XFD1 " + LIMITS)


def test_too_many_real_cells_are_refused(settings):
    settings.EXCEL_IMPORT_MAX_CELLS = 500
    message = _refusal(stalling_workbook(dimension="A1:J100", cell="A100", extra=60))
    assert message.startswith("工作表「附件1」：工作簿的单元格超过 500 个")


def test_reading_stops_when_the_time_budget_is_spent(demo_report):
    report = fresh(demo_report)
    content = to_bytes(demo_workbook(report))
    spent = ReadBudget(seconds=0)
    time.sleep(0.01)
    with pytest.raises(UnsafeFile, match=r"^工作表「附件1」：读取超过 0 秒仍未完成"):
        read_workbook(content, current=payload_of(report), pack=report.period.rule_pack.rules(), budget=spent)


def test_demo_workbook_passes_the_scan_and_reads_within_budget(demo_report):
    report = fresh(demo_report)
    content = to_bytes(demo_workbook(report))
    budget = ReadBudget()
    check_upload("附表.xlsx", content, budget)
    result = read_workbook(
        content, current=payload_of(report), pack=report.period.rule_pack.rules(), budget=budget
    )
    assert result.errors == []
    assert result.payload == payload_of(report)
    # Each sheet's cells, the legend row under the footer included (7 + 9 + 9 cells).
    assert budget.left == budget.cells - (191 + 333 + 225)


def test_web_upload_of_the_stalling_workbook_is_refused_and_writes_nothing(preparer_client, demo_report):
    version = Report.objects.get(pk=demo_report.pk).version
    response = preparer_client.post(
        reverse("excel:upload", args=[demo_report.pk]),
        {"file": SimpleUploadedFile("附表.xlsx", stalling_workbook())},
        follow=True,
    )
    assert response.status_code == 200
    assert "工作表「附件1」声明的数据范围 A1:XFD1048576" in response.content.decode()
    assert ImportUpload.objects.count() == 0
    assert Report.objects.get(pk=demo_report.pk).version == version


def test_import_command_refuses_the_stalling_workbook(demo_report, tmp_path):
    path = tmp_path / "附表.xlsx"
    path.write_bytes(stalling_workbook())
    with pytest.raises(CommandError, match="工作表「附件1」声明的数据范围 A1:XFD1048576"):
        call_command("import_report", str(path), department="zzxfj", year=2023)


def test_too_many_shared_strings_are_refused_before_openpyxl_loads_them(settings):
    settings.EXCEL_IMPORT_MAX_CELLS = 50
    content = stalling_workbook(dimension="A1:A1", cell="A1")
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{i}</t></si>" for i in range(51))
        + "</sst>"
    ).encode()
    hostile = rezip(content, add={"xl/sharedStrings.xml": strings})
    assert _refusal(hostile).startswith("工作簿的共享字符串超过 50 个")
