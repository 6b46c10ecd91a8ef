"""Make the demo report submittable: fix its real errors the way a preparer would, explain its warnings."""

from decimal import Decimal

from perfeval.filing.models import (
    BuildingRow,
    ExpenseAmount,
    FindingExplanation,
    Indicator,
    Operator,
    Project,
    Scorecard,
)
from perfeval.filing.opendata import rules_data
from perfeval.filing.parts import reports_with_parts
from perfeval.rules.checks import check_report
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


def explain_warnings(report) -> None:
    for f in findings(report):
        if f.severity == "warning":
            FindingExplanation.objects.update_or_create(
                report=report,
                code=f.code,
                place=place_key(f.place.table, f.place.row, f.place.column),
                defaults={"text": "已核实，情况属实。"},
            )


def make_submittable(report) -> None:
    fix_demo_errors(report)
    explain_warnings(report)
