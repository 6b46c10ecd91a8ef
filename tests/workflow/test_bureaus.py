"""Many finance bureaus in one installation: each lists only its own reports (and, read-only, those of the
bureaus below), opens its own periods with its own departments and packs; the 主管部门 sees its units."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from perfeval.filing import access
from perfeval.filing.creation import create_report
from perfeval.filing.demo import load_fixture
from perfeval.filing.models import FilingPeriod, Report, RulePack, Status
from perfeval.filing.opendata import import_report
from perfeval.orgs.models import Department, FinanceBureau
from perfeval.workflow import services
from tests.workflow.helpers import district_report, fill_unit_report, pack_for


@pytest.fixture
def reports(demo_report):
    """Besides the demo report, a draft of the unit under the 主管部门 and one of the district's department."""
    return {"unit": fill_unit_report(), "district": district_report()}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(response) -> list[str]:
    """The department names of the home page's report list."""
    table = response.content.decode().split('data-testid="report-list"')[1].split("</table>")[0]
    return re.findall(r"<td>(株洲市[^<]*)</td>", table)[::2]


def test_each_bureau_lists_its_own_reports_and_those_below(reports, users):
    city = listed(client_of(users["reviewer"]).get("/"))
    district = listed(client_of(users["lusong_reviewer"]).get("/"))
    assert sorted(city) == ["株洲市信访局", "株洲市社会福利院", "株洲市芦淞区教育局"]
    assert district == ["株洲市芦淞区教育局"]
    assert listed(client_of(users["zzmzj_supervisor"]).get("/")) == ["株洲市社会福利院"]


def test_querysets_answer_by_bureau(reports, users):
    def codes(queryset):
        return sorted(queryset.values_list("department__code", flat=True))

    assert codes(access.reports_visible_to(users["lusong_reviewer"])) == ["lsjyj"]
    assert codes(access.reports_visible_to(users["reviewer"])) == ["lsjyj", "zzsfly", "zzxfj"]
    assert codes(access.reports_reviewed_by(users["reviewer"])) == ["zzsfly", "zzxfj"]
    assert codes(access.reports_visible_to(users["zzmzj_supervisor"])) == ["zzsfly"]
    assert codes(access.reports_visible_to(users["zzmzj_preparer"])) == []
    assert sorted(access.departments_visible_to(users["lusong_reviewer"]).values_list("code", flat=True)) == [
        "lsjyj"
    ]
    assert list(
        access.periods_visible_to(users["lusong_reviewer"]).values_list("bureau__code", flat=True)
    ) == ["zhuzhou-lusong"]


def test_dashboard_is_the_bureaus_own_and_read_only_below(demo_report, users):
    district = client_of(users["lusong_reviewer"])
    own = district.get("/review/2023/")
    assert [r.department_code for r in own.context["rows"]] == ["lsjyj"]
    assert district.get("/review/2023/?bureau=zhuzhou").status_code == 404
    city = client_of(users["reviewer"])
    assert [r.department_code for r in city.get("/review/2023/").context["rows"]] == [
        "zzmzj",
        "zzsfj",
        "zzsfly",
        "zzxfj",
    ]
    below = city.get("/review/2023/?bureau=zhuzhou-lusong")
    assert ([r.department_code for r in below.context["rows"]], below.context["read_only"]) == (
        ["lsjyj"],
        True,
    )
    assert "下级财政部门，只读" in below.content.decode()


def test_bureau_above_sees_no_review_buttons_below(reports, users):
    report = reports["district"]
    Report.objects.filter(pk=report.pk).update(status=Status.SUBMITTED)
    city = client_of(users["reviewer"]).get(f"/reports/{report.pk}/").content.decode()
    district = client_of(users["lusong_reviewer"]).get(f"/reports/{report.pk}/").content.decode()
    assert ('data-testid="approve"' in city, 'data-testid="approve"' in district) == (False, True)
    assert client_of(users["reviewer"]).get(f"/reports/{report.pk}/approve/").status_code == 403


def test_overview_counts_each_bureaus_reports_by_status(reports, users, django_assert_max_num_queries):
    client = client_of(users["reviewer"])
    with django_assert_max_num_queries(12):
        page = client.get("/review/2023/bureaus/")
    rows = {row.bureau.code: row for row in page.context["rows"]}
    assert list(rows) == ["zhuzhou", "zhuzhou-lusong"]
    city, district = rows["zhuzhou"], rows["zhuzhou-lusong"]
    assert (city.own, city.departments, city.missing, city.counts) == (True, 4, 2, {"draft": 2})
    assert (district.own, district.departments, district.missing, district.counts) == (
        False,
        1,
        0,
        {"draft": 1},
    )
    assert [
        r.bureau.code
        for r in client_of(users["lusong_reviewer"]).get("/review/2023/bureaus/").context["rows"]
    ] == ["zhuzhou-lusong"]
    assert client_of(users["zzxfj_preparer"]).get("/review/2023/bureaus/").status_code == 403


def test_each_bureau_opens_its_own_period_of_a_year(demo_report, users):
    district = FinanceBureau.objects.get(code="zhuzhou-lusong")
    pack = demo_report.period.rule_pack
    with pytest.raises(services.WorkflowError, match="不属于株洲市芦淞区财政局"):
        services.open_period(
            user=users["admin"],
            bureau=district,
            year=2024,
            deadline=date(2025, 4, 30),
            rule_pack=pack,
            departments=Department.objects.filter(code="zzxfj"),
            pack_confirmed=True,
        )
    for bureau in (demo_report.period.bureau, district):
        services.open_period(
            user=users["admin"],
            bureau=bureau,
            year=2024,
            deadline=date(2025, 4, 30),
            rule_pack=pack,
            departments=bureau.departments.all(),
            pack_confirmed=True,
        )
    assert sorted(FilingPeriod.objects.filter(year=2024).values_list("bureau__code", flat=True)) == [
        "zhuzhou",
        "zhuzhou-lusong",
    ]


def test_a_bureaus_administrator_opens_only_for_their_bureau(demo_report, users):
    from perfeval.orgs.models import Role, User

    district = FinanceBureau.objects.get(code="zhuzhou-lusong")
    admin = User.objects.create_user(
        username="ls_admin", password="x", role=Role.ADMINISTRATOR, bureau=district
    )
    with pytest.raises(services.WorkflowError, match="只能为本财政部门开启填报期"):
        services.open_period(
            user=admin,
            bureau=demo_report.period.bureau,
            year=2024,
            deadline=date(2025, 4, 30),
            rule_pack=demo_report.period.rule_pack,
            departments=[],
        )
    page = client_of(admin).get("/periods/")
    assert [d.code for d in page.context["form"].fields["departments"].queryset] == ["lsjyj"]


def test_rule_pack_of_another_bureau_is_refused_and_hidden(demo_report, users):
    city = demo_report.period.bureau
    district = FinanceBureau.objects.get(code="zhuzhou-lusong")
    own = pack_for(year=2024, region="湖南省株洲市")
    RulePack.objects.filter(pk=own.pk).update(bureau=city)
    own.refresh_from_db()
    with pytest.raises(services.WorkflowError, match="属于其他财政部门"):
        services.open_period(
            user=users["admin"],
            bureau=district,
            year=2024,
            deadline=date(2025, 4, 30),
            rule_pack=own,
            departments=district.departments.all(),
        )
    admin = client_of(users["admin"])
    assert own in admin.get("/periods/").context["form"].fields["rule_pack"].queryset


def test_rule_pack_of_another_region_than_the_bureaus_needs_confirmation(demo_report, users):
    district = FinanceBureau.objects.get(code="zhuzhou-lusong")
    changsha = pack_for(year=2024, region="湖南省长沙市")
    zhuzhou = pack_for(year=2025, region="湖南省株洲市")
    assert services.rule_pack_warnings(rule_pack=changsha, year=2024, bureau=district) == [
        "规则包「湖南省长沙市 2024」适用于湖南省长沙市，开启本填报期的财政部门属于湖南省株洲市芦淞区",
        "规则包「湖南省长沙市 2024」适用于湖南省长沙市，上一填报期（2023 年度）使用的规则包适用于湖南省株洲市",
    ]
    # A city's pack covers its districts.
    assert services.rule_pack_warnings(rule_pack=zhuzhou, year=2025, bureau=district) == []
    with pytest.raises(services.RulePackNotConfirmed):
        services.open_period(
            user=users["admin"],
            bureau=district,
            year=2024,
            deadline=date(2025, 4, 30),
            rule_pack=changsha,
            departments=district.departments.all(),
        )


def test_supervisor_sees_units_figures_side_by_side_and_summed(unit_report, users):
    """Two units with the demo's figures and one blank draft: the sum counts the filled ones, the blank one
    is 未填 and counted apart."""
    period = unit_report.period
    parent = unit_report.department.parent
    for code, fill in (("zzsfly2", True), ("zzsfly3", False)):
        unit = Department.objects.create(code=code, name=f"株洲市{code}", parent=parent, bureau=period.bureau)
        period.departments.add(unit)
        if fill:
            import_report(load_fixture(), report=Report.objects.create(department=unit, period=period))
        else:
            create_report(department=unit, period=period)
    page = client_of(users["zzmzj_supervisor"]).get("/supervision/2023/")
    table = page.context["table"]
    assert [row.report.department.code for row in table.rows] == ["zzsfly", "zzsfly2", "zzsfly3"]
    first, _, blank = (row.figures for row in table.rows)
    # The rules' figures of the unit's payload: the demo's 附件2 全年预算数 and 三公 as computed.
    assert (first.budget_full_year, first.sangong) == (Decimal("1286.3"), Decimal("24.65"))
    assert (blank.budget_full_year, blank.sangong) == (None, None)
    assert (table.sums["budget_full_year"], table.sums["sangong"]) == (Decimal("2572.6"), Decimal("49.30"))
    assert (table.blanks["budget_full_year"], table.blanks["sangong"]) == (1, 1)
    html = page.content.decode()
    assert "2572.6（1 个单位未填）" in html
    assert client_of(users["reviewer"]).get("/supervision/").status_code == 404
    assert client_of(users["zzmzj_preparer"]).get("/supervision/").status_code == 404
