"""On SQLite too the database refuses UPDATE and DELETE on the audit log, as PostgreSQL's trigger does (0002):
QuerySet.update() and .delete() go straight to SQL, past the model's save() and delete() guards.

SQLite has no TRUNCATE; the test suite's flush between transactional tests drops these triggers for the
DELETE and puts them back (tests/conftest.py), as PostgreSQL's TRUNCATE passes its trigger."""

from django.db import migrations

MESSAGE = "审计日志只能追加，不能修改或删除 (workflow_auditevent)"
CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS workflow_auditevent_no_{operation.lower()}
    BEFORE {operation} ON workflow_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
    for operation in ("UPDATE", "DELETE")
]
DROP = [f"DROP TRIGGER IF EXISTS workflow_auditevent_no_{operation};" for operation in ("update", "delete")]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0002_auditevent_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
