import django.db.models.deletion
from django.db import migrations, models


def give_periods_to_the_local_bureau(apps, schema_editor):
    """Periods from before bureaus belong to the one bureau the installation served (orgs 0002)."""
    FilingPeriod = apps.get_model("filing", "FilingPeriod")
    if not FilingPeriod.objects.exists():
        return
    FinanceBureau = apps.get_model("orgs", "FinanceBureau")
    bureau = FinanceBureau.objects.get_or_create(
        code="local", defaults={"name": "本级财政部门", "level": "city"}
    )[0]
    FilingPeriod.objects.filter(bureau__isnull=True).update(bureau=bureau)


class Migration(migrations.Migration):
    dependencies = [("filing", "0005_complete_report_skeletons"), ("orgs", "0002_finance_bureau")]

    operations = [
        migrations.AddField(
            model_name="rulepack",
            name="bureau",
            field=models.ForeignKey(
                blank=True,
                help_text="留空：随系统提供，各财政部门共用。",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rule_packs",
                to="orgs.financebureau",
                verbose_name="所属财政部门",
            ),
        ),
        migrations.AddField(
            model_name="filingperiod",
            name="bureau",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="periods",
                to="orgs.financebureau",
                verbose_name="财政部门",
            ),
        ),
        migrations.RunPython(give_periods_to_the_local_bureau, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="filingperiod",
            name="bureau",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="periods",
                to="orgs.financebureau",
                verbose_name="财政部门",
            ),
        ),
        migrations.AlterModelOptions(
            name="filingperiod",
            options={
                "ordering": ["-year", "bureau"],
                "verbose_name": "填报期",
                "verbose_name_plural": "填报期",
            },
        ),
        migrations.AlterField(
            model_name="report",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("supervisor_review", "主管部门审核中"),
                    ("submitted", "已提交"),
                    ("returned", "已退回"),
                    ("approved", "已审核通过"),
                    ("published", "已公开"),
                ],
                default="draft",
                max_length=20,
                verbose_name="状态",
            ),
        ),
    ]
