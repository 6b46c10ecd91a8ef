import re
from datetime import date
from decimal import Decimal

import pytest

from perfeval.filing.models import FilingPeriod, Report, Status
from perfeval.orgs.models import Department
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent
from tests.workflow.helpers import pack_for


def open_2024(administrator, pack):
    return services.open_period(
        user=administrator,
        year=2024,
        deadline=date(2025, 4, 30),
        rule_pack=pack,
        departments=Department.objects.filter(code__in=["zzxfj", "zzmzj"]),
        pack_confirmed=True,  # the shipped Zhuzhou pack was made for 2023
    )


def test_open_period_creates_drafts_carried_forward(approved_2023, administrator):
    period = open_2024(administrator, approved_2023.period.rule_pack)
    new = Report.objects.get(period=period, department__code="zzxfj")
    assert new.status == Status.DRAFT
    assert (new.staff_quota, new.staff_actual) == (approved_2023.staff_quota, None)
    assert (new.s1_intro, new.s1_duties) == (approved_2023.s1_intro, approved_2023.s1_duties)
    last_final = dict(approved_2023.expenses.values_list("item_id", "final"))
    carried = dict(new.expenses.values_list("item_id", "prior_final"))
    assert carried == {
        code: value for code, value in last_final.items() if code not in ("procurement", "basic_adjustment")
    }
    assert carried["sangong"] == Decimal("24.65")
    assert list(new.projects.values_list("name", "category", "actual_spent")) == [
        (name, category, None) for name, category in approved_2023.projects.values_list("name", "category")
    ]
    assert list(new.special_rows.values_list("name", "prior_final")) == list(
        approved_2023.special_rows.values_list("name", "final")
    )
    # A department without an approved report starts empty.
    other = Report.objects.get(period=period, department__code="zzmzj")
    assert (other.staff_quota, other.expenses.count(), other.projects.count()) == (None, 0, 0)
    assert AuditEvent.objects.filter(action=AuditAction.OPEN_PERIOD).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CREATE).count() == 2


def test_draft_reports_are_not_carried_forward(ready_report, administrator):
    period = open_2024(administrator, ready_report.period.rule_pack)
    assert Report.objects.get(period=period, department__code="zzxfj").projects.count() == 0


def test_open_period_only_by_administrator(demo_report, reviewer):
    with pytest.raises(services.WorkflowError, match="管理员"):
        open_2024(reviewer, demo_report.period.rule_pack)
    assert not FilingPeriod.objects.filter(year=2024).exists()


def test_periods_page_asks_to_confirm_a_pack_of_another_year_then_opens(approved_2023, client, administrator):
    client.force_login(administrator)
    data = {
        "year": "2024",
        "deadline": "2025-04-30",
        "rule_pack": str(approved_2023.period.rule_pack.pk),
        "departments": [str(approved_2023.department.pk)],
    }
    page = client.post("/periods/", data)
    assert page.status_code == 200
    assert page.context["form"].pack_warnings == (
        "规则包「湖南省株洲市 2023 年度（市级部门整体支出绩效自评）」是为 2023 年度制定的，本填报期是 2024 年度",
    )
    assert re.search(r'<input type="checkbox" name="confirm_pack"[^>]*>', page.content.decode())
    assert "请确认规则包" in page.content.decode()
    assert not FilingPeriod.objects.filter(year=2024).exists()

    response = client.post("/periods/", {**data, "confirm_pack": "on"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/review/2024/"
    assert list(FilingPeriod.objects.get(year=2024).reports.values_list("department__code", flat=True)) == [
        "zzxfj"
    ]
    opened = AuditEvent.objects.get(action=AuditAction.OPEN_PERIOD)
    assert opened.details["rule_pack_warnings"] == list(page.context["form"].pack_warnings)


def test_periods_page_opens_without_asking_when_the_pack_fits(approved_2023, client, administrator):
    pack = pack_for(year=2024, region="湖南省株洲市")
    client.force_login(administrator)
    assert re.search(
        r'<input type="hidden" name="confirm_pack"[^>]*>', client.get("/periods/").content.decode()
    )
    data = {
        "year": "2024",
        "deadline": "2025-04-30",
        "rule_pack": str(pack.pk),
        "departments": [str(approved_2023.department.pk)],
        "carry_from": "approved",
    }
    assert client.post("/periods/", data).status_code == 302
    assert FilingPeriod.objects.get(year=2024).rule_pack == pack


def test_periods_page_shows_errors_next_to_fields(demo_report, client, administrator):
    client.force_login(administrator)
    data = {"year": "2023", "deadline": "2023-04-30", "rule_pack": str(demo_report.period.rule_pack.pk)}
    page = client.post("/periods/", data)
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "year": ["2023 年度填报期已存在。"],
        "departments": ["这个字段是必填项。"],
    }
    assert page.context["form"]["deadline"].value() == "2023-04-30"


def test_periods_page_is_for_administrators(demo_report, reviewer_client):
    assert reviewer_client.get("/periods/").status_code == 404


def test_last_year_page_lists_what_differs(approved_2023, administrator, client, preparer):
    period = open_2024(administrator, approved_2023.period.rule_pack)
    new = Report.objects.get(period=period, department__code="zzxfj")
    new.staff_quota = approved_2023.staff_quota + 2
    new.save()
    new.projects.filter(name="信访工作经费").delete()
    client.force_login(preparer)
    page = client.get(f"/reports/{new.pk}/last-year/")
    rows = [(r.label, r.old, r.new) for r in page.context["rows"]]
    assert ("附件1 · 编制数", str(approved_2023.staff_quota), str(approved_2023.staff_quota + 2)) in rows
    assert ("项目 · 信访工作经费", "有", "无") in rows
    assert ("附件1 · 2024年实际在职人数", str(approved_2023.staff_actual), "（空）") in rows


def test_admin_action_creates_the_missing_reports(approved_2023, client, administrator):
    period = FilingPeriod.objects.create(
        bureau=approved_2023.period.bureau,
        year=2024,
        deadline=date(2025, 4, 30),
        rule_pack=approved_2023.period.rule_pack,
    )
    period.departments.set(Department.objects.filter(code__in=["zzxfj", "zzsfj"]))
    client.force_login(administrator)
    data = {"action": "create_period_reports", "_selected_action": [str(period.pk)]}
    assert client.post("/admin/filing/filingperiod/", data).status_code == 302
    assert client.post("/admin/filing/filingperiod/", data).status_code == 302  # twice: nothing doubles
    reports = Report.objects.filter(period=period).order_by("department__code")
    assert [(r.department.code, r.projects.count()) for r in reports] == [("zzsfj", 0), ("zzxfj", 3)]
