"""The reviewer dashboard: one row per department of a period, in a fixed number of queries.

Scores and finding counts come from ReportSummary, recomputed in one batch for the reports whose version or
last save moved since the summary was made; the rules never run per department per request.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from perfeval.charts import Chart, Series, extremes_sentence, histogram
from perfeval.filing.models import EDITABLE_STATUSES, FilingPeriod, Report, Status
from perfeval.filing.opendata import rules_data
from perfeval.filing.parts import reports_with_parts
from perfeval.rules.catalogue import PROJECT_FILING
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
    execution_rate: Decimal | None = None  # percent (附件2)


SUMMARY_FIELDS = ("version", "updated_at", "self_score", "grade", "execution_rate", "errors", "warnings")


def refresh_summaries(report_ids) -> dict[int, dict]:
    """Run the rules for these reports in one batch and store what the dashboard shows."""
    summaries = []
    for report in reports_with_parts().filter(pk__in=list(report_ids)):
        pack = report.period.rule_pack.rules()
        data = rules_data(report)
        findings = check_report(data, pack)
        card = _summary_card(data)
        result = scorecard_result(card, pack) if card else None
        errors = sum(1 for f in findings if f.severity == ERROR)
        summaries.append(
            ReportSummary(
                report=report,
                version=report.version,
                updated_at=report.updated_at,
                self_score=result.self_total if result else None,
                grade=result.grade if result else "",
                execution_rate=result.execution.rate if result else None,
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


def _summary_card(data):
    """The table whose score a row shows: 附件2, or a project-only filing's table when it has just one (several
    projects have no one score; their reports show each)."""
    if data.kind == PROJECT_FILING:
        return data.project_scorecards[0] if len(data.project_scorecards) == 1 else None
    return data.department_scorecard


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
                execution_rate=summary["execution_rate"],
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


# ---------------------------------------------------------------- charts (templates/_chart.html)

SCORE_EDGES = [Decimal(e) for e in (0, 60, 70, 80, 90)]
RATE_EDGES = [Decimal(e) for e in (0, 60, 80, 90, 100)]
TOP_ERRORS = 20


def dashboard_charts(period: FilingPeriod, rows: list[DashboardRow]) -> list[Chart]:
    """Submission progress over the season, the score and 执行率 distributions, open errors per department."""
    firsts = (
        AuditEvent.objects.filter(report__period=period, action=AuditAction.SUBMIT)
        .values("report_id")
        .annotate(first=Min("created_at"))
        .values_list("first", flat=True)
    )
    per_day = Counter(timezone.localdate(first) for first in firsts)
    days, cumulative, total = [], [], 0
    for day in sorted(per_day):
        total += per_day[day]
        days.append(day.isoformat())
        cumulative.append(total)
    score_bins, scores = histogram([r.self_score for r in rows], SCORE_EDGES, " 分")
    rate_bins, rates = histogram([r.execution_rate for r in rows], RATE_EDGES, "%")
    with_errors = sorted((r for r in rows if r.errors), key=lambda r: (-r.errors, r.department_code))[
        :TOP_ERRORS
    ]
    names = [r.department_name for r in with_errors]
    return [
        Chart(
            key="progress",
            title="提交进度（累计提交的单位数）",
            kind="line",
            categories=days,
            series=[Series("累计提交", cumulative)],
            summary=f"截至 {days[-1]} 累计 {total} 个单位提交，共 {len(rows)} 个单位。"
            if days
            else "尚无单位提交。",
            category_label="日期",
        ),
        Chart(
            key="score-dist",
            title="自评总分分布（单位数）",
            kind="bar",
            categories=score_bins,
            series=[Series("单位数", scores)],
            summary="自评总分分布："
            + "，".join(f"{c} {n} 个" for c, n in zip(score_bins, scores, strict=True))
            + "。",
            category_label="总分",
        ),
        Chart(
            key="rate-dist",
            title="预算执行率分布（单位数）",
            kind="bar",
            categories=rate_bins,
            series=[Series("单位数", rates)],
            summary="执行率分布："
            + "，".join(f"{c} {n} 个" for c, n in zip(rate_bins, rates, strict=True))
            + "。",
            category_label="执行率",
        ),
        Chart(
            key="errors",
            title=f"未解决错误最多的单位（前 {TOP_ERRORS} 个）",
            kind="bar",
            categories=names,
            series=[Series("错误数", [r.errors for r in with_errors])],
            summary=extremes_sentence("各单位未解决错误数", names, [r.errors for r in with_errors], " 个")
            if names
            else "没有单位存在未解决的错误。",
            category_label="单位",
        ),
    ]
