"""Every URL with a report_id, generated from the URL configuration: another department's preparer gets 404
(GET and POST) and the attempt is on record; the owner does not get 404. Every URL with a notice_id: anyone but
the notice's recipient — another department's preparer, the same department's head, a reviewer — gets 404."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from perfeval.excel.models import ImportUpload
from perfeval.filing.models import Report
from perfeval.filing.opendata import export_report
from perfeval.filing.parts import reports_with_parts
from perfeval.publishing.models import DraftPdf, PdfStatus
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent


def report_urls(patterns=None, namespace="", key="report_id"):
    """(name, kwarg names) of every named pattern whose route has ``key``."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from report_urls(entry.url_patterns, inner, key)
        elif isinstance(entry, URLPattern) and key in entry.pattern.converters:
            assert entry.name, f"URL {entry.pattern} has a {key} but no name: name it so it can be tested"
            yield f"{namespace}{entry.name}", tuple(entry.pattern.converters)


REPORT_URLS = sorted(set(report_urls()))
NOTICE_URLS = sorted(set(report_urls(key="notice_id")))


def test_matrix_covers_the_workflow_urls():
    names = {name for name, _ in REPORT_URLS}
    assert {"report_detail", "workflow:submit", "workflow:history", "workflow:resolve"} <= names


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
    values = {
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


def test_matrix_covers_the_notice_urls():
    assert {name for name, _ in NOTICE_URLS} == {"notices:detail", "notices:read"}


@pytest.mark.parametrize(("name", "converters"), NOTICE_URLS)
@pytest.mark.parametrize("intruder", ["other_client", "head", "reviewer_client"])
def test_notice_of_another_user_gets_404(request, preparer, preparer_client, name, converters, intruder):
    from django.test import Client

    from perfeval.notices.models import Notice

    notice = Notice.objects.create(recipient=preparer, title="催报", link="/")
    url = reverse(name, kwargs={"notice_id": notice.pk})
    if intruder == "head":  # the same department, another person
        client = Client()
        client.force_login(request.getfixturevalue("head"))
    else:
        client = request.getfixturevalue(intruder)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert Notice.objects.get(pk=notice.pk).read_at is None
    assert preparer_client.get(url).status_code in (200, 405)
