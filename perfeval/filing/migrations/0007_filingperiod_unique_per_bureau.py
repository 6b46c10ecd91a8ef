from django.db import migrations, models


class Migration(migrations.Migration):
    """One period per bureau and year (was: per year)."""

    dependencies = [("filing", "0006_bureau_owns_periods_and_packs")]

    operations = [
        migrations.AlterField(
            model_name="filingperiod", name="year", field=models.PositiveIntegerField(verbose_name="年度")
        ),
        migrations.AddConstraint(
            model_name="filingperiod",
            constraint=models.UniqueConstraint(
                fields=("bureau", "year"), name="filingperiod_bureau_year_unique"
            ),
        ),
    ]
