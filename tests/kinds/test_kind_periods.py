"""Several periods a year, one per kind of filing, each with its pack; a pack made for another year or kind is
opened only when the administrator confirms it (the 填报期 page and ``open_period``)."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from perfeval.filing.models import FilingPeriod, Report, RulePack
from perfeval.filing.opendata import export_report
from perfeval.filing.parts import reports_with_parts
from perfeval.orgs.models import Department
from perfeval.rules.packs import HUNAN_ZHUZHOU_2023
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

KIND_MISMATCH = (
    "规则包「湖南省株洲市 2023 年度（市级部门整体支出绩效自评）」是为部门整体支出绩效自评制定的，"
    "本填报期是项目支出绩效自评"
)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("open_period", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_one_period_per_year_and_kind(project_period, demo_report, administrator):
    bureau = demo_report.period.bureau
    assert sorted(FilingPeriod.objects.filter(bureau=bureau, year=2023).values_list("kind", flat=True)) == [
        "department",
        "project",
    ]
    with pytest.raises(services.WorkflowError, match="2023 年度项目支出绩效自评填报期已存在"):
        services.open_period(
            user=administrator, year=2023, kind="project", deadline=date(2024, 5, 31),
            rule_pack=project_period.rule_pack, departments=[demo_report.department],
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        FilingPeriod.objects.create(bureau=bureau, year=2023, kind="project", deadline=date(2024, 5, 31),
                                    rule_pack=project_period.rule_pack)  # fmt: skip


def test_open_period_command_refuses_a_pack_of_another_kind_until_confirmed(demo_report):
    with pytest.raises(CommandError, match="--confirm-mismatch"):
        call_command(
            "open_period", "--year", "2023", "--kind", "project", "--rule-pack", "hunan-zhuzhou",
            "--departments", "zzxfj", stdout=StringIO(), stderr=(err := StringIO()),
        )  # fmt: skip
    assert err.getvalue() == f"请核对：{KIND_MISMATCH}\n"
    assert not FilingPeriod.objects.filter(kind="project").exists()
    out, _ = run("--year", "2023", "--kind", "project", "--rule-pack", "hunan-zhuzhou", "--confirm-mismatch",
                 "--departments", "zzxfj")  # fmt: skip
    period = FilingPeriod.objects.get(kind="project")
    assert out.splitlines()[0].startswith("已开启 2023 年度项目支出绩效自评填报期")
    assert AuditEvent.objects.get(action=AuditAction.OPEN_PERIOD).details["rule_pack_warnings"] == [
        KIND_MISMATCH
    ]
    report = reports_with_parts().get(period=period)
    assert (export_report(report)["attachment2"], report.scorecards.count()) == (None, 0)


def test_open_period_command_opens_a_project_period_with_a_fitting_pack(demo_report):
    out, err = run("--year", "2023", "--kind", "project", "--rule-pack", "central-default")
    assert err == ""
    period = FilingPeriod.objects.get(kind="project")
    departments = Department.objects.filter(bureau=period.bureau).count()
    assert (period.year, period.rule_pack.code, period.reports.count()) == (
        2023,
        "central-default",
        departments,
    )


def test_open_period_command_refuses_an_unknown_kind(demo_report):
    with pytest.raises(CommandError, match="--kind 只能是 department 或 project"):
        run("--year", "2024", "--kind", "town")


def test_periods_page_asks_to_confirm_a_pack_of_another_kind_then_opens(demo_report, client, administrator):
    client.force_login(administrator)
    data = {
        "year": "2023",
        "kind": "project",
        "deadline": "2024-04-30",
        "rule_pack": str(demo_report.period.rule_pack.pk),
        "departments": [str(demo_report.department.pk)],
    }
    page = client.post("/periods/", data)
    assert page.status_code == 200
    assert page.context["form"].pack_warnings == (KIND_MISMATCH,)
    assert re.search(r'<input type="checkbox" name="confirm_pack"[^>]*>', page.content.decode())
    assert not FilingPeriod.objects.filter(kind="project").exists()
    response = client.post("/periods/", {**data, "confirm_pack": "on"})
    assert (response.status_code, response.headers["Location"]) == (302, "/review/2023/project/")
    listing = client.get("/periods/").content.decode()
    assert "项目支出绩效自评" in listing and "部门整体支出绩效自评" in listing


def test_periods_page_refuses_a_second_period_of_the_same_kind(project_period, client, administrator):
    client.force_login(administrator)
    page = client.post("/periods/", {"year": "2023", "kind": "project", "deadline": "2024-04-30",
                                     "rule_pack": str(project_period.rule_pack.pk),
                                     "departments": [str(project_period.departments.get().pk)]})  # fmt: skip
    assert page.context["form"].errors == {"year": ["2023 年度项目支出绩效自评填报期已存在。"]}


def test_dashboard_lists_each_period_of_the_year_by_kind(filled_project_report, reviewer_client):
    project_page = reviewer_client.get("/review/2023/project/").content.decode()
    assert '2023 年度审核总览 · <span data-testid="period-kind">项目支出绩效自评</span>' in project_page
    assert 'href="/review/2023/department/">2023 年度部门整体支出绩效自评</a>' in project_page
    row = re.search(r'<tr data-department="zzxfj".*?</tr>', project_page, re.S).group()
    assert "草稿" in row and "<td>—</td><td>—</td>" in row  # two projects: no one score
    department_page = reviewer_client.get("/review/2023/").content.decode()
    assert "部门整体支出绩效自评</span>" in department_page
    assert 'href="/review/2023/project/">2023 年度项目支出绩效自评</a>' in department_page
    assert reviewer_client.get("/review/2023/town/").status_code == 404


def test_project_period_carries_from_the_last_project_filing(filled_project_report, administrator):
    Report.objects.filter(pk=filled_project_report.pk).update(status="approved")
    period = services.open_period(
        user=administrator, year=2024, kind="project", deadline=date(2025, 5, 31),
        rule_pack=filled_project_report.period.rule_pack, departments=[filled_project_report.department],
    )  # fmt: skip
    payload = export_report(reports_with_parts().get(period=period))
    assert [p["name"] for p in payload["projects"]] == ["基层培训项目1", "基层培训项目2"]
    card = payload["projects"][0]["attachment3"]
    assert [(row["name"], row["target_text"], row["actual_text"]) for row in card["indicators"]][0] == (
        "培训基层人员",
        "≥100人次",
        "",
    )
    assert payload["attachment2"] is None and payload["text"]["s1_intro"] == ""


def test_rule_pack_contradicting_itself_refused_in_the_admin(demo_report, client, administrator):
    definition = {**HUNAN_ZHUZHOU_2023, "version": 2030,
                  "grade_bands": [["优", "90"], ["良", "90"], ["差", "0"]]}  # fmt: skip
    with pytest.raises(ValidationError, match="等级区间重叠"):
        RulePack(code="hunan-zhuzhou", version=2030, name="x", definition=definition).full_clean()
    client.force_login(administrator)
    import json

    page = client.post("/admin/filing/rulepack/add/", {
        "code": "hunan-zhuzhou", "version": "2030", "name": "x", "definition": json.dumps(definition)})  # fmt: skip
    assert page.status_code == 200
    assert "等级区间重叠：「优」与「良」的下限都是 90" in page.content.decode()
    assert not RulePack.objects.filter(version=2030).exists()
