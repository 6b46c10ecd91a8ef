"""``manage.py export_report --format pdf``: the final PDF of an approved report, else a draft marked 草稿."""

from perfeval.filing.models import Status


def _render(parts: list) -> bytes:
    from perfeval.filing.bounds import pdf_limits
    from perfeval.publishing.pdf import render_document

    timeout, max_pages = pdf_limits(len(parts))
    return render_document(parts, timeout=timeout, max_pages=max_pages)


def pdf_bytes_for(report) -> bytes:
    """The stored final PDF when the report is approved or published and its snapshot has one; otherwise a
    draft rendered from the live report (marked 草稿 across every page)."""
    from perfeval.filing.presentation import live_document
    from perfeval.publishing.documents import document_parts
    from perfeval.publishing.services import latest_snapshot, snapshot_parts

    final = report.status in (Status.APPROVED, Status.PUBLISHED)
    snapshot = latest_snapshot(report) if final else None
    if snapshot is not None:
        return bytes(snapshot.pdf) if snapshot.pdf_ready else _render(snapshot_parts(snapshot.data))
    # Approved before snapshots existed: the live report is locked, so it is what was approved.
    return _render(document_parts(live_document(report), draft=not final))


def write_pdf(report, output_path: str) -> None:
    with open(output_path, "wb") as handle:
        handle.write(pdf_bytes_for(report))
