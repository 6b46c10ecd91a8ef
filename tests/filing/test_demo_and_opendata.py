import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models as dj_models

from perfeval.filing import models
from perfeval.filing.demo import FIXTURE, load_fixture
from perfeval.filing.locking import ReportLocked
from perfeval.filing.opendata import OpenDataError, export_report, import_report
from perfeval.filing.parts import reports_with_parts
from perfeval.orgs.models import Department, User

COUNTED = [
    Department, User, models.FilingPeriod, models.Report, models.ExpenseAmount, models.SpecialRow,
    models.BuildingRow, models.Project, models.Scorecard, models.FundLine, models.Indicator, models.RulePack,
]  # fmt: skip


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_demo_loads_twice_without_duplicates(db):
    call_command("load_demo", stdout=StringIO())
    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first
    assert first["Report"] == 1
    assert first["Indicator"] == 16 + 9  # 附件2 and 附件3 as published
    assert first["Project"] == 3


def test_load_demo_prints_the_demo_logins(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "zzxfj_preparer" in out.getvalue() and "perfeval-demo" in out.getvalue()


def test_json_export_round_trips_the_fixture(demo_report, tmp_path):
    target = tmp_path / "report.json"
    call_command(
        "export_report", department="zzxfj", year=2023, format="json", output=str(target), stdout=StringIO()
    )
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_json_import_then_export_is_identity_on_an_edited_payload(demo_report):
    payload = load_fixture()
    payload["attachment1"]["expenses"]["sangong"]["final"] = "24.65"
    payload["projects"][2]["name"] = "信访工作经费（改）"
    import_report(payload, report=demo_report)
    assert export_report(reports_with_parts().get(pk=demo_report.pk)) == payload


def test_json_import_refuses_a_malformed_amount_and_writes_nothing(demo_report):
    payload = load_fixture()
    payload["attachment1"]["expenses"]["sangong"]["final"] = "abc"
    with pytest.raises(OpenDataError, match="sangong.final"):
        import_report(payload, report=demo_report)
    assert export_report(reports_with_parts().get(pk=demo_report.pk)) == load_fixture()


def test_json_import_refuses_a_locked_report(demo_report):
    models.Report.objects.filter(pk=demo_report.pk).update(status=models.Status.SUBMITTED)
    demo_report.refresh_from_db()
    with pytest.raises(ReportLocked):
        import_report(load_fixture(), report=demo_report)


def test_export_report_unknown_department_fails_clearly(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有找到"):
        call_command("export_report", department="nope", year=2023, output=str(tmp_path / "x.json"))


def test_database_refuses_a_score_above_its_weight(demo_report):
    from django.db import IntegrityError, transaction

    indicator = models.Indicator.objects.filter(scorecard__report=demo_report).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Indicator.objects.filter(pk=indicator.pk).update(score=dj_models.F("weight") + 1)


def test_database_refuses_a_second_report_for_the_same_department_and_year(demo_report):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        models.Report.objects.create(department=demo_report.department, period=demo_report.period)


def test_database_refuses_negative_amounts(demo_report):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        models.ExpenseAmount.objects.filter(report=demo_report, item_id="sangong").update(final=-1)
    # 部门基本支出预算调整 may be a reduction.
    models.ExpenseAmount.objects.filter(report=demo_report, item_id="basic_adjustment").update(final=-1)


def test_shipped_rule_packs_validate(db):
    for pack in models.RulePack.objects.all():
        pack.full_clean()
        assert pack.rules().execution_weight + sum(level.weight for level in pack.rules().skeleton) == 100


def test_load_demo_reset_restores_the_published_figures(demo_report):
    models.ExpenseAmount.objects.filter(report=demo_report, item_id="sangong").update(final=1)
    call_command("load_demo", reset=True, stdout=StringIO())
    assert export_report(reports_with_parts().get(pk=demo_report.pk)) == load_fixture()
