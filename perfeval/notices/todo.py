"""What waits for a user, for the home page: the department's deadline, its 未填 per part (the rules' INCOMPLETE
findings, checked once per report version) and the return reasons still open; the reviewer's 待审核, the
departments overdue, and the reports resubmitted after a return."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from perfeval.editing.findings import shown_findings
from perfeval.filing import access
from perfeval.filing.checked import report_findings
from perfeval.filing.models import EDITABLE_STATUSES, FilingPeriod, Report, Status
from perfeval.filing.parts import reports_with_parts
from perfeval.rules.checks import BLANK
from perfeval.workflow.dashboard import days_late, deadline_note
from perfeval.workflow.models import ReturnReason, ReturnRound

LISTED = 20  # a list on the home page shows this many, then links to the dashboard


@dataclass(frozen=True)
class BlankPart:
    label: str
    blanks: int
    url: str


@dataclass
class ReportTodo:
    report: Report
    deadline_note: str
    late: bool
    blank_parts: list[BlankPart]
    open_reasons: list[ReturnReason]

    @property
    def blanks(self) -> int:
        return sum(part.blanks for part in self.blank_parts)


@dataclass(frozen=True)
class PeriodTodo:
    period: FilingPeriod
    waiting: int
    deadline_note: str
    late: bool


@dataclass
class ReviewerTodo:
    to_review: list[Report] = field(default_factory=list)
    to_review_count: int = 0
    resubmitted: list[Report] = field(default_factory=list)
    periods: list[PeriodTodo] = field(default_factory=list)


def department_todo(user, *, today: date) -> list[ReportTodo]:
    """The department's reports still to file (draft or returned), newest period first."""
    reports = access.reports_visible_to(user, reports_with_parts()).filter(status__in=EDITABLE_STATUSES)
    todos = []
    for report in reports.order_by("-period__year"):
        findings = report_findings(report)
        blank_parts = [
            BlankPart(item.finding.place.label, len(item.finding.blanks), item.url)
            for item in shown_findings(report, [f for f in findings if f.kind == BLANK])
        ]
        reasons = []
        if report.status == Status.RETURNED:
            latest = ReturnRound.objects.filter(report=report).order_by("-number").first()
            if latest is not None:
                reasons = list(latest.reasons.filter(resolved_at__isnull=True))
        deadline = report.period.deadline
        late = days_late(deadline, today)
        todos.append(
            ReportTodo(
                report=report,
                deadline_note=deadline_note((deadline - today).days, late, submitted=False),
                late=late is not None,
                blank_parts=blank_parts,
                open_reasons=reasons,
            )
        )
    return todos


def reviewer_todo(user, *, today: date) -> ReviewerTodo:
    """The bureau's reviewer: submitted reports; a 主管部门's reviewer: its units' reports waiting there."""
    if access.is_supervisor(user):
        stage = Status.SUPERVISOR_REVIEW
    elif access.is_bureau(user):
        stage = Status.SUBMITTED
    else:
        return ReviewerTodo()
    submitted = (
        access.reports_visible_to(user)
        .filter(status=stage)
        .select_related("department", "period")
        .annotate(returned=Exists(ReturnRound.objects.filter(report=OuterRef("pk"))))
        .order_by("period__year", "department__code")
    )
    to_review = list(submitted[:LISTED])
    periods = (
        access.periods_visible_to(user)
        .select_related("bureau")
        .annotate(
            departments_count=Count("departments", distinct=True),
            submitted_count=Count("reports", filter=~Q(reports__status__in=EDITABLE_STATUSES), distinct=True),
        )
        .order_by("-year", "bureau__code")
    )
    todo_periods = []
    for period in periods:
        waiting = period.departments_count - period.submitted_count
        if waiting <= 0:
            continue
        late = days_late(period.deadline, today)
        todo_periods.append(
            PeriodTodo(
                period=period,
                waiting=waiting,
                deadline_note=deadline_note((period.deadline - today).days, late, submitted=False),
                late=late is not None,
            )
        )
    return ReviewerTodo(
        to_review=to_review,
        to_review_count=submitted.count() if len(to_review) == LISTED else len(to_review),
        resubmitted=list(submitted.filter(returned=True)[:LISTED]),
        periods=todo_periods,
    )
