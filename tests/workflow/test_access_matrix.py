"""Every URL with a report_id, generated from the URL configuration: another department's preparer gets 404
(GET and POST) and the attempt is on record; the owner does not get 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from perfeval.evidence import services as evidence
from perfeval.excel.models import ImportUpload
from perfeval.filing.models import Report
from perfeval.filing.opendata import export_report
from perfeval.filing.parts import reports_with_parts
from perfeval.publishing.models import DraftPdf, PdfStatus
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent
from tests.evidence import files


def report_urls(patterns=None, namespace=""):
    """(name, kwarg names) of every named pattern whose route has a report_id."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from report_urls(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and "report_id" in entry.pattern.converters:
            assert entry.name, f"URL {entry.pattern} has a report_id but no name: name it so it can be tested"
            yield f"{namespace}{entry.name}", tuple(entry.pattern.converters)


REPORT_URLS = sorted(set(report_urls()))


def test_matrix_covers_the_workflow_urls():
    names = {name for name, _ in REPORT_URLS}
    assert {"report_detail", "workflow:submit", "workflow:history", "workflow:resolve"} <= names
    assert {
        "evidence:place",
        "evidence:upload",
        "evidence:file",
        "evidence:remove",
        "evidence:public",
    } <= names


@pytest.fixture
def kwargs_for(ready_report, preparer, reviewer):
    """Fill every kwarg a report URL may have from the demo data; an unknown kwarg fails the test."""
    services.submit_report(report=ready_report, user=preparer)
    round_ = services.return_report(
        report=ready_report, user=reviewer, reasons=[services.PinnedReason("请核对", "att1", "sangong")]
    )
    card = ready_report.scorecards.filter(kind="project").select_related("project").first()
    upload = ImportUpload.objects.create(
        report=ready_report,
        user=preparer,
        sha256="0" * 64,
        original_name="demo.xlsx",
        size=1,
        payload=export_report(reports_with_parts().get(pk=ready_report.pk)),
        base_version=Report.objects.get(pk=ready_report.pk).version,
    )
    draft_pdf = DraftPdf.objects.create(
        report=ready_report, content_sha256="0" * 64, status=PdfStatus.DONE, pdf=b"%PDF-1.7", pages=1
    )
    (evidence_file,) = evidence.add_evidence(
        report=Report.objects.get(pk=ready_report.pk),
        user=preparer,
        place=evidence.Place(reason=round_.reasons.get()),
        files=[SimpleUploadedFile("调查.pdf", files.pdf())],
    )
    values = {
        "evidence_id": evidence_file.pk,
        "draft_id": draft_pdf.pk,
        "report_id": ready_report.pk,
        "reason_id": round_.reasons.get().pk,
        "project_id": card.project.pk,
        "scorecard_id": card.pk,
        "indicator_id": card.indicators.first().pk,
        "year": ready_report.period.year,
        "version": ready_report.version,
        "upload_id": upload.pk,
        "part": "att2",
    }

    def fill(converters):
        unknown = set(converters) - set(values)
        assert not unknown, f"the access matrix does not know how to fill {unknown}: add it to kwargs_for"
        return {name: values[name] for name in converters}

    return fill


@pytest.mark.parametrize(("name", "converters"), REPORT_URLS)
def test_other_department_gets_404(kwargs_for, other_client, other_preparer, name, converters):
    url = reverse(name, kwargs=kwargs_for(converters))
    get = other_client.get(url).status_code
    # A POST-only view may answer a GET with 405 before looking at the report: the same answer for every id,
    # so it reveals nothing. The POST must be a 404.
    assert get in (404, 405)
    assert other_client.post(url, {}).status_code == 404
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED, actor=other_preparer)
    refused = {"status": 404, "denial": "other_department"}
    expected = [(url, {"method": "GET", **refused})] if get == 404 else []
    assert list(denied.values_list("path", "details")) == [*expected, (url, {"method": "POST", **refused})]


# A 404 the owner may get because the thing does not exist yet for a returned report (not an access refusal).
OWNER_404_BEFORE_APPROVAL = {"publishing:report_pdf": "正式 PDF 在审核通过后才存在"}


@pytest.mark.parametrize(("name", "converters"), REPORT_URLS)
def test_owner_does_not_get_404(kwargs_for, preparer_client, name, converters):
    url = reverse(name, kwargs=kwargs_for(converters))
    allowed = (200, 302, 403, 405, 404) if name in OWNER_404_BEFORE_APPROVAL else (200, 302, 403, 405)
    assert preparer_client.get(url).status_code in allowed
