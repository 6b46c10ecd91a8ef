"""A workbook's printed figures in computed places, and 附件2's income side, through the import."""

from decimal import Decimal

import pytest
from openpyxl.styles import PatternFill

from perfeval.excel.imports import read_workbook
from perfeval.rules.checks import check_report
from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, rule_pack_from_dict
from perfeval.rules.payload import report_data
from tests.excel.helpers import demo_workbook, find_cell, fresh, payload_of, to_bytes

pytestmark = pytest.mark.django_db
HUNAN = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)


def _findings(payload):
    return check_report(report_data(payload), HUNAN)


def _read(report, workbook):
    report = fresh(report)
    return read_workbook(to_bytes(workbook), current=payload_of(report), pack=report.period.rule_pack.rules())


def test_printed_attachment3_total_of_zeros_is_kept_and_found(demo_report):
    """附件3 prints 年度资金总额 0/0/0 while 当年财政拨款 holds 425 / 426.23 / 426.23: kept as printed, reported."""
    workbook = demo_workbook(demo_report)
    sheet = workbook[workbook.sheetnames[2]]
    total = find_cell(sheet, "年度资金总额")
    for offset in (1, 2, 3):
        cell = total.offset(column=offset)
        cell.value, cell.fill = 0, PatternFill()  # a workbook of other origin: no grey computed cells
    result = _read(demo_report, workbook)
    assert result.errors == []
    card = result.payload["projects"][0]["attachment3"]
    assert [card[f"reported_funds_{c}"] for c in ("initial", "full_year", "executed")] == ["0", "0", "0"]
    codes = [
        (f.code, f.place.column) for f in _findings(result.payload) if f.code == "ATT3_FUNDS_TOTAL_MISMATCH"
    ]
    assert codes == [("ATT3_FUNDS_TOTAL_MISMATCH", c) for c in ("initial", "full_year", "executed")]


def test_unchanged_attachment3_total_keeps_no_printed_figure(demo_report):
    result = _read(demo_report, demo_workbook(demo_report))
    card = result.payload["projects"][0]["attachment3"]
    assert card["reported_funds_executed"] is None


def test_income_side_read_from_the_workbook(demo_report):
    workbook = demo_workbook(demo_report)
    sheet = workbook["附件2"]
    for label, value in (("财政拨款收入", 1200), ("上年结转", 50), ("其他收入", Decimal("0"))):
        find_cell(sheet, label).offset(column=2).value = value
    result = _read(demo_report, workbook)
    assert result.errors == []
    card = result.payload["attachment2"]
    assert (card["revenue_fiscal"], card["revenue_carryover"], card["revenue_other"]) == ("1200", "50", "0")
    assert "ATT2_SPENDING_EXCEEDS_INCOME" in {f.code for f in _findings(result.payload)}
