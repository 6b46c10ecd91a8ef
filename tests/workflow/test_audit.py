import os

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


def test_audit_log_refuses_queryset_update_and_delete_on_every_engine(ready_report, preparer):
    event = services.submit_report(report=ready_report, user=preparer)
    with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="改写历史")
    with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert list(AuditEvent.objects.values_list("pk", "reason")) == [(event.pk, "")]


APP_ROLE = "perfeval_app"


@pytest.fixture
def as_app_role(db):
    """The connection under the app's production role (not the tables' owner), granted by grant_app_role."""
    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [APP_ROLE])
        row = cursor.fetchone()
    if not row or not row[0]:
        pytest.fail(
            f"PostgreSQL role {APP_ROLE} missing: CREATE ROLE {APP_ROLE} NOLOGIN; GRANT {APP_ROLE} TO <test user>"
        )
    call_command("grant_app_role", APP_ROLE, stdout=open(os.devnull, "w"))  # noqa: SIM115
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {APP_ROLE}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@pytest.mark.postgres
def test_app_role_runs_the_workflow_but_cannot_touch_the_audit_log(ready_report, preparer, as_app_role):
    event = services.submit_report(report=ready_report, user=preparer)  # the app itself works under the role
    for sql in (
        f"UPDATE workflow_auditevent SET reason = 'x' WHERE id = {event.pk}",
        f"DELETE FROM workflow_auditevent WHERE id = {event.pk}",
        "TRUNCATE workflow_auditevent CASCADE",
        "ALTER TABLE workflow_auditevent DISABLE TRIGGER workflow_auditevent_append_only",
        "ALTER TABLE workflow_auditevent DISABLE TRIGGER ALL",
        "DROP TRIGGER workflow_auditevent_append_only ON workflow_auditevent",
        "SET session_replication_role = replica",
        "DELETE FROM django_migrations",
    ):
        with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (APP_ROLE,)
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.postgres
def test_grant_app_role_refuses_the_owner_role(db):
    from django.core.management import CommandError, call_command

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="就是运行本命令的表所有者"):
        call_command("grant_app_role", owner)
