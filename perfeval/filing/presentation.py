"""Plain rows for the report page and the PDF (filled in by the report-page work)."""


def report_document(report):
    return {"report": report}
