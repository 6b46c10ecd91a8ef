"""The commands name a report by department, year and kind: a department may file both kinds in a year."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from perfeval.filing.models import Report
from perfeval.filing.opendata import export_report
from perfeval.filing.parts import reports_with_parts
from tests.synthetic import synthetic_project_payload

pytestmark = pytest.mark.django_db


def run(name, *args, **options):
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_check_report_reads_the_kind_asked_for(filled_project_report):
    out, _ = run("check_report", "--department", "zzxfj", "--year", "2023", "--kind", "project")
    assert json.loads(out) == []
    with pytest.raises(SystemExit):  # the demo's 部门整体 report has errors: exit status 1
        run("check_report", "--department", "zzxfj", "--year", "2023")


def test_export_report_json_of_the_project_filing(filled_project_report, tmp_path):
    target = tmp_path / "project.json"
    run("export_report", "--department", "zzxfj", "--year", "2023", "--kind", "project", "-o", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["kind"], [p["name"] for p in data["projects"]]) == (
        "project",
        ["基层培训项目1", "基层培训项目2"],
    )


def test_import_report_json_creates_the_project_filing_of_its_kind(project_period, tmp_path):
    assert not Report.objects.filter(period=project_period, department__code="zzmzj").exists()
    payload = synthetic_project_payload(projects=1, code="zzmzj", name="株洲市民政局", year=2023)
    file = tmp_path / "project.json"
    file.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    out, _ = run("import_report", str(file), "--department", "zzmzj", "--year", "2023")
    assert "将新建一份草稿" in out
    report = reports_with_parts().get(period=project_period, department__code="zzmzj")
    assert export_report(report)["projects"][0]["name"] == "基层培训项目1"


def test_import_report_json_with_department_parts_refused_by_path(project_report, tmp_path):
    payload = synthetic_project_payload(projects=1, code="zzxfj", name="株洲市信访局", year=2023)
    payload["attachment1"] = {"staff_quota": 40, "expenses": {"office": {"final": "3"}}}
    file = tmp_path / "project.json"
    file.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="有 2 处无法导入，未导入任何内容"):
        call_command("import_report", str(file), "--department", "zzxfj", "--year", "2023", stdout=StringIO(),
                     stderr=err)  # fmt: skip
    assert err.getvalue().splitlines() == [
        "attachment1.staff_quota：项目支出绩效自评没有附件1，不能填写",
        "attachment1.expenses.office.final：项目支出绩效自评没有附件1，不能填写",
    ]
    assert export_report(reports_with_parts().get(pk=project_report.pk))["projects"] == []
