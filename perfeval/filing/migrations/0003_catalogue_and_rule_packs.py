from django.db import migrations

from perfeval.rules import catalogue
from perfeval.rules.packs import SHIPPED_PACKS


def load(apps, schema_editor):
    ExpenseItem = apps.get_model("filing", "ExpenseItem")
    for item in catalogue.EXPENSE_ITEMS:
        ExpenseItem.objects.update_or_create(
            code=item.code,
            defaults={
                "label": item.label,
                "parent_id": item.parent,
                "order": item.order,
                "children_rule": item.children_rule or "",
                "has_prior": item.has_prior,
                "indent": item.indent,
            },
        )
    RulePack = apps.get_model("filing", "RulePack")
    for definition in SHIPPED_PACKS:
        RulePack.objects.update_or_create(
            code=definition["code"],
            version=definition["version"],
            defaults={"name": definition["name"], "definition": definition},
        )


class Migration(migrations.Migration):
    dependencies = [("filing", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
