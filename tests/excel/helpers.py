"""Workbooks for the tests: the demo exported, then edited with openpyxl as a preparer would in Excel."""

import io
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
