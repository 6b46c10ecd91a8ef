from django.db import migrations, models


class Migration(migrations.Migration):
    """One period per bureau, year and kind (was: per year and kind)."""

    dependencies = [("filing", "0008_bureau_owns_periods_and_packs")]

    operations = [
        migrations.AlterModelOptions(
            name="filingperiod",
            options={"ordering": ["-year", "bureau", "kind"], "verbose_name": "填报期", "verbose_name_plural": "填报期"},
        ),
        migrations.AlterField(
            model_name="filingperiod", name="year", field=models.PositiveIntegerField(verbose_name="年度")
        ),
        migrations.RemoveConstraint(model_name="filingperiod", name="filingperiod_year_kind_unique"),
        migrations.AddConstraint(
            model_name="filingperiod",
            constraint=models.UniqueConstraint(
                fields=("bureau", "year", "kind"), name="filingperiod_bureau_year_kind_unique"
            ),
        ),
    ]
