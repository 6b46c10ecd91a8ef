"""Templates that round-trip: export or template → import of an unchanged workbook changes nothing and adds no
finding, for the demo and for a new year's report; an empty cell never clears a value; a computed cell is never
read back, and a placeholder is never taken for a printed figure."""

from datetime import date

import pytest

from perfeval.excel.exports import build_template, build_workbook, write_sheets
from perfeval.excel.imports import read_workbook
from perfeval.excel.layout import COMPUTED_FILL, LEGEND, workbook_rows
from perfeval.excel.services import preview
from perfeval.filing.creation import create_report
from perfeval.filing.models import FilingPeriod
from perfeval.filing.opendata import export_report
from perfeval.orgs.models import Department
from perfeval.rules.checks import check_report
from perfeval.rules.payload import report_data
from perfeval.workflow import services
from tests.excel.helpers import find_cell, fresh, payload_of, to_bytes
from tests.workflow.helpers import make_submittable


@pytest.fixture
def new_report(demo_report, users):
    """The 2024 report opened from the approved demo: carried targets and 编制, every actual blank."""
    make_submittable(demo_report)
    services.submit_report(report=demo_report, user=users["zzxfj_preparer"])
    services.approve_report(report=demo_report, user=users["reviewer"])
    period = services.open_period(
        user=users["admin"],
        year=2024,
        deadline=date(2025, 4, 30),
        rule_pack=demo_report.period.rule_pack,
        departments=Department.objects.filter(code="zzxfj"),
        carry_from="approved",
        pack_confirmed=True,
    )
    return fresh(period.reports.get())


def _import(report, workbook):
    report = fresh(report)
    result = read_workbook(
        to_bytes(workbook), current=export_report(report), pack=report.period.rule_pack.rules()
    )
    assert result.errors == []
    return result.payload


def _codes(payload, report):
    return sorted(
        (f.code, f.place.label) for f in check_report(report_data(payload), report.period.rule_pack.rules())
    )


@pytest.mark.parametrize("which", ["export", "template"])
@pytest.mark.parametrize("report_name", ["demo_report", "new_report"])
def test_unchanged_workbook_import_reports_no_change_and_no_new_finding(request, which, report_name):
    report = fresh(request.getfixturevalue(report_name))
    workbook = (
        build_workbook(report)
        if which == "export"
        else build_template(department=report.department, period=report.period)
    )
    payload = _import(report, workbook)
    changes, findings = preview(report=report, payload=payload)
    assert changes == []
    assert _codes(payload, report) == _codes(payload_of(report), report)
    assert payload == payload_of(report)


def test_blank_template_of_the_year_keeps_carried_values(demo_report, new_report):
    """The template made before the report existed (no carried rows in it) imported into the carried report."""
    pack = new_report.period.rule_pack
    period = FilingPeriod.objects.create(
        bureau=new_report.period.bureau, year=2025, deadline="2026-04-30", rule_pack=pack
    )
    workbook = build_template(department=new_report.department, period=period)
    report, _ = create_report(department=new_report.department, period=period)
    report = fresh(report)
    assert report.staff_quota == 32
    workbook["附件1"]["B4"] = None  # 编制数 left empty: not given
    payload = _import(report, workbook)
    changes, _ = preview(report=report, payload=payload)
    assert [(c.label, c.old, c.new) for c in changes] == []
    assert payload["attachment1"]["staff_quota"] == 32


def test_import_empty_cells_keep_values_and_typed_cells_change(demo_report):
    workbook = build_workbook(fresh(demo_report))
    att1, att2 = workbook["附件1"], workbook["附件2"]
    att1["B4"] = None  # 编制数
    att1["F6"] = None  # 三公经费 决算数
    find_cell(att2, "登记接待群众来访数量").offset(column=1).value = None  # 年度指标值
    att2["D5"] = 1300  # 全年预算数 typed
    before = payload_of(demo_report)
    changes, _ = preview(report=fresh(demo_report), payload=_import(demo_report, workbook))
    assert [(c.label, c.old, c.new) for c in changes] == [
        ("附件2 · 年度资金总额 · 全年预算数", "1286.3", "1300")
    ]
    assert before["attachment1"]["staff_quota"] == 32


def test_template_computed_cells_are_empty_grey_and_explained(new_report):
    workbook = build_template(department=new_report.department, period=new_report.period)
    att2 = workbook["附件2"]
    total = find_cell(att2, "总分")
    for cell in (
        att2.cell(row=total.row, column=7),
        att2.cell(row=total.row, column=8),
        att2["G5"],
        att2["H5"],
    ):
        assert (cell.value, cell.fill.fgColor.rgb) == (None, COMPUTED_FILL)
    assert att2["D5"].fill.fill_type is None  # 全年执行数 is typed
    assert workbook["附件1"]["F4"].value is None  # 控制率
    assert all(find_cell(workbook[name], LEGEND) for name in workbook.sheetnames)


def test_import_never_reads_a_grey_cell(demo_report):
    workbook = build_workbook(fresh(demo_report))
    total = find_cell(workbook["附件2"], "总分")
    workbook["附件2"].cell(row=total.row, column=8).value = 77  # typed into a computed cell
    payload = _import(demo_report, workbook)
    assert payload == payload_of(demo_report)


def test_printed_figures_other_origin_rule(new_report):
    """A workbook of other origin (no grey fill): a printed 0 over blank operands is a placeholder; a printed
    figure the system cannot compute yet, or that differs, is kept as 原填报值."""
    from openpyxl.styles import PatternFill

    workbook = write_sheets(
        workbook_rows(export_report(fresh(new_report)), new_report.period.rule_pack.rules())
    )
    att2 = workbook["附件2"]
    total = find_cell(att2, "总分")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                cell.fill = PatternFill(fill_type=None)
    att2.cell(row=total.row, column=8).value = 0
    att2["H5"] = 0  # 执行率得分: operands blank
    payload = _import(new_report, workbook)
    card = payload["attachment2"]
    assert (card["reported_total_score"], card["reported_execution_score"]) == (None, None)
    att2.cell(row=total.row, column=8).value = 93.5
    assert _import(new_report, workbook)["attachment2"]["reported_total_score"] == "93.5"


def test_import_empty_footer_on_one_sheet_neither_clears_nor_contradicts(demo_report):
    workbook = build_workbook(fresh(demo_report))
    phone = find_cell(workbook["附件2"], "联系电话：").offset(column=1)
    assert phone.value == "18373311611"
    phone.value = None
    find_cell(workbook["附件1"], "联系电话：").offset(column=1).value = None
    payload = _import(demo_report, workbook)
    assert payload["footer"] == payload_of(demo_report)["footer"]
