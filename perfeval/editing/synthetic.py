"""A large synthetic report (many projects × many indicators) for the query-count tests and the benchmark."""

from decimal import Decimal

from django.db import transaction

from perfeval.filing.models import (
    ExpenseAmount,
    FilingPeriod,
    FundLine,
    Indicator,
    Project,
    Report,
    Scorecard,
    ScorecardKind,
    SpecialRow,
)
from perfeval.orgs.models import Department
from perfeval.rules import catalogue


def _indicators(card: Scorecard, pack, count: int) -> list[Indicator]:
    level2s = [(level.key, child.key) for level in pack.skeleton for child in level.children]
    rows = []
    for i in range(count):
        level1, level2 = level2s[i % len(level2s)]
        rows.append(
            Indicator(
                scorecard=card,
                level1=level1,
                level2=level2,
                order=i,
                name=f"指标{i + 1}",
                operator="ge",
                target_value=Decimal(100),
                target_text="≥100",
                actual_value=Decimal(90 + i % 20),
                actual_text=str(90 + i % 20),
                weight=Decimal(2),
                score=Decimal("1.80"),
                deviation_reason="部分未达成" if i % 20 < 10 else "",
            )  # fmt: skip
        )
    return rows


@transaction.atomic
def make_synthetic_report(
    *, period: FilingPeriod, projects: int = 50, indicators: int = 30, code: str = "synthetic"
) -> Report:
    department, _ = Department.objects.get_or_create(code=code, defaults={"name": f"合成单位{code}"})
    report = Report.objects.create(department=department, period=period, staff_quota=40, staff_actual=38)
    pack = period.rule_pack.rules()
    ExpenseAmount.objects.bulk_create(
        ExpenseAmount(report=report, item_id=item.code, budget=Decimal(10), final=Decimal(9))
        for item in catalogue.EXPENSE_ITEMS
    )
    dept_card = Scorecard.objects.create(report=report, kind=ScorecardKind.DEPARTMENT)
    FundLine.objects.create(scorecard=dept_card, source="total", initial=1000, full_year=1000, executed=950)
    all_rows = _indicators(dept_card, pack, indicators)
    lines, specials = [], []
    for p in range(projects):
        category = ("business", "operation", "special")[p % 3]
        project = Project.objects.create(
            report=report, name=f"项目{p + 1}", order=p, category=category,
            initial_budget=Decimal(20), adjustment=Decimal(0), actual_spent=Decimal(19),
        )  # fmt: skip
        if category == "special":
            specials.append(SpecialRow(report=report, name=project.name, order=p, budget=20, final=19))
        card = Scorecard.objects.create(report=report, kind=ScorecardKind.PROJECT, project=project)
        lines.append(FundLine(scorecard=card, source="current", initial=20, full_year=20, executed=19))
        lines += [FundLine(scorecard=card, source=s) for s in ("carryover", "other")]
        all_rows += _indicators(card, pack, indicators)
    FundLine.objects.bulk_create(lines)
    SpecialRow.objects.bulk_create(specials)
    Indicator.objects.bulk_create(all_rows)
    return report
