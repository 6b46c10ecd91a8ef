"""A submitted, approved or published report cannot change through any path this app can reach."""

import pytest

from perfeval.filing.demo import load_demo, load_fixture
from perfeval.filing.locking import ReportLocked
from perfeval.filing.models import FindingExplanation, Indicator, Report, Status
from perfeval.filing.opendata import export_report, import_report
from perfeval.filing.parts import reports_with_parts
from perfeval.workflow import services

LOCKED = [Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED]


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def lock(report, status):
    Report.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    return report


def snapshot(report):
    return export_report(reports_with_parts().get(pk=report.pk))


@pytest.mark.parametrize("status", LOCKED)
def test_admin_report_change_refused_when_locked(ready_report, admin_client, status):
    lock(ready_report, status)
    before = snapshot(ready_report)
    url = f"/admin/filing/report/{ready_report.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.post(url, {"s9_application": "改了"}).status_code == 403
    assert (
        admin_client.post(f"/admin/filing/report/{ready_report.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert snapshot(ready_report) == before


@pytest.mark.parametrize("status", LOCKED)
def test_admin_part_change_refused_when_locked(ready_report, admin_client, status):
    lock(ready_report, status)
    indicator = Indicator.objects.filter(scorecard__report=ready_report).first()
    project = ready_report.projects.first()
    card = ready_report.scorecards.first()
    for url in (
        f"/admin/filing/indicator/{indicator.pk}/change/",
        f"/admin/filing/project/{project.pk}/change/",
        f"/admin/filing/scorecard/{card.pk}/change/",
    ):
        assert admin_client.post(url, {"name": "改了"}).status_code == 403
    assert (
        admin_client.post(f"/admin/filing/project/{project.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Indicator.objects.get(pk=indicator.pk).name == indicator.name
    assert ready_report.projects.filter(pk=project.pk).exists()


def test_admin_shows_a_draft_read_only_too(ready_report, admin_client):
    """The bureau never edits a department's content (perfeval.filing.access), in the admin neither."""
    before = snapshot(ready_report)
    url = f"/admin/filing/report/{ready_report.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert b'name="status"' not in page.content
    assert admin_client.post(url, {"s9_application": "改了"}).status_code == 403
    assert snapshot(ready_report) == before


@pytest.mark.parametrize("status", LOCKED)
def test_json_import_refused_when_locked(ready_report, status):
    lock(ready_report, status)
    before = snapshot(ready_report)
    with pytest.raises(ReportLocked):
        import_report(load_fixture(), report=ready_report)
    assert snapshot(ready_report) == before


def test_load_demo_leaves_a_submitted_report_alone(ready_report, preparer):
    services.submit_report(report=ready_report, user=preparer)
    before = snapshot(ready_report)
    load_demo()
    assert snapshot(ready_report) == before


@pytest.mark.parametrize("status", LOCKED)
def test_explanation_refused_when_locked(ready_report, preparer_client, status):
    lock(ready_report, status)
    explanation = ready_report.explanations.first()
    response = preparer_client.post(
        f"/reports/{ready_report.pk}/explain/",
        {"code": explanation.code, "place": explanation.place, "text": "改了"},
        follow=True,
    )
    assert "已锁定" in response.content.decode()
    assert FindingExplanation.objects.get(pk=explanation.pk).text == explanation.text


def test_returned_report_is_editable_with_all_its_data(ready_report, preparer, reviewer):
    before = snapshot(ready_report)
    services.submit_report(report=ready_report, user=preparer)
    services.return_report(report=ready_report, user=reviewer, reasons=[services.PinnedReason("请核对")])
    after = snapshot(ready_report)
    assert {**after, "status": None} == {**before, "status": None}
    payload = load_fixture()
    import_report(payload, report=Report.objects.get(pk=ready_report.pk))
    assert Report.objects.get(pk=ready_report.pk).status == Status.RETURNED
