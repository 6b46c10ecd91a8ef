"""Loading a report with all its parts in a fixed number of queries."""

from django.db.models import Prefetch

from perfeval.filing import hooks
from perfeval.filing.models import Report, Scorecard, ScorecardKind


def reports_with_parts():
    """A queryset whose reports carry every part, and what the internal payload's parts from above need
    (``hooks.internal_prefetches``); the number of queries does not grow with the rows or the reports."""
    return Report.objects.select_related("department", "period__rule_pack").prefetch_related(
        "expenses",
        "special_rows",
        "buildings",
        "projects",
        Prefetch(
            "scorecards",
            queryset=Scorecard.objects.select_related("project").prefetch_related("fund_lines", "indicators"),
        ),
        *hooks.internal_prefetches,
    )


def department_scorecard(report: Report) -> Scorecard | None:
    return next((card for card in report.scorecards.all() if card.kind == ScorecardKind.DEPARTMENT), None)


def project_scorecards(report: Report) -> list[Scorecard]:
    cards = [card for card in report.scorecards.all() if card.kind == ScorecardKind.PROJECT]
    return sorted(cards, key=lambda card: (card.project.order, card.project.id))
