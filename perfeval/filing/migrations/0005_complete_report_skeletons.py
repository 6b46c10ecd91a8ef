"""Reports made before every report got its full skeleton at creation (a period opened with carry-forward
created neither 附件2 nor any 附件3) get what they lack, blank: 附件2, every budget-block row, and a 附件3 for
each project that has none and no stated reason. Only editable reports: a submitted, approved or published one
is frozen as it was. The shipped rule packs learn the year and region they were made for."""

from django.db import migrations

from perfeval.filing.creation import complete_skeletons
from perfeval.rules.packs import SHIPPED_PACKS

EDITABLE = ("draft", "returned")


def complete(apps, schema_editor):
    report_model = apps.get_model("filing", "Report")
    complete_skeletons(
        report_ids=report_model.objects.filter(status__in=EDITABLE).values_list("pk", flat=True), apps=apps
    )


def label_shipped_packs(apps, schema_editor):
    rule_pack_model = apps.get_model("filing", "RulePack")
    for shipped in SHIPPED_PACKS:
        for pack in rule_pack_model.objects.filter(code=shipped["code"], version=shipped["version"]):
            for key in ("year", "region"):
                if key in shipped:
                    pack.definition.setdefault(key, shipped[key])
            pack.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [("filing", "0004_exact_amounts_and_bounds")]
    operations = [
        migrations.RunPython(complete, migrations.RunPython.noop),
        migrations.RunPython(label_shipped_packs, migrations.RunPython.noop),
    ]
