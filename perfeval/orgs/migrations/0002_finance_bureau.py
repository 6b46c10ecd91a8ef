import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, Q

LOCAL = {"code": "local", "name": "本级财政部门", "level": "city"}


def local_bureau(apps):
    """An installation from before bureaus served one bureau: its departments and reviewers become that
    bureau's, under a name the administrator can change in the admin."""
    FinanceBureau = apps.get_model("orgs", "FinanceBureau")
    code = LOCAL["code"]
    return FinanceBureau.objects.get_or_create(
        code=code, defaults={k: v for k, v in LOCAL.items() if k != "code"}
    )[0]


def give_existing_to_one_bureau(apps, schema_editor):
    Department = apps.get_model("orgs", "Department")
    User = apps.get_model("orgs", "User")
    bureau_people = User.objects.filter(role__in=["reviewer", "administrator"], is_superuser=False)
    if not Department.objects.exists() and not bureau_people.exists():
        return
    bureau = local_bureau(apps)
    Department.objects.filter(bureau__isnull=True).update(bureau=bureau)
    bureau_people.filter(bureau__isnull=True).update(bureau=bureau)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="FinanceBureau",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                ("code", models.SlugField(unique=True, verbose_name="代码")),
                (
                    "level",
                    models.CharField(
                        choices=[("province", "省级"), ("city", "市级"), ("county", "县区级")],
                        max_length=10,
                        verbose_name="级次",
                    ),
                ),
                ("region", models.CharField(blank=True, max_length=100, verbose_name="行政区域")),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="orgs.financebureau",
                        verbose_name="上级财政部门",
                    ),
                ),
            ],
            options={
                "verbose_name": "财政部门",
                "verbose_name_plural": "财政部门",
                "ordering": ["code"],
                "constraints": [
                    models.CheckConstraint(condition=~Q(parent=F("pk")), name="financebureau_not_own_parent")
                ],
            },
        ),
        migrations.AddField(
            model_name="department",
            name="bureau",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments",
                to="orgs.financebureau",
                verbose_name="财政部门",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="bureau",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="users",
                to="orgs.financebureau",
                verbose_name="所属财政部门",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("preparer", "填报人"),
                    ("head", "单位负责人"),
                    ("reviewer", "财政审核人"),
                    ("administrator", "财政管理员"),
                    ("supervisor", "主管部门审核人"),
                ],
                default="preparer",
                max_length=20,
                verbose_name="角色",
            ),
        ),
        migrations.RunPython(give_existing_to_one_bureau, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="user", name="user_department_matches_role"),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=Q(
                    Q(
                        ("role__in", ["preparer", "head", "supervisor"]),
                        ("department__isnull", False),
                        ("bureau__isnull", True),
                    ),
                    Q(
                        ("role__in", ["reviewer", "administrator"]),
                        ("department__isnull", True),
                        ("bureau__isnull", False),
                    ),
                    ("is_superuser", True),
                    _connector="OR",
                ),
                name="user_department_matches_role",
            ),
        ),
    ]
