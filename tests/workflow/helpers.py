"""Make the demo report submittable: fix its real errors the way a preparer would, explain its warnings."""

from decimal import Decimal

from perfeval.filing.models import (
    BuildingRow,
    ExpenseAmount,
    FindingExplanation,
    Indicator,
    Operator,
    Project,
    RulePack,
    Scorecard,
)
from perfeval.filing.opendata import rules_data
from perfeval.filing.parts import reports_with_parts
from perfeval.rules.checks import check_report
from perfeval.rules.packs import HUNAN_ZHUZHOU_2023
from perfeval.workflow.models import place_key


def findings(report):
    full = reports_with_parts().get(pk=report.pk)
    return check_report(rules_data(full), full.period.rule_pack.rules())


def fix_demo_errors(report) -> None:
    ExpenseAmount.objects.filter(report=report, item_id="sangong").update(
        prior_final=Decimal("24.07"), final=Decimal("24.65")
    )
    BuildingRow.objects.filter(report=report).update(reported_area_rate=None, reported_investment_rate=None)
    Scorecard.objects.filter(report=report).update(
        reported_execution_rate=None,
        reported_execution_score=None,
        reported_total_score=None,
        execution_explanation="年中预算调整，资金按调整后预算执行。",
    )
    Indicator.objects.filter(
        scorecard__report=report, operator__isnull=True, target_value__isnull=False
    ).update(operator=Operator.GE)
    Project.objects.filter(report=report, name="信访维稳工作经费").update(adjustment=Decimal("1.23"))


def warning_places(report) -> list[tuple[str, str]]:
    """(code, place key) of every warning of ``report``."""
    return [
        (f.code, place_key(f.place.table, f.place.row, f.place.column))
        for f in findings(report)
        if f.severity == "warning"
    ]


def explain(report, places) -> None:
    FindingExplanation.objects.bulk_create(
        [
            FindingExplanation(report=report, code=code, place=place, text="已核实，情况属实。")
            for code, place in places
        ],
        update_conflicts=True,
        unique_fields=["report", "code", "place"],
        update_fields=["text"],
    )


def explain_warnings(report) -> None:
    explain(report, warning_places(report))


# The demo is the same at the start of every test, so are its warnings once fixed: found once per load of the
# demo (their places name row ids, which a reload after a transactional test changes).
_FIXED_DEMO_WARNINGS: dict[tuple, list[tuple[str, str]]] = {}


def make_submittable(report) -> None:
    """For the demo report as loaded: fix its errors, explain its warnings."""
    fix_demo_errors(report)
    load = (report.pk, report.created_at)
    if load not in _FIXED_DEMO_WARNINGS:
        _FIXED_DEMO_WARNINGS[load] = warning_places(report)
    explain(report, _FIXED_DEMO_WARNINGS[load])


def pack_for(*, year, region) -> RulePack:
    """The Zhuzhou rules, made for another year or region."""
    definition = {
        **HUNAN_ZHUZHOU_2023,
        "version": year,
        "year": year,
        "region": region,
        "name": f"{region} {year}",
    }
    return RulePack.objects.create(
        code="hunan-zhuzhou", version=year, name=definition["name"], definition=definition
    )


def fill_unit_report():
    """A 2023 report of 株洲市社会福利院 (a unit under the 主管部门 株洲市民政局), filled with the demo report's
    published figures."""
    from perfeval.filing.demo import load_fixture
    from perfeval.filing.models import FilingPeriod, Report
    from perfeval.filing.opendata import import_report
    from perfeval.orgs.models import Department

    unit = Department.objects.get(code="zzsfly")
    period = FilingPeriod.objects.get(year=2023, bureau=unit.bureau)
    report = Report.objects.get_or_create(department=unit, period=period)[0]
    return import_report(load_fixture(), report=report)


def district_report():
    """A blank 2023 draft of 株洲市芦淞区教育局, the district bureau's department."""
    from perfeval.filing.creation import create_report
    from perfeval.filing.models import FilingPeriod, Report
    from perfeval.orgs.models import Department

    department = Department.objects.get(code="lsjyj")
    period = FilingPeriod.objects.get(year=2023, bureau=department.bureau)
    existing = Report.objects.filter(department=department, period=period).first()
    return existing or create_report(department=department, period=period)[0]
