"""The reviewer dashboard: one row per department of a period, in a fixed number of queries.

Scores and finding counts come from ReportSummary, recomputed in one batch for the reports whose version or
last save moved since the summary was made; the rules never run per department per request.
"""

import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Max, Min
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from perfeval.charts import Chart, Series, extremes_sentence, histogram
from perfeval.filing import access, checked
from perfeval.filing.models import EDITABLE_STATUSES, FilingKind, FilingPeriod, Report, Status
from perfeval.filing.parts import reports_with_parts
from perfeval.textsafety import set_cell_value
from perfeval.workflow.models import AuditAction, AuditEvent, ReportSummary

MISSING = "missing"  # a department of the period without a report
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")  # a bureau's code (FinanceBureau.code is a SlugField)


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
    blanks: int | None = None  # required places still 未填; None: no report yet
    deadline: date | None = None
    late_days: int | None = None  # days after the deadline: still waiting, or when it was submitted

    @property
    def waiting(self) -> bool:
        """Not submitted yet: no report, or a draft or returned one."""
        return self.status == MISSING or self.status in EDITABLE_STATUSES

    @property
    def deadline_note(self) -> str:
        if not self.waiting and self.submitted_at is None:
            return "—"  # approved without a submission on record (loaded as approved): when is not known
        return deadline_note(self.days_left, self.late_days, submitted=not self.waiting)


def deadline_note(days_left: int, late_days: int | None, *, submitted: bool) -> str:
    """距截止 as every page, the xlsx and the reminders say it."""
    if submitted:
        return f"逾期 {late_days} 天提交" if late_days else "按期提交"
    if days_left > 0:
        return f"剩余 {days_left} 天"
    if days_left == 0:
        return "今天截止"
    return f"逾期 {-days_left} 天"


def days_late(deadline: date, day: date) -> int | None:
    """Days ``day`` lies after ``deadline``; None on or before it."""
    late = (day - deadline).days
    return late if late > 0 else None


SUMMARY_FIELDS = (
    "version",
    "updated_at",
    "self_score",
    "grade",
    "execution_rate",
    "errors",
    "warnings",
    "blanks",
)


def refresh_summaries(report_ids) -> dict[int, dict]:
    """Store what the dashboard shows of these reports, in one batch, from their checks and scores as every page
    reads them (``filing.checked``, worked out here for the versions not in the cache yet)."""
    summaries = []
    for report in reports_with_parts().filter(pk__in=list(report_ids)):
        values = checked.work_out_loaded(report, keep=False)
        index = values["index"]
        findings = [finding for table in index.tables for finding in values[f"t:{table}"]]
        totals = values["totals"].get(_summary_card(report, index))
        summaries.append(
            ReportSummary(
                report=report,
                version=report.version,
                updated_at=report.updated_at,
                self_score=totals.self_total if totals else None,
                grade=totals.grade if totals else "",
                execution_rate=totals.execution_rate if totals else None,
                errors=index.errors,
                warnings=index.warnings,
                # The one 未填 finding of each part lists its blanks.
                blanks=sum(len(f.blanks) for f in findings),
            )
        )
    ReportSummary.objects.bulk_create(
        summaries,
        update_conflicts=True,
        unique_fields=["report"],
        update_fields=list(SUMMARY_FIELDS),
    )
    return {s.report_id: {name: getattr(s, name) for name in SUMMARY_FIELDS} for s in summaries}


def _summary_card(report, index) -> str | None:
    """The table whose score a row shows: 附件2, or a project-only filing's table when it has just one (several
    projects have no one score; their reports show each)."""
    if report.is_project_only:
        return next(iter(index.cards)) if len(index.cards) == 1 else None
    return index.department_card


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
        or r["summary__blanks"] is None
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
                    code,
                    name,
                    None,
                    MISSING,
                    "未创建",
                    None,
                    days_left,
                    days_left < 0,
                    None,
                    "",
                    None,
                    None,
                    deadline=period.deadline,
                    late_days=days_late(period.deadline, today),
                )
            )
            continue
        summary = fresh.get(report["pk"]) or {n: report[f"summary__{n}"] for n in SUMMARY_FIELDS}
        waiting = report["status"] in EDITABLE_STATUSES
        submitted_at = None if waiting else submitted.get(report["pk"])
        if waiting:
            late = days_late(period.deadline, today)
        elif submitted_at is not None:
            late = days_late(period.deadline, timezone.localdate(submitted_at))
        else:  # approved without a submission on record (loaded as approved): when is not known
            late = None
        rows.append(
            DashboardRow(
                department_code=code,
                department_name=name,
                report_id=report["pk"],
                status=report["status"],
                status_label=labels[report["status"]],
                submitted_at=submitted_at,
                days_left=days_left,
                overdue=waiting and days_left < 0,
                self_score=summary["self_score"],
                grade=summary["grade"],
                errors=summary["errors"],
                warnings=summary["warnings"],
                execution_rate=summary["execution_rate"],
                blanks=summary["blanks"],
                deadline=period.deadline,
                late_days=late,
            )
        )
    return rows


def dashboard_periods(user, year: int, kind: str | None = None) -> list[FilingPeriod]:
    """Every period of ``year`` (of ``kind``, else every kind, 部门整体 first) the user reads, by bureau code: the
    dashboard's period and its bureau filter."""
    periods = (
        access.periods_visible_to(
            user, FilingPeriod.objects.filter(year=year, **({"kind": kind} if kind else {}))
        )
        # Not the rule pack: its definition is a JSON document per row, and only a cache miss reads the pack.
        .select_related("bureau")
        .order_by("bureau__code", "kind")
    )
    return list(periods)


def dashboard_period(
    user, year: int, bureau_code: str = "", periods=None, kind: str | None = None
) -> FilingPeriod:
    """The period of ``year`` of the bureau asked for (``bureau_code``, one the user reads), else of the user's
    own bureau, else the first they read: another bureau's is 404. The dashboard, its xlsx and its 催报 ask
    here (``periods``: dashboard_periods, when the caller has them already)."""
    periods = dashboard_periods(user, year, kind) if periods is None else periods
    if bureau_code:
        period = next((p for p in periods if p.bureau.code == bureau_code), None)
    else:
        own = [p for p in periods if p.bureau_id == user.bureau_id]
        period = (own or periods or [None])[0]
    if period is None:
        raise Http404("没有找到该年度的填报期")
    return period


def _state_sql() -> str:
    reports = Report._meta.db_table
    members = FilingPeriod.departments.through._meta.db_table
    return (
        f'SELECT (SELECT COUNT(*) FROM "{members}" WHERE "filingperiod_id" = %s), '
        f'COUNT(*), SUM("version"), MAX("updated_at") FROM "{reports}" WHERE "period_id" = %s'
    )


_STATE_SQL = _state_sql()


def dashboard_fingerprint(period: FilingPeriod, today: date) -> str:
    """Changes whenever a row of the dashboard may change: every save of a report moves its updated_at, every
    transition its version (versions only grow, so their sum moves too), and the department list its count.
    Counted on every request of the dashboard in one statement written out once: built by the ORM for every
    period the user reads, these counts cost the page more than the rest of its work."""
    with connection.cursor() as cursor:
        cursor.execute(_STATE_SQL, [period.pk, period.pk])
        departments, reports, versions, saved = cursor.fetchone()
    return f"{period.pk}:{period.deadline}:{today}:{departments}:{reports or 0}:{versions}:{saved}"


STATUS_FILTERS = [(MISSING, "未创建"), *Status.choices]
COMPLETE, INCOMPLETE = "complete", "incomplete"
COMPLETENESS_FILTERS = [(COMPLETE, "已填全"), (INCOMPLETE, "有未填项")]
NO_GRADE = "none"
GRADE_FILTERS = [("优", "优"), ("良", "良"), ("中", "中"), ("差", "差"), (NO_GRADE, "无等级")]


@dataclass(frozen=True)
class DashboardFilters:
    """The dashboard's GET parameters, read once for the page, its links and its xlsx; a value the page does
    not offer is ignored (a hand-made URL never fails)."""

    bureau: str = ""  # a bureau's code: whose period (the user's own when empty; see dashboard_period)
    status: str = ""
    overdue: bool = False
    completeness: str = ""
    grade: str = ""

    @classmethod
    def from_query(cls, query) -> "DashboardFilters":
        def choice(name, choices):
            value = query.get(name, "")
            return value if value in {v for v, _ in choices} else ""

        bureau = query.get("bureau", "")
        return cls(
            bureau=bureau if _SLUG.fullmatch(bureau) else "",
            status=choice("status", STATUS_FILTERS),
            overdue=query.get("overdue") == "1",
            completeness=choice("completeness", COMPLETENESS_FILTERS),
            grade=choice("grade", GRADE_FILTERS),
        )

    def as_query(self) -> str:
        """The filters as a query string (without ``?``): kept in the pages' and the xlsx link."""
        pairs = (
            ("bureau", self.bureau),
            ("status", self.status),
            ("overdue", "1" if self.overdue else ""),
            ("completeness", self.completeness),
            ("grade", self.grade),
        )
        return urlencode([(k, v) for k, v in pairs if v])

    def apply(self, rows: list[DashboardRow]) -> list[DashboardRow]:
        return filter_rows(
            rows,
            status=self.status,
            overdue=self.overdue,
            completeness=self.completeness,
            grade=self.grade,
        )


def filter_rows(
    rows: list[DashboardRow],
    *,
    status: str = "",
    overdue: bool = False,
    completeness: str = "",
    grade: str = "",
) -> list[DashboardRow]:
    if status:
        rows = [r for r in rows if r.status == status]
    if overdue:
        rows = [r for r in rows if r.overdue]
    if completeness == COMPLETE:
        rows = [r for r in rows if r.blanks == 0]
    elif completeness == INCOMPLETE:  # a department without a report has filled nothing
        rows = [r for r in rows if r.blanks != 0]
    if grade == NO_GRADE:
        rows = [r for r in rows if not r.grade]
    elif grade:
        rows = [r for r in rows if r.grade == grade]
    return rows


# The dashboard's table, as the page prints it and the xlsx holds it: one builder for both.
COLUMNS = (
    ("code", "预算单位编码"),
    ("name", "单位"),
    ("status", "状态"),
    ("submitted", "提交时间"),
    ("deadline", "距截止"),
    ("late", "逾期天数"),
    ("score", "自评总分"),
    ("grade", "等级"),
    ("rate", "执行率（%）"),
    ("blanks", "未填项"),
    ("errors", "错误"),
    ("warnings", "提示"),
)


def row_cells(row: DashboardRow) -> list[tuple[str, object]]:
    """(column key, value) of a row; None is printed 「—」 (and left empty in the xlsx), never 0."""
    submitted = timezone.localtime(row.submitted_at).strftime("%Y-%m-%d %H:%M") if row.submitted_at else None
    values = {
        "code": row.department_code,
        "name": row.department_name,
        "status": row.status_label,
        "submitted": submitted,
        "deadline": row.deadline_note,
        "late": row.late_days,
        "score": row.self_score,
        "grade": row.grade or None,
        "rate": row.execution_rate,
        "blanks": row.blanks,
        "errors": row.errors,
        "warnings": row.warnings,
    }
    return [(key, values[key]) for key, _title in COLUMNS]


def dashboard_xlsx(period: FilingPeriod, rows: list[DashboardRow], filters: DashboardFilters) -> bytes:
    """The rows the page shows for these filters (all of them, not one page), as an .xlsx workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{period.year}年度审核总览"
    sheet.append([title for _key, title in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([None] * len(COLUMNS))
        for cell, (_key, value) in zip(sheet[sheet.max_row], row_cells(row), strict=True):
            set_cell_value(cell, value)
    widths = {"name": 30, "submitted": 18, "deadline": 16}
    for index, (key, _title) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = widths.get(key, 12)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def not_submitted(rows: list[DashboardRow]) -> list[DashboardRow]:
    return [r for r in rows if r.waiting]


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


def dashboard_url(period: FilingPeriod) -> str:
    """The 部门整体 period keeps the address it always had; another kind's names its kind."""
    if period.kind == FilingKind.DEPARTMENT:
        return reverse("workflow:dashboard", kwargs={"year": period.year})
    return reverse("workflow:dashboard_kind", kwargs={"year": period.year, "kind": period.kind})
