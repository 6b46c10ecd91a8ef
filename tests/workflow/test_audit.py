import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent, AuditLogImmutable


def test_audit_event_refuses_update(ready_report, preparer):
    event = services.submit_report(report=ready_report, user=preparer)
    event.reason = "改写历史"
    with pytest.raises(AuditLogImmutable):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_audit_event_refuses_delete(ready_report, preparer):
    event = services.submit_report(report=ready_report, user=preparer)
    with pytest.raises(AuditLogImmutable):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).count() == 1


@pytest.mark.postgres
def test_audit_trigger_refuses_sql_update_and_delete(ready_report, preparer):
    event = services.submit_report(report=ready_report, user=preparer)
    for sql in (
        "UPDATE workflow_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM workflow_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_admin_cannot_change_or_delete_audit_events(ready_report, preparer, administrator, client):
    event = services.submit_report(report=ready_report, user=preparer)
    client.force_login(administrator)
    url = f"/admin/workflow/auditevent/{event.pk}/"
    page = client.get(f"{url}change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"{url}change/", {"reason": "x"}).status_code == 403
    assert client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_history_page_lists_every_event(ready_report, preparer, reviewer, preparer_client):
    services.submit_report(report=ready_report, user=preparer)
    services.return_report(report=ready_report, user=reviewer, reasons=[services.PinnedReason("请补充说明")])
    page = preparer_client.get(f"/reports/{ready_report.pk}/history/")
    assert page.status_code == 200
    assert [e.action for e in page.context["events"]] == [AuditAction.SUBMIT, AuditAction.RETURN]
    assert "已提交 → 已退回" in page.content.decode()
    assert "整份报告：请补充说明" in page.content.decode()
