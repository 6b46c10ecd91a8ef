"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit log (TRUNCATE, used by test
teardown and deliberate wipes by the database owner, is not a row operation and stays possible)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION workflow_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计日志只能追加，不能修改或删除 (workflow_auditevent)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workflow_auditevent_append_only
    BEFORE UPDATE OR DELETE ON workflow_auditevent
    FOR EACH ROW EXECUTE FUNCTION workflow_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS workflow_auditevent_append_only ON workflow_auditevent;
DROP FUNCTION IF EXISTS workflow_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
