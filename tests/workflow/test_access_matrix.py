"""Every URL with a report_id, generated from the URL configuration: another department's preparer, another
bureau's reviewer and an unrelated 主管部门's reviewer get 404 (GET and POST) and the attempt is on record; the
owner does not get 404; a bureau above reads a lower bureau's report and changes nothing. Every URL with a
notice_id: anyone but the notice's recipient — another department's preparer, the same department's head, a
reviewer of this bureau or another — gets 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from perfeval.evidence import services as evidence
from perfeval.excel.models import ImportUpload
from perfeval.filing.demo import load_fixture
from perfeval.filing.models import Report, Status
from perfeval.filing.opendata import export_report, import_report
from perfeval.filing.parts import reports_with_parts
from perfeval.publishing.models import DraftPdf, PdfStatus
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent, ReturnRound
from tests.evidence import files
from tests.workflow.helpers import district_report


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
    assert {
        "evidence:place",
        "evidence:upload",
        "evidence:file",
        "evidence:remove",
        "evidence:public",
    } <= names


def url_values(report, *, preparer, reviewer) -> dict:
    """A value for every kwarg a report URL may have, made on ``report``: a return round (``reviewer``
    returns it after ``preparer``'s submission, or it is put in 已提交 when it could not be submitted), an
    upload, a draft PDF."""
    try:
        services.submit_report(report=report, user=preparer)
    except services.WorkflowError:  # a blank draft: put where a reviewer can return it
        Report.objects.filter(pk=report.pk).update(status=Status.SUBMITTED)
        report.refresh_from_db()
    round_ = services.return_report(
        report=report, user=reviewer, reasons=[services.PinnedReason("请核对", "att1", "sangong")]
    )
    card = report.scorecards.filter(kind="project").select_related("project").first()
    upload = ImportUpload.objects.create(
        report=report,
        user=preparer,
        sha256="0" * 64,
        original_name="demo.xlsx",
        size=1,
        payload=export_report(reports_with_parts().get(pk=report.pk)),
        base_version=Report.objects.get(pk=report.pk).version,
    )
    draft_pdf = DraftPdf.objects.create(
        report=report, content_sha256="0" * 64, status=PdfStatus.DONE, pdf=b"%PDF-1.7", pages=1
    )
    (evidence_file,) = evidence.add_evidence(
        report=Report.objects.get(pk=report.pk),
        user=preparer,
        place=evidence.Place(reason=round_.reasons.get()),
        files=[SimpleUploadedFile("调查.pdf", files.pdf())],
    )
    return {
        "evidence_id": evidence_file.pk,
        "draft_id": draft_pdf.pk,
        "report_id": report.pk,
        "reason_id": round_.reasons.get().pk,
        "project_id": card.project.pk if card else 0,
        "scorecard_id": card.pk if card else 0,
        "indicator_id": card.indicators.first().pk if card and card.indicators.exists() else 0,
        "year": report.period.year,
        "version": report.version,
        "upload_id": upload.pk,
        "part": "att2",
    }


def filler(values):
    def fill(converters):
        unknown = set(converters) - set(values)
        assert not unknown, f"the access matrix does not know how to fill {unknown}: add it to url_values"
        return {name: values[name] for name in converters}

    return fill


@pytest.fixture
def kwargs_for(ready_report, preparer, reviewer):
    """Fill every kwarg a report URL may have from the demo data; an unknown kwarg fails the test."""
    return filler(url_values(ready_report, preparer=preparer, reviewer=reviewer))


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_404_on_record(client, user, url) -> None:
    get = client.get(url).status_code
    # A POST-only view may answer a GET with 405 before looking at the report: the same answer for every id,
    # so it reveals nothing. The POST must be a 404.
    assert get in (404, 405)
    assert client.post(url, {}).status_code == 404
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED, actor=user)
    refused = {"status": 404, "denial": "other_department"}
    expected = [(url, {"method": "GET", **refused})] if get == 404 else []
    assert list(denied.values_list("path", "details")) == [*expected, (url, {"method": "POST", **refused})]


@pytest.mark.parametrize(("name", "converters"), REPORT_URLS)
def test_other_department_gets_404(kwargs_for, other_client, other_preparer, name, converters):
    assert_404_on_record(other_client, other_preparer, reverse(name, kwargs=kwargs_for(converters)))


@pytest.mark.parametrize(("name", "converters"), REPORT_URLS)
def test_other_bureau_gets_404(kwargs_for, users, name, converters):
    """The district bureau's reviewer, on the city bureau's report."""
    user = users["lusong_reviewer"]
    assert_404_on_record(client_of(user), user, reverse(name, kwargs=kwargs_for(converters)))


@pytest.mark.parametrize(("name", "converters"), REPORT_URLS)
def test_unrelated_supervisor_gets_404(kwargs_for, users, name, converters):
    """The 主管部门 reviewer of 株洲市民政局, on 株洲市信访局's report (not one of its units)."""
    user = users["zzmzj_supervisor"]
    assert_404_on_record(client_of(user), user, reverse(name, kwargs=kwargs_for(converters)))


@pytest.fixture
def unit_kwargs_for(unit_report, users):
    return filler(
        url_values(unit_report, preparer=users["zzsfly_preparer"], reviewer=users["zzmzj_supervisor"])
    )


@pytest.mark.parametrize(("name", "converters"), REPORT_URLS)
def test_supervisors_own_department_gets_404_on_its_units_report(unit_kwargs_for, users, name, converters):
    """The 主管部门's own preparer sees nothing of its units' reports: only its reviewer does."""
    user = users["zzmzj_preparer"]
    assert_404_on_record(client_of(user), user, reverse(name, kwargs=unit_kwargs_for(converters)))


@pytest.fixture
def district_kwargs_for(users):
    """The district bureau's report (the demo's figures, so it has projects and indicators), returned by its
    reviewer and submitted again: waiting for review."""
    from perfeval.orgs.models import Role, User

    report = import_report(load_fixture(), report=district_report())
    preparer = User.objects.create(
        username="lsjyj_preparer", role=Role.PREPARER, department=report.department
    )
    values = url_values(report, preparer=preparer, reviewer=users["lusong_reviewer"])
    Report.objects.filter(pk=report.pk).update(status=Status.SUBMITTED)
    return report, filler(values)


# Valid data for every action a report URL takes (return, approve, reopen, publish, forward, edit…): a POST
# that changes nothing changes nothing because it was refused, not because the form was empty.
ACTION_DATA = {
    "form-TOTAL_FORMS": "1",
    "form-INITIAL_FORMS": "0",
    "form-0-place": "||",
    "form-0-text": "请核对",
    "confirmed": "on",
    "confirm": "on",
    "note": "同意",
    "opinion": "同意",
    "reason": "更正",
    "public_date": "2024-05-10",
    "reply": "已改",
}


def test_action_data_is_what_the_own_bureau_acts_with(district_kwargs_for, users):
    report, fill = district_kwargs_for
    response = client_of(users["lusong_reviewer"]).post(
        reverse("workflow:return", kwargs=fill(("report_id",))), ACTION_DATA
    )
    assert (response.status_code, Report.objects.get(pk=report.pk).status) == (302, Status.RETURNED)


@pytest.mark.parametrize(("name", "converters"), REPORT_URLS)
def test_bureau_above_reads_and_changes_nothing(district_kwargs_for, reviewer, name, converters):
    """The city bureau's reviewer on the district bureau's submitted report: no 404 (it may read), and no
    POST changes the report or opens a return round."""
    report, fill = district_kwargs_for
    url = reverse(name, kwargs=fill(converters))
    client = client_of(reviewer)
    allowed = (200, 302, 403, 405, 404) if name in OWNER_404_BEFORE_APPROVAL else (200, 302, 403, 405)
    assert client.get(url).status_code in allowed
    before = (Report.objects.values_list("status", "version").get(pk=report.pk), ReturnRound.objects.count())
    # 400: a request the view refuses before reading it (the evidence upload wants its files).
    assert client.post(url, ACTION_DATA).status_code in (200, 302, 400, 403, 405, 404)
    after = (Report.objects.values_list("status", "version").get(pk=report.pk), ReturnRound.objects.count())
    assert after == before


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
@pytest.mark.parametrize(
    "intruder", ["zzmzj_preparer", "zzxfj_head", "reviewer", "lusong_reviewer", "zzmzj_supervisor"]
)
def test_notice_of_another_user_gets_404(users, preparer, preparer_client, name, converters, intruder):
    from perfeval.notices.models import Notice

    notice = Notice.objects.create(recipient=preparer, title="催报", link="/")
    url = reverse(name, kwargs={"notice_id": notice.pk})
    client = client_of(users[intruder])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert Notice.objects.get(pk=notice.pk).read_at is None
    assert preparer_client.get(url).status_code in (200, 405)
