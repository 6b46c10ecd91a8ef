"""A new year's report as the period gives it: the full skeleton, last year's targets, every actual blank."""

from datetime import date

import pytest

from perfeval.filing.creation import CARRY_LATEST
from perfeval.filing.models import FilingPeriod, Indicator, Report, RulePack, ScorecardKind, Status
from perfeval.filing.opendata import export_report, rules_data
from perfeval.filing.parts import reports_with_parts
from perfeval.orgs.models import Department
from perfeval.rules.decimals import decimal_text
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent
from tests.workflow.helpers import pack_for

CARRIED = ("level1", "level2", "name", "operator", "target_value", "target_unit", "target_text", "weight")
THIS_YEARS = ("actual_value", "actual_text", "qual_band", "score", "deviation_reason")


def open_2024(user, pack, *, carry_from="approved", departments=("zzxfj", "zzmzj")):
    period = services.open_period(
        user=user,
        year=2024,
        deadline=date(2025, 4, 30),
        rule_pack=pack,
        departments=Department.objects.filter(code__in=departments),
        carry_from=carry_from,
        pack_confirmed=True,
    )
    return {r.department.code: r for r in reports_with_parts().filter(period=period)}


def cards(report) -> dict[str, object]:
    return {"附件2" if c.project_id is None else c.project.name: c for c in report.scorecards.all()}


def test_new_report_has_attachment2_and_an_attachment3_per_project(approved_2023, administrator):
    new = open_2024(administrator, approved_2023.period.rule_pack)["zzxfj"]
    projects = [p.name for p in new.projects.all()]
    assert projects == ["信访维稳工作经费", "市人民来访接待中心物业管理费", "信访工作经费"]
    assert {title: sorted(line.source for line in c.fund_lines.all()) for title, c in cards(new).items()} == {
        "附件2": ["total"],
        **{name: ["carryover", "current", "other"] for name in projects},
    }
    header = cards(new)["信访工作经费"]
    assert (header.kind, header.competent_department, header.implementing_unit) == (
        ScorecardKind.PROJECT,
        "株洲市信访局",
        "株洲市信访局",
    )


def test_new_report_carries_last_years_indicators_with_blank_actuals(approved_2023, administrator):
    new = open_2024(administrator, approved_2023.period.rule_pack)["zzxfj"]
    for title, last_year in cards(approved_2023).items():
        carried = list(cards(new)[title].indicators.all())
        assert [tuple(getattr(i, f) for f in CARRIED) for i in carried] == [
            tuple(getattr(i, f) for f in CARRIED) for i in last_year.indicators.all()
        ], title
        assert {tuple(getattr(i, f) for f in THIS_YEARS) for i in carried} == {(None, "", None, None, "")}
    assert [len(c.indicators.all()) for c in cards(new).values()] == [16, 9, 0, 0]
    assert cards(new)["附件2"].not_applicable == cards(approved_2023)["附件2"].not_applicable


def test_new_report_blank_stays_none_not_zero(approved_2023, administrator):
    new = open_2024(administrator, approved_2023.period.rule_pack)["zzxfj"]
    payload = export_report(new)
    scorecards = [payload["attachment2"], *(p["attachment3"] for p in payload["projects"])]
    for card in scorecards:
        assert {value for line in card["funds"].values() for value in line.values()} == {None}
        assert {(i["actual_value"], i["score"]) for i in card["indicators"]} <= {(None, None)}
    assert {
        (p["initial_budget"], p["adjustment"], p["actual_spent"], p["carryover"]) for p in payload["projects"]
    } == {(None, None, None, None)}
    assert {(row["budget"], row["final"]) for row in payload["attachment1"]["expenses"].values()} == {
        (None, None)
    }
    # The rules read the blanks as blanks too, never as 0.
    plain = rules_data(new)
    assert {
        i.actual_value for c in (plain.department_scorecard, *plain.project_scorecards) for i in c.indicators
    } == {None}
    assert plain.department_scorecard.funds["total"].executed is None


def test_department_without_a_previous_report_gets_the_bare_skeleton(approved_2023, administrator):
    other = open_2024(administrator, approved_2023.period.rule_pack)["zzmzj"]
    assert [(c.kind, c.indicators.count()) for c in other.scorecards.all()] == [(ScorecardKind.DEPARTMENT, 0)]
    assert [line.source for line in other.scorecards.get().fund_lines.all()] == ["total"]
    assert other.projects.count() == 0


def test_carry_from_latest_takes_the_newest_report_whatever_its_status(demo_report, administrator):
    new = open_2024(administrator, demo_report.period.rule_pack, carry_from=CARRY_LATEST)["zzxfj"]
    assert demo_report.status == Status.DRAFT
    assert new.staff_quota == demo_report.staff_quota
    assert Indicator.objects.filter(scorecard__report=new).count() == 25
    created = AuditEvent.objects.get(action=AuditAction.CREATE, report=new)
    assert created.details == {"carried_from": demo_report.pk}


def test_carry_from_approved_ignores_a_draft(demo_report, administrator):
    new = open_2024(administrator, demo_report.period.rule_pack)["zzxfj"]
    assert (new.staff_quota, Indicator.objects.filter(scorecard__report=new).count()) == (None, 0)


def test_indicators_follow_their_level2_into_another_rule_pack(approved_2023, administrator):
    central = RulePack.objects.get(code="central-default")
    new = open_2024(administrator, central)["zzxfj"]
    old_rows = [i for c in cards(approved_2023).values() for i in c.indicators.all()]
    new_rows = [i for c in cards(new).values() for i in c.indicators.all()]
    pack = central.rules()
    # Every row whose 二级 the central pack has is carried, under the central pack's 一级; the others are not.
    assert [(i.level1, i.level2, i.name) for i in new_rows] == [
        (pack.level2(i.level2)[0].key, i.level2, i.name) for i in old_rows if pack.level2(i.level2)
    ]
    assert len(new_rows) < len(old_rows)


def test_open_period_refuses_a_pack_made_for_another_year_until_confirmed(approved_2023, administrator):
    pack = approved_2023.period.rule_pack
    with pytest.raises(services.RulePackNotConfirmed) as refused:
        services.open_period(
            user=administrator,
            year=2024,
            deadline=date(2025, 4, 30),
            rule_pack=pack,
            departments=Department.objects.filter(bureau=approved_2023.period.bureau),
        )
    assert refused.value.warnings == [
        "规则包「湖南省株洲市 2023 年度（市级部门整体支出绩效自评）」是为 2023 年度制定的，本填报期是 2024 年度"
    ]
    assert not FilingPeriod.objects.filter(year=2024).exists()


def test_rule_pack_of_another_region_is_named(approved_2023):
    changsha = pack_for(year=2024, region="湖南省长沙市")
    zhuzhou = pack_for(year=2025, region="湖南省株洲市")
    assert services.rule_pack_warnings(rule_pack=changsha, year=2024, bureau=approved_2023.period.bureau) == [
        "规则包「湖南省长沙市 2024」适用于湖南省长沙市，开启本填报期的财政部门属于湖南省株洲市",
        "规则包「湖南省长沙市 2024」适用于湖南省长沙市，上一填报期（2023 年度）使用的规则包适用于湖南省株洲市",
    ]
    assert services.rule_pack_warnings(rule_pack=zhuzhou, year=2025, bureau=approved_2023.period.bureau) == []
    # The central default is a standing national framework: fit for any year and region.
    central = RulePack.objects.get(code="central-default")
    assert services.rule_pack_warnings(rule_pack=central, year=2024, bureau=approved_2023.period.bureau) == []


def test_last_year_page_shows_dropped_added_and_changed_indicators(
    approved_2023, administrator, client, preparer
):
    new = open_2024(administrator, approved_2023.period.rule_pack)["zzxfj"]
    card = cards(new)["附件2"]
    dropped, changed = list(card.indicators.all())[:2]
    dropped.delete()
    Indicator.objects.filter(pk=changed.pk).update(target_text="≥20000件", weight=changed.weight + 1)
    Indicator.objects.create(scorecard=card, level1="output", level2="quantity", name="新增的指标", order=99)
    client.force_login(preparer)
    rows = [(r.label, r.old, r.new) for r in client.get(f"/reports/{new.pk}/last-year/").context["rows"]]
    weight = decimal_text(changed.weight)
    assert (f"附件2 · {dropped.name}", "有", "无") in rows
    assert ("附件2 · 新增的指标", "无", "有") in rows
    assert ("附件2 · 新增的指标 · 二级指标", "（空）", "数量指标") in rows
    assert (f"附件2 · {changed.name} · 年度指标值", changed.target_text, "≥20000件") in rows
    assert (f"附件2 · {changed.name} · 分值", weight, decimal_text(changed.weight + 1)) in rows
    assert not [row for row in rows if "quantity" in row[1] + row[2]]


def test_admin_add_report_creates_it_as_the_period_does(approved_2023, client, administrator):
    period = FilingPeriod.objects.create(
        bureau=approved_2023.period.bureau,
        year=2024,
        deadline=date(2025, 4, 30),
        rule_pack=approved_2023.period.rule_pack,
    )
    client.force_login(administrator)
    response = client.post(
        "/admin/filing/report/add/", {"department": approved_2023.department.pk, "period": period.pk}
    )
    assert response.status_code == 302
    new = reports_with_parts().get(period=period)
    assert list(cards(new)) == ["附件2", "信访维稳工作经费", "市人民来访接待中心物业管理费", "信访工作经费"]
    assert Indicator.objects.filter(scorecard__report=new).count() == 25
    assert new.staff_quota == approved_2023.staff_quota
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, report=new, actor=administrator).count() == 1
    # The same department and period twice is refused on the form, not by the database.
    again = client.post(
        "/admin/filing/report/add/", {"department": approved_2023.department.pk, "period": period.pk}
    )
    assert again.status_code == 200 and Report.objects.filter(period=period).count() == 1


def test_admin_period_with_a_pack_of_another_year_is_flagged(demo_report, client, administrator):
    client.force_login(administrator)
    response = client.post(
        "/admin/filing/filingperiod/add/",
        {
            "bureau": demo_report.period.bureau.pk,
            "year": "2024",
            "kind": "department",
            "deadline": "2025-04-30",
            "rule_pack": demo_report.period.rule_pack.pk,
            "remind_days_before": "7",
        },
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]][0] == (
        "请核对：规则包「湖南省株洲市 2023 年度（市级部门整体支出绩效自评）」是为 2023 年度制定的，本填报期是 2024 年度。"
    )


def test_report_page_links_last_year_only_where_an_earlier_year_was_approved(
    approved_2023, administrator, client, preparer, users
):
    """「与上年比较」 on the report page (its flags are loaded with the report): the 2024 report of a department
    whose 2023 report was approved has it; the 2023 report itself and a department without one do not."""
    reports = open_2024(administrator, approved_2023.period.rule_pack)
    client.force_login(preparer)
    link = 'href="/reports/{}/last-year/"'
    assert link.format(reports["zzxfj"].pk) in client.get(f"/reports/{reports['zzxfj'].pk}/").content.decode()
    assert link.format(approved_2023.pk) not in client.get(f"/reports/{approved_2023.pk}/").content.decode()
    client.force_login(users["zzmzj_preparer"])
    assert (
        link.format(reports["zzmzj"].pk)
        not in client.get(f"/reports/{reports['zzmzj'].pk}/").content.decode()
    )
