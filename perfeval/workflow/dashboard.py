"""The reviewer dashboard: one row per department of a period, in a fixed number of queries.

Scores and finding counts come from ReportSummary, recomputed in one batch for the reports whose version or
last save moved since the summary was made; the rules never run per department per request.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from perfeval.filing.models import EDITABLE_STATUSES, FilingPeriod, Report, Status
from perfeval.filing.parts import report_data, reports_with_parts
from perfeval.orgs.models import Department
from perfeval.rules.checks import ERROR, check_report
from perfeval.rules.scoring import scorecard_result
from perfeval.workflow.models import AuditAction, AuditEvent, ReportSummary

MISSING = "missing"  # a department of the period without a report


@dataclass(frozen=True)
class DashboardRow:
    department: Department
    report: Report | None
    status: str
    status_label: str
    submitted_at: datetime | None
    days_left: int  # to the deadline; negative when past it
    overdue: bool
    self_score: Decimal | None
    grade: str
    errors: int | None
    warnings: int | None


def _is_stale(report: Report) -> bool:
    summary = getattr(report, "summary", None)
    return summary is None or (summary.version, summary.updated_at) != (report.version, report.updated_at)


def refresh_summaries(report_ids) -> dict[int, ReportSummary]:
    """Run the rules for these reports in one batch and store what the dashboard shows."""
    summaries = []
    for report in reports_with_parts().filter(pk__in=list(report_ids)):
        pack = report.period.rule_pack.rules()
        data = report_data(report)
        findings = check_report(data, pack)
        result = scorecard_result(data.department_scorecard, pack) if data.department_scorecard else None
        errors = sum(1 for f in findings if f.severity == ERROR)
        summaries.append(
            ReportSummary(
                report=report,
                version=report.version,
                updated_at=report.updated_at,
                self_score=result.self_total if result else None,
                grade=result.grade if result else "",
                errors=errors,
                warnings=len(findings) - errors,
            )
        )
    ReportSummary.objects.bulk_create(
        summaries,
        update_conflicts=True,
        unique_fields=["report"],
        update_fields=["version", "updated_at", "self_score", "grade", "errors", "warnings"],
    )
    return {s.report_id: s for s in summaries}


def dashboard_rows(period: FilingPeriod, *, today: date) -> list[DashboardRow]:
    last_submit = (
        AuditEvent.objects.filter(report=OuterRef("pk"), action=AuditAction.SUBMIT)
        .order_by("-id")
        .values("created_at")[:1]
    )
    reports = {
        r.department_id: r
        for r in Report.objects.filter(period=period)
        .select_related("summary")
        .annotate(submitted_at=Subquery(last_submit))
    }
    stale = [r.pk for r in reports.values() if _is_stale(r)]
    fresh = refresh_summaries(stale) if stale else {}
    days_left = (period.deadline - today).days
    rows = []
    for department in period.departments.order_by("code"):
        report = reports.get(department.pk)
        if report is None:
            rows.append(
                DashboardRow(
                    department, None, MISSING, "未创建", None, days_left, days_left < 0, None, "", None, None
                )
            )
            continue
        summary = fresh.get(report.pk) or report.summary
        waiting = report.status in EDITABLE_STATUSES
        rows.append(
            DashboardRow(
                department=department,
                report=report,
                status=report.status,
                status_label=report.get_status_display(),
                submitted_at=None if waiting else report.submitted_at,
                days_left=days_left,
                overdue=waiting and days_left < 0,
                self_score=summary.self_score,
                grade=summary.grade,
                errors=summary.errors,
                warnings=summary.warnings,
            )
        )
    return rows


STATUS_FILTERS = [(MISSING, "未创建"), *Status.choices]


def filter_rows(rows: list[DashboardRow], *, status: str = "", overdue: bool = False) -> list[DashboardRow]:
    if status:
        rows = [r for r in rows if r.status == status]
    if overdue:
        rows = [r for r in rows if r.overdue]
    return rows


def not_submitted(rows: list[DashboardRow]) -> list[DashboardRow]:
    return [r for r in rows if r.status == MISSING or r.status in EDITABLE_STATUSES]
