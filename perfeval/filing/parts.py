"""Loading a report with all its parts in a fixed number of queries, and turning it into the rules' plain data."""

from django.db.models import Prefetch

from perfeval.filing.models import FundSource, Report, Scorecard, ScorecardKind
from perfeval.rules import data

TEXT_FIELDS = (
    "s1_intro", "s1_duties", "s1_organization", "s2_note", "s3_note", "s4_text", "s5_text", "s6_overall",
    "s7_problems", "s8_measures", "s9_application", "s10_other",
)  # fmt: skip


def reports_with_parts():
    """A queryset whose reports carry every part; the number of queries does not grow with the rows."""
    return Report.objects.select_related("department", "period__rule_pack").prefetch_related(
        "expenses",
        "special_rows",
        "buildings",
        "projects",
        Prefetch(
            "scorecards",
            queryset=Scorecard.objects.select_related("project").prefetch_related("fund_lines", "indicators"),
        ),
    )


def department_scorecard(report: Report) -> Scorecard | None:
    return next((card for card in report.scorecards.all() if card.kind == ScorecardKind.DEPARTMENT), None)


def project_scorecards(report: Report) -> list[Scorecard]:
    cards = [card for card in report.scorecards.all() if card.kind == ScorecardKind.PROJECT]
    return sorted(cards, key=lambda card: (card.project.order, card.project.id))


def sections_from_fields(fields, project_texts) -> dict[str, str]:
    """The ten sections' free text from the 正文 fields (TEXT_FIELDS names) and each project's 六（二）
    paragraph: the same for a stored report and for an uploaded payload."""
    s1 = "\n".join(
        part for part in (fields.get(k) for k in ("s1_intro", "s1_duties", "s1_organization")) if part
    )
    s6 = "\n".join([fields.get("s6_overall") or "", *(text or "" for text in project_texts)]).strip()
    simple = {"s2": "s2_note", "s3": "s3_note", "s4": "s4_text", "s5": "s5_text", "s7": "s7_problems",
              "s8": "s8_measures", "s9": "s9_application", "s10": "s10_other"}  # fmt: skip
    return {"s1": s1, **{key: fields.get(name) or "" for key, name in simple.items()}, "s6": s6}


def section_texts(report: Report) -> dict[str, str]:
    fields = {name: getattr(report, name) for name in TEXT_FIELDS}
    return sections_from_fields(fields, (p.s6_text for p in report.projects.all()))


def scorecard_data(card: Scorecard, title: str) -> data.Scorecard:
    funds = {
        line.source: data.FundLine(initial=line.initial, full_year=line.full_year, executed=line.executed)
        for line in card.fund_lines.all()
    }
    if card.kind == ScorecardKind.DEPARTMENT:
        funds.setdefault(FundSource.TOTAL, data.FundLine())
        income = {
            "general": card.income_general,
            "gov_fund": card.income_gov_fund,
            "non_tax": card.income_non_tax,
            "other": card.income_other,
        }
        nature = {"basic": card.nature_basic, "project": card.nature_project}
    else:
        for source in (FundSource.CURRENT, FundSource.CARRYOVER, FundSource.OTHER):
            funds.setdefault(source, data.FundLine())
        income, nature = {}, {}
    return data.Scorecard(
        ref=str(card.pk),
        kind=card.kind,
        title=title,
        funds=funds,
        execution_explanation=card.execution_explanation,
        indicators=tuple(
            data.Indicator(
                ref=str(row.pk),
                level1=row.level1,
                level2=row.level2,
                name=row.name,
                operator=row.operator,
                target_value=row.target_value,
                target_unit=row.target_unit,
                target_text=row.target_text,
                actual_value=row.actual_value,
                actual_text=row.actual_text,
                qual_band=row.qual_band,
                weight=row.weight,
                score=row.score,
                deviation_reason=row.deviation_reason,
            )
            for row in card.indicators.all()
        ),
        not_applicable=frozenset(card.not_applicable or ()),
        income=income,
        nature=nature,
        reported_execution_rate=card.reported_execution_rate,
        reported_execution_score=card.reported_execution_score,
        reported_total_score=card.reported_total_score,
    )


def report_data(report: Report) -> data.Report:
    """The plain data the rules check, from a report loaded with ``reports_with_parts``."""
    card = department_scorecard(report)
    project_cards = {c.project_id: c for c in project_scorecards(report)}
    projects = tuple(
        data.Project(
            ref=str(p.pk),
            name=p.name,
            category=p.category,
            initial_budget=p.initial_budget,
            adjustment=p.adjustment,
            actual_spent=p.actual_spent,
            carryover=p.carryover,
            names_in_text={
                key: name
                for key, name in (("s2", p.name_in_s2), ("s6", p.name_in_s6))
                if name and name != p.name
            },
            scorecard_ref=str(project_cards[p.pk].pk) if p.pk in project_cards else None,
            no_scorecard_reason=p.no_scorecard_reason,
        )
        for p in report.projects.all()
    )
    return data.Report(
        year=report.period.year,
        department_name=report.department.name,
        staff_quota=report.staff_quota,
        staff_actual=report.staff_actual,
        reported_control_rate=report.reported_control_rate,
        expenses={
            e.item_id: data.Amounts(prior_final=e.prior_final, budget=e.budget, final=e.final)
            for e in report.expenses.all()
        },
        special_rows=tuple(
            data.SpecialRow(
                ref=str(r.pk), name=r.name, amounts=data.Amounts(r.prior_final, r.budget, r.final)
            )
            for r in report.special_rows.all()
        ),
        buildings=tuple(
            data.BuildingRow(
                ref=str(b.pk),
                name=b.name,
                approved_area=b.approved_area,
                actual_area=b.actual_area,
                budget_investment=b.budget_investment,
                actual_investment=b.actual_investment,
                reported_area_rate=b.reported_area_rate,
                reported_investment_rate=b.reported_investment_rate,
            )
            for b in report.buildings.all()
        ),
        frugality_measures=report.frugality_measures,
        personnel_expense=report.personnel_expense,
        projects=projects,
        department_scorecard=scorecard_data(card, report.department.name) if card else None,
        project_scorecards=tuple(scorecard_data(c, c.project.name) for c in project_cards.values()),
        sections=section_texts(report),
        footer={
            "preparer": report.preparer_name,
            "date": report.fill_date.isoformat() if report.fill_date else "",
            "phone": report.phone,
            "head": report.head_name,
        },
    )
