"""The reviewer dashboard: one row per department of a period, in a fixed number of queries.

Scores and finding counts come from ReportSummary, recomputed in one batch for the reports whose version or
last save moved since the summary was made; the rules never run per department per request.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max, Sum

from perfeval.filing.models import EDITABLE_STATUSES, FilingPeriod, Report, Status
from perfeval.filing.opendata import rules_data
from perfeval.filing.parts import reports_with_parts
from perfeval.rules.checks import ERROR, check_report
from perfeval.rules.scoring import scorecard_result
from perfeval.workflow.models import AuditAction, AuditEvent, ReportSummary

MISSING = "missing"  # a department of the period without a report


@dataclass(frozen=True)
class DashboardRow:
    department_code: str
    department_name: str
    report_id: int | None
    status: str
    status_label: str
    submitted_at: datetime | None
    days_left: int  # to the deadline; negative when past it
    overdue: bool
    self_score: Decimal | None
    grade: str
    errors: int | None
    warnings: int | None


SUMMARY_FIELDS = ("version", "updated_at", "self_score", "grade", "errors", "warnings")


def refresh_summaries(report_ids) -> dict[int, dict]:
    """Run the rules for these reports in one batch and store what the dashboard shows."""
    summaries = []
    for report in reports_with_parts().filter(pk__in=list(report_ids)):
        pack = report.period.rule_pack.rules()
        data = rules_data(report)
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
        update_fields=list(SUMMARY_FIELDS),
    )
    return {s.report_id: {name: getattr(s, name) for name in SUMMARY_FIELDS} for s in summaries}


def dashboard_rows(period: FilingPeriod, *, today: date) -> list[DashboardRow]:
    """Plain values, not model instances: a thousand reports with their long texts would cost more to load
    than everything else on the page."""
    reports = {
        r["department_id"]: r
        for r in Report.objects.filter(period=period).values(
            "pk",
            "department_id",
            "status",
            "version",
            "updated_at",
            *(f"summary__{n}" for n in SUMMARY_FIELDS),
        )
    }
    submitted = dict(
        AuditEvent.objects.filter(report__period=period, action=AuditAction.SUBMIT)
        .values("report_id")
        .annotate(last=Max("created_at"))
        .values_list("report_id", "last")
    )
    stale = [
        r["pk"]
        for r in reports.values()
        if (r["summary__version"], r["summary__updated_at"]) != (r["version"], r["updated_at"])
    ]
    fresh = refresh_summaries(stale) if stale else {}
    labels = dict(Status.choices)
    days_left = (period.deadline - today).days
    rows = []
    for department_id, code, name in period.departments.order_by("code").values_list("pk", "code", "name"):
        report = reports.get(department_id)
        if report is None:
            rows.append(
                DashboardRow(
                    code, name, None, MISSING, "未创建", None, days_left, days_left < 0, None, "", None, None
                )
            )
            continue
        summary = fresh.get(report["pk"]) or {n: report[f"summary__{n}"] for n in SUMMARY_FIELDS}
        waiting = report["status"] in EDITABLE_STATUSES
        rows.append(
            DashboardRow(
                department_code=code,
                department_name=name,
                report_id=report["pk"],
                status=report["status"],
                status_label=labels[report["status"]],
                submitted_at=None if waiting else submitted.get(report["pk"]),
                days_left=days_left,
                overdue=waiting and days_left < 0,
                self_score=summary["self_score"],
                grade=summary["grade"],
                errors=summary["errors"],
                warnings=summary["warnings"],
            )
        )
    return rows


def dashboard_fingerprint(period: FilingPeriod, today: date) -> str:
    """Changes whenever a row of the dashboard may change: every save of a report moves its updated_at, every
    transition its version (versions only grow, so their sum moves too), and the department list its count."""
    state = Report.objects.filter(period=period).aggregate(
        reports=Count("id"), versions=Sum("version"), saved=Max("updated_at")
    )
    departments = getattr(period, "department_count", None)
    if departments is None:
        departments = period.departments.count()
    return f"{period.pk}:{period.deadline}:{today}:{departments}:{state['reports']}:{state['versions']}:{state['saved']}"


STATUS_FILTERS = [(MISSING, "未创建"), *Status.choices]


def filter_rows(rows: list[DashboardRow], *, status: str = "", overdue: bool = False) -> list[DashboardRow]:
    if status:
        rows = [r for r in rows if r.status == status]
    if overdue:
        rows = [r for r in rows if r.overdue]
    return rows


def not_submitted(rows: list[DashboardRow]) -> list[DashboardRow]:
    return [r for r in rows if r.status == MISSING or r.status in EDITABLE_STATUSES]
