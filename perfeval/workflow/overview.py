"""Views over many reports for the people above a department: the bureaus' overview (each bureau the user
reads, its period of the year and its reports counted by status) and the 主管部门's table of its units' key
figures side by side, with their sum."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from perfeval.filing import access
from perfeval.filing.models import FilingPeriod, Status
from perfeval.filing.opendata import rules_data
from perfeval.filing.parts import reports_with_parts
from perfeval.rules.results import FIGURE_NAMES, KeyFigures, key_figures_of, results


@dataclass(frozen=True)
class BureauRow:
    bureau: object  # FinanceBureau
    period: FilingPeriod | None
    counts: dict[str, int]  # status → reports
    departments: int  # departments that must file
    own: bool  # the user's own bureau (acts there) or one below (reads only)

    @property
    def status_counts(self) -> list[int]:
        return [self.counts.get(value, 0) for value in Status.values]

    @property
    def missing(self) -> int:
        return self.departments - sum(self.counts.values())


def bureau_status_counts(user, year: int) -> list[BureauRow]:
    """Three queries whatever the number of bureaus."""
    bureaus = list(access.bureaus_visible_to(user).order_by("level", "code"))
    periods = {
        p.bureau_id: p
        for p in access.periods_visible_to(user)
        .filter(year=year)
        .annotate(department_count=Count("departments"))
    }
    counts: dict[int, dict[str, int]] = {}
    for bureau_id, status, n in (
        access.reports_visible_to(user)
        .filter(period__year=year)
        .values_list("period__bureau_id", "status")
        .annotate(n=Count("id"))
    ):
        counts.setdefault(bureau_id, {})[status] = n
    own = user.bureau_id
    bureaus.sort(key=lambda b: (b.pk != own, b.code))
    return [
        BureauRow(
            bureau=b,
            period=periods.get(b.pk),
            counts=counts.get(b.pk, {}),
            departments=getattr(periods.get(b.pk), "department_count", 0),
            own=user.is_superuser or b.pk == own,
        )
        for b in bureaus
    ]


@dataclass(frozen=True)
class UnitRow:
    report: object  # Report
    figures: KeyFigures


@dataclass(frozen=True)
class UnitTable:
    rows: list[UnitRow]
    sums: dict[str, Decimal | None]  # amount figure → sum over the units that filled it; None when none did
    blanks: dict[str, int]  # amount figure → units that left it blank (未填), not counted in the sum


SUMMED = ("budget_initial", "budget_full_year", "executed", "sangong")


def unit_figures(reports) -> UnitTable:
    """Each unit's key figures as the rules compute them from its payload (the figures the portal prints for
    a published report), and the sum of the amounts; a blank figure is 未填, counted apart, never as 0."""
    rows = []
    for report in reports_with_parts().filter(pk__in=reports.values("pk")).order_by("department__code"):
        computed = results(rules_data(report), report.period.rule_pack.rules())
        rows.append(UnitRow(report=report, figures=key_figures_of(computed)))
    sums, blanks = {}, {}
    for name in SUMMED:
        values = [getattr(r.figures, name) for r in rows]
        filled = [v for v in values if v is not None]
        sums[name] = sum(filled, Decimal(0)) if filled else None
        blanks[name] = len(values) - len(filled)
    return UnitTable(rows=rows, sums=sums, blanks=blanks)


__all__ = ["FIGURE_NAMES", "bureau_status_counts", "unit_figures"]
