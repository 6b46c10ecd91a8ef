"""Approved and published demo reports, and the read-back helpers of the PDF tests."""

import functools
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
