from django.db import migrations

from perfeval.filing.reference import sync_reference_data


def load(apps, schema_editor):
    sync_reference_data(apps.get_model("filing", "ExpenseItem"), apps.get_model("filing", "RulePack"))


class Migration(migrations.Migration):
    dependencies = [("filing", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
