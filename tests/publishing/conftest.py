"""Approved and published demo reports, and the read-back helpers of the PDF tests."""

import functools
import hashlib
from io import BytesIO

import pytest

from perfeval.filing.models import Report, Status
from perfeval.filing.parts import reports_with_parts


@functools.cache
def pdf_pages(data: bytes) -> tuple[str, ...]:
    """The text of each page (read once per distinct PDF: several tests read the same document)."""
    from pypdf import PdfReader

    return tuple(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def pdf_lines(data: bytes) -> list[str]:
    return [line.strip() for text in pdf_pages(data) for line in text.splitlines()]


_RENDERED: dict[tuple[bytes, int], bytes] = {}


@pytest.fixture(autouse=True)
def render_each_document_once(monkeypatch):
    """Most tests here freeze or publish the same demo, and each render costs about a second: the real
    ``render_pdf`` runs once per distinct document and page cap in a run, and its bytes are served to the next
    test that renders the same document (a render is deterministic: re-downloads are byte-identical). Refusals
    are never remembered; tests of the renderer itself import it directly and always render."""
    from perfeval.publishing import pdf

    render = pdf.render_pdf

    def render_once(html, *, timeout=None, max_pages=None):
        key = (
            hashlib.sha256(html.encode()).digest(),
            pdf.pdf_max_pages() if max_pages is None else max_pages,
        )
        if key not in _RENDERED:
            _RENDERED[key] = render(html, timeout=timeout, max_pages=max_pages)
        return _RENDERED[key]

    monkeypatch.setattr(pdf, "render_pdf", render_once)


@pytest.fixture
def live_demo(demo_report):
    return reports_with_parts().get(pk=demo_report.pk)


@pytest.fixture
def approved_report(demo_report):
    # Set-up only: the workflow's approve_report is the real path (tested in tests/workflow).
    Report.objects.filter(pk=demo_report.pk).update(status=Status.APPROVED)
    return reports_with_parts().get(pk=demo_report.pk)


@pytest.fixture
def frozen(approved_report, reviewer, django_capture_on_commit_callbacks):
    from perfeval.publishing.services import freeze_report

    with django_capture_on_commit_callbacks(execute=True):
        snapshot = freeze_report(report=approved_report, user=reviewer)
    snapshot.refresh_from_db()
    return snapshot


@pytest.fixture
def published(frozen, reviewer, django_capture_on_commit_callbacks):
    from perfeval.publishing.services import publish

    with django_capture_on_commit_callbacks(execute=True):
        version = publish(report=frozen.report, user=reviewer, published_where="株洲市财政局门户网站")
    version.refresh_from_db()
    return version
