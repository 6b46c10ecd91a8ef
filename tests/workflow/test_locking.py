"""A submitted, approved or published report cannot change through any path this app can reach."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from perfeval.filing.demo import load_demo, load_fixture
from perfeval.filing.locking import ReportLocked
from perfeval.filing.models import FindingExplanation, Indicator, Report, Status
from perfeval.filing.opendata import export_report, import_report
from perfeval.filing.parts import reports_with_parts
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent

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


def refused_with_message(response, status) -> bool:
    """The admin's answer to a write on a locked report: back to the page with the lock message, never a 500."""
    label = Status(status).label
    messages = [str(m) for m in response.context["messages"]] if response.context else []
    return response.status_code == 200 and f"报告当前状态为「{label}」，已锁定，不能修改。" in messages


@pytest.mark.parametrize("status", LOCKED)
def test_admin_report_change_refused_when_locked(ready_report, admin_client, status):
    lock(ready_report, status)
    before = snapshot(ready_report)
    url = f"/admin/filing/report/{ready_report.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert refused_with_message(admin_client.post(url, {"s9_application": "改了"}, follow=True), status)
    delete = f"/admin/filing/report/{ready_report.pk}/delete/"
    assert refused_with_message(admin_client.post(delete, {"post": "yes"}, follow=True), status)
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
        assert refused_with_message(admin_client.post(url, {"name": "改了"}, follow=True), status)
    delete = f"/admin/filing/project/{project.pk}/delete/"
    assert refused_with_message(admin_client.post(delete, {"post": "yes"}, follow=True), status)
    assert Indicator.objects.get(pk=indicator.pk).name == indicator.name
    assert ready_report.projects.filter(pk=project.pk).exists()


@pytest.mark.parametrize("status", LOCKED)
def test_admin_adding_an_indicator_or_project_to_a_locked_report_is_a_form_error(
    ready_report, admin_client, status
):
    lock(ready_report, status)
    before = snapshot(ready_report)
    card = ready_report.scorecards.get(kind="department")
    indicator = {
        "scorecard": card.pk,
        "order": 990,
        "level1": "output",
        "level2": "quantity",
        "name": "新增指标",
    }
    project = {"report": ready_report.pk, "order": 990, "name": "新增项目", "category": "business"}
    for url, data in (("/admin/filing/indicator/add/", indicator), ("/admin/filing/project/add/", project)):
        response = admin_client.post(url, data)
        assert response.status_code == 200
        errors = response.context["adminform"].form.non_field_errors()
        assert errors == [f"报告当前状态为「{Status(status).label}」，已锁定，不能修改。"]
    assert snapshot(ready_report) == before


def test_admin_bulk_delete_of_a_locked_reports_projects_is_refused(ready_report, admin_client):
    lock(ready_report, Status.SUBMITTED)
    ids = list(ready_report.projects.values_list("pk", flat=True))
    response = admin_client.post(
        "/admin/filing/project/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        follow=True,
    )
    assert refused_with_message(response, Status.SUBMITTED)
    assert ready_report.projects.count() == len(ids)


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
        {
            "code": explanation.code,
            "place": explanation.place,
            "text": "改了",
            "version": ready_report.version,
        },
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


def test_load_demo_reset_refuses_a_submitted_report_unless_forced(ready_report, preparer):
    services.submit_report(report=ready_report, user=preparer)
    before = snapshot(ready_report)
    with pytest.raises(CommandError, match="演示报告当前状态为「已提交」，重置会把它改回草稿"):
        call_command("load_demo", reset=True, stdout=StringIO())
    assert snapshot(ready_report) == before
    assert not AuditEvent.objects.filter(action=AuditAction.RESET).exists()


def test_load_demo_reset_of_a_published_report_goes_through_the_workflow(
    ready_report, preparer, reviewer, django_capture_on_commit_callbacks
):
    services.submit_report(report=ready_report, user=preparer)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_report(report=ready_report, user=reviewer)
        services.publish_report(report=ready_report, user=reviewer, published_where="财政局网站")
    published = Report.objects.get(pk=ready_report.pk)
    call_command("load_demo", reset=True, force=True, stdout=StringIO())
    report = Report.objects.get(pk=ready_report.pk)
    assert (report.status, report.version) == (Status.DRAFT, published.version + 1)
    assert snapshot(report) == load_fixture()
    event = AuditEvent.objects.get(action=AuditAction.RESET)
    assert (
        event.report_id,
        event.actor,
        event.status_from,
        event.status_to,
        event.version,
        event.reason,
    ) == (
        report.pk,
        None,
        Status.PUBLISHED,
        Status.DRAFT,
        report.version,
        "load_demo --reset --force：恢复为原始发布稿",
    )
    assert report.published_versions.count() == 1  # the public record stays as published


def test_load_demo_reset_of_a_draft_is_audited_too(demo_report):
    call_command("load_demo", reset=True, stdout=StringIO())
    assert AuditEvent.objects.filter(action=AuditAction.RESET, status_from=Status.DRAFT).count() == 1
