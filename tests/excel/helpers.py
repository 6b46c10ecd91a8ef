"""Workbooks for the tests: the demo exported, then edited with openpyxl as a preparer would in Excel."""

import io
import re
import zipfile

from perfeval.excel.exports import build_workbook
from perfeval.filing.opendata import export_report
from perfeval.filing.parts import reports_with_parts


def fresh(report):
    return reports_with_parts().get(pk=report.pk)


def payload_of(report):
    return export_report(fresh(report))


def demo_workbook(report):
    return build_workbook(fresh(report))


def to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(
    content: bytes, *, replace: dict | None = None, add: dict | None = None, compression=zipfile.ZIP_DEFLATED
):
    """The same .xlsx with some parts replaced or added (bytes by part name)."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, data in add.items():
            target.writestr(name, data)
    return out.getvalue()


def find_cell(worksheet, text):
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise LookupError(text)


def stalling_workbook(
    *, dimension: str | None = "A1:XFD1048576", cell: str = "A1048576", extra: int = 0
) -> bytes:
    """A few-KB workbook of one sheet 「附件1」 holding one cell at ``cell`` and ``extra`` filled rows, its
    ``<dimension>`` rewritten to ``dimension`` (removed when None): before the sheet scan, the declared
    A1:XFD1048576 kept openpyxl busy for minutes."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "附件1"
    for row in range(1, extra + 1):
        sheet.append([row] * 10)
    sheet[cell] = "x"
    content = to_bytes(workbook)
    part = "xl/worksheets/sheet1.xml"
    xml = zipfile.ZipFile(io.BytesIO(content)).read(part)
    declared = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    xml = re.sub(rb"<dimension [^>]*/>", declared, xml)
    return rezip(content, replace={part: xml})
