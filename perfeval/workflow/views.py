import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from perfeval import caching
from perfeval.filing import access, checked
from perfeval.filing.access import get_report_for_user
from perfeval.filing.diff import diff_payloads
from perfeval.filing.models import FilingKind, FilingPeriod, Report, Status
from perfeval.filing.opendata import export_report
from perfeval.filing.parts import reports_with_parts
from perfeval.filing.templatetags.fragments import PLACE, splice
from perfeval.rules.checks import ERROR, WARNING
from perfeval.workflow import services
from perfeval.workflow.dashboard import (
    COLUMNS,
    COMPLETENESS_FILTERS,
    GRADE_FILTERS,
    STATUS_FILTERS,
    DashboardFilters,
    dashboard_charts,
    dashboard_fingerprint,
    dashboard_period,
    dashboard_periods,
    dashboard_rows,
    dashboard_url,
    dashboard_xlsx,
    not_submitted,
    row_cells,
)
from perfeval.workflow.forms import (
    ApproveForm,
    ConfirmForm,
    ForwardForm,
    OpenPeriodForm,
    ReasonFormSet,
    ReopenForm,
    place_choices,
)
from perfeval.workflow.models import AuditEvent, ReturnReason, ReturnRound, place_key
from perfeval.workflow.overview import bureau_status_counts, unit_figures


def _back(report):
    return redirect("report_detail", report_id=report.pk)


def _run(request, report, action, success: str, **kwargs):
    try:
        action(report=report, user=request.user, **kwargs)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return _back(report)


def _require_reviewer(request, report=None, *, supervisor=False):
    """The department may see its report, but not the reviewer's pages: 403, not 404 (which means "not
    yours"); so does a bureau above, which reads the report and acts on nothing. ``supervisor``: the page is
    also the 主管部门's (return, resolve)."""
    user = request.user
    if supervisor and report is not None and access.is_supervisor_of(user, report):
        return
    if not access.is_bureau(user):
        raise PermissionDenied("只有财政局审核人可以执行此操作。")
    if report is not None and not access.acts_for_bureau(user, report):
        raise PermissionDenied("上级财政部门只能查看下级财政部门的报告，不能审核。")


# ---------------------------------------------------------------- the department's side


@login_required
def submit(request, report_id):
    """GET: the pre-submission check (errors, warnings to explain, head confirmation). POST: submit."""
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    if request.method == "POST":
        to = "主管部门" if report.department.parent_id else "财政局"
        return _run(request, report, services.submit_report, f"报告已提交，等待{to}审核。")
    findings = checked.report_findings(report)
    explanations = {(e.code, e.place): e for e in report.explanations.all()}
    warnings = [
        (f, explanations.get((f.code, place_key(f.place.table, f.place.row, f.place.column))))
        for f in findings
        if f.severity == WARNING
    ]
    return render(
        request,
        "workflow/submit.html",
        {
            "report": report,
            "errors": [f for f in findings if f.severity == ERROR],
            "warnings": warnings,
            "blockers": services.submission_blockers(report) if report.is_editable else [],
            "head_confirmed": services.head_confirmation_valid(report),
            "may": access.permissions(request.user, report),
        },
    )


@login_required
def confirm(request, report_id):
    """GET: the head's page — what changed since their last confirmation, the errors that stop it. POST: confirm
    the version that page showed."""
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    if request.method == "POST":
        version = request.POST.get("version", "")
        try:
            if not version.isdigit():
                raise services.WorkflowError("页面已过期，请重新加载后再确认。")
            services.confirm_as_head(report=report, user=request.user, expected_version=int(version))
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已确认第 {report.version} 版。之后如有修改须重新确认。")
        return redirect("workflow:confirm", report_id=report.pk)
    findings = checked.report_findings(report)
    last = services.last_head_confirmation(report)
    return render(
        request,
        "workflow/confirm.html",
        {
            "report": report,
            "last": last,
            "changes": services.changes_since_head_confirmation(report, last),
            "confirmed_now": last is not None and last.version == report.version,
            "errors": [f for f in findings if f.severity == ERROR],
            "may": access.permissions(request.user, report),
        },
    )


@login_required
def reply(request, report_id, reason_id):
    """The department's answer to a return reason, from the edit tab it was shown on."""
    report = get_report_for_user(request.user, report_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    reason = get_object_or_404(
        ReturnReason.objects.select_related("round__report"), pk=reason_id, round__report=report
    )
    version = request.POST.get("version", "")
    try:
        if not version.isdigit():
            raise services.WorkflowError("页面已过期，请重新加载后再答复。")
        services.reply_to_reason(
            reason=reason,
            user=request.user,
            text=request.POST.get("reply", ""),
            expected_version=int(version),
        )
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "答复已保存，审核人会看到。")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(back)
    return _back(report)


@login_required
def withdraw(request, report_id):
    report = get_report_for_user(request.user, report_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return _run(request, report, services.withdraw_report, "报告已撤回，可继续修改。")


@login_required
def last_year(request, report_id):
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    previous = services.previous_report(report)
    rows = services.differences_from_last_year(report, previous) if previous else []
    return render(request, "workflow/last_year.html", {"report": report, "previous": previous, "rows": rows})


# ---------------------------------------------------------------- the reviewer's side


@login_required
def return_report(request, report_id):
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    _require_reviewer(request, report, supervisor=True)
    findings = checked.report_findings(report)
    places = place_choices(report, findings)
    labels = dict(places)
    formset = ReasonFormSet(request.POST or None, form_kwargs={"places": places})
    confirm = ConfirmForm(request.POST or None)
    if request.method == "POST" and formset.is_valid() and confirm.is_valid():
        reasons = []
        for form in formset.forms:
            text = (form.cleaned_data.get("text") or "").strip()
            if text:
                key = form.cleaned_data.get("place") or place_key("")
                table, row, column = key.split("|")
                label = labels.get(key, "").removeprefix("⚠ ")
                reasons.append(services.PinnedReason(text, table, row, column, label if table else ""))
        return _run(
            request, report, services.return_report, "报告已退回，单位可修改后重新提交。", reasons=reasons
        )
    return render(
        request,
        "workflow/return.html",
        {
            "report": report,
            "formset": formset,
            "confirm": confirm,
            "errors": [f for f in findings if f.severity == ERROR],
            "warnings": services.warning_explanations(report, findings),
        },
    )


@login_required
def approve(request, report_id):
    """GET: the approval page (审核意见, the warnings with the department's explanations, a confirmation
    checkbox). POST: approve."""
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    _require_reviewer(request, report)
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _run(
            request, report, services.approve_report, "报告已审核通过。", note=form.cleaned_data["note"]
        )
    findings = checked.report_findings(report)
    return render(
        request,
        "workflow/approve.html",
        {
            "report": report,
            "form": form,
            "warnings": services.warning_explanations(report, findings),
            "open_reasons": services.open_reasons(report).count(),
        },
    )


@login_required
def forward(request, report_id):
    """The 主管部门's reviewer: GET the forwarding page (opinion, the warnings with the unit's explanations, a
    confirmation checkbox); POST forward the report to the finance bureau."""
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    if not access.is_supervisor_of(request.user, report):
        raise PermissionDenied("只有该单位主管部门的审核人可以报送。")
    form = ForwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _run(
            request,
            report,
            services.forward_report,
            "报告已报送财政部门审核。",
            opinion=form.cleaned_data["opinion"],
        )
    findings = checked.report_findings(report)
    return render(
        request,
        "workflow/forward.html",
        {
            "report": report,
            "form": form,
            "warnings": services.warning_explanations(report, findings),
            "open_reasons": services.open_supervisor_reasons(report).count(),
        },
    )


@login_required
def reopen(request, report_id):
    report = get_report_for_user(request.user, report_id)
    _require_reviewer(request, report)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _run(
            request,
            report,
            services.reopen_for_correction,
            "报告已退回单位更正，更正后将作为新版本重新审核。",
            reason=form.cleaned_data["reason"],
        )
    return render(request, "workflow/reopen.html", {"report": report, "form": form})


@login_required
def changes(request, report_id):
    """What changed since the last return, old → new, and the reasons of that return to mark resolved."""
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    reasons = ReturnReason.objects.select_related("resolved_by", "replied_by")
    last_round = (
        ReturnRound.objects.filter(report=report)
        .prefetch_related(Prefetch("reasons", queryset=reasons))
        .first()
    )
    pack = report.period.rule_pack.rules()
    diff = diff_payloads(last_round.snapshot, export_report(report), pack) if last_round else []
    return render(
        request,
        "workflow/changes.html",
        {
            "report": report,
            "round": last_round,
            "changes": diff,
            "can_resolve": access.may_resolve(request.user, report),
        },
    )


@login_required
def resolve(request, report_id, reason_id):
    report = get_report_for_user(request.user, report_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_reviewer(request, report, supervisor=True)
    reason = get_object_or_404(
        ReturnReason.objects.select_related("round__report"), pk=reason_id, round__report=report
    )
    try:
        services.resolve_reason(reason=reason, user=request.user)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect("workflow:changes", report_id=report.pk)


@login_required
def history(request, report_id):
    report = get_report_for_user(
        request.user, report_id, Report.objects.select_related("department", "period")
    )
    events = AuditEvent.objects.filter(report=report).select_related("actor").order_by("id")
    return render(request, "workflow/history.html", {"report": report, "events": events})


DASHBOARD_PAGE_SIZE = 100
DASHBOARD_CACHE_SECONDS = 600


def _own_first(user, periods):
    """The user's own bureau's periods before those of the bureaus below."""
    own = periods.filter(bureau_id=user.bureau_id) if user.bureau_id else periods.none()
    return own if own.exists() else periods


@login_required
def dashboard_latest(request):
    _require_reviewer(request)
    period = (
        _own_first(request.user, access.periods_visible_to(request.user)).order_by("-year", "kind").first()
    )
    if period is None:
        raise Http404("尚未开启任何填报期")
    return redirect(dashboard_url(period))


def _dashboard_period(request, year, periods=None, kind=None):
    """The period of ``year`` and ``kind`` (the address's, else ``?kind=``; without it the 部门整体 period, or the
    year's only one) of the bureau asked for (``?bureau=CODE``), else of the user's own bureau."""
    kind = kind or request.GET.get("kind") or None
    bureau = DashboardFilters.from_query(request.GET).bureau
    return dashboard_period(request.user, year, bureau, periods, kind=kind)


@login_required
def dashboard(request, year, kind=None):
    """One period's overview: ``kind`` names it among the year's periods (without it, the 部门整体 period, or the
    year's only one). The table is rendered once per state of the period (see dashboard_fingerprint) and query
    string, and served from the cache until a report of the period changes."""
    _require_reviewer(request)
    # One query for the period, its fingerprint's counts (scalar subqueries, no GROUP BY over the period's
    # columns) and the bureau filter's choices: it runs on every request.
    periods = dashboard_periods(request.user, year, kind)
    period = _dashboard_period(request, year, periods, kind)
    today = timezone.localdate()
    state = f"{dashboard_fingerprint(period, today)}|{request.GET.urlencode()}"
    key = "workflow:dashboard-utf8:" + hashlib.sha256(state.encode()).hexdigest()
    body = caching.read(key)  # UTF-8 bytes, put into the response as they are (fragments.splice)
    if body is None:
        body = render_to_string("workflow/_dashboard_body.html", _dashboard_context(request, period, today))
        body = body.encode()
        caching.keep(key, body, DASHBOARD_CACHE_SECONDS)
    response = render(
        request,
        "workflow/dashboard.html",
        {
            "period": period,
            "body": PLACE,
            "query": DashboardFilters.from_query(request.GET).as_query(),
            "read_only": not access.may_remind(request.user, period),
            "bureaus": [(p.bureau.code, p.bureau.name) for p in periods],  # the bureau filter
        },
    )
    return splice(response, body)


def _dashboard_context(request, period, today) -> dict:
    rows = dashboard_rows(period, today=today)
    filters = DashboardFilters.from_query(request.GET)
    shown = filters.apply(rows)
    page = Paginator(shown, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = not_submitted(rows)
    return {
        "period": period,
        "page": page,
        "rows": page.object_list,
        "table": [(row, row_cells(row)) for row in page.object_list],
        "columns": COLUMNS,
        "shown": len(shown),
        "total": len(rows),
        "waiting_count": len(waiting),
        "waiting_names": "、".join(f"{r.department_name}（{r.status_label}）" for r in waiting),
        "filters": filters,
        "query": filters.as_query(),
        # The xlsx of the period shown: a project-only period names its kind.
        "export_query": "&".join(
            part
            for part in (
                "" if period.kind == FilingKind.DEPARTMENT else f"kind={period.kind}",
                filters.as_query(),
            )
            if part
        ),
        "status_filters": STATUS_FILTERS,
        "completeness_filters": COMPLETENESS_FILTERS,
        "grade_filters": GRADE_FILTERS,
        "periods": [
            (other_year, other_kind, FilingKind(other_kind).label)
            for other_year, other_kind in FilingPeriod.objects.filter(bureau_id=period.bureau_id).values_list(
                "year", "kind"
            )
            if (other_year, other_kind) != (period.year, period.kind)
        ],
        "charts": dashboard_charts(period, rows),
    }


@login_required
def dashboard_export(request, year):
    """The dashboard's rows for the page's filters, every page of them, as an .xlsx file."""
    _require_reviewer(request)
    period = _dashboard_period(request, year)
    filters = DashboardFilters.from_query(request.GET)
    rows = filters.apply(dashboard_rows(period, today=timezone.localdate()))
    response = HttpResponse(
        dashboard_xlsx(period, rows, filters),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="review-{period.bureau.code}-{period.year}.xlsx"'
    return response


@login_required
def periods(request):
    """The administrator's page: their bureau's periods so far, and the form that opens a new one."""
    if not access.is_administrator(request.user):
        raise Http404("没有找到该页面")
    form = OpenPeriodForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = services.open_period(
                user=request.user,
                bureau=form.bureau,
                year=data["year"],
                kind=data["kind"],
                deadline=data["deadline"],
                rule_pack=data["rule_pack"],
                departments=data["departments"],
                requires_head_confirmation=data["requires_head_confirmation"],
                carry_from=data["carry_from"],
                pack_confirmed=data["confirm_pack"],
                remind_days_before=data["remind_days_before"],
            )
        except services.RulePackNotConfirmed as exc:
            form.ask_pack_confirmation(exc.warnings)
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{period.year} 年度{period.get_kind_display()}填报期已开启，"
                f"已为 {period.departments.count()} 个单位创建报告。",
            )
            return redirect(dashboard_url(period))
    existing = access.periods_visible_to(request.user).select_related("rule_pack", "bureau")
    return render(
        request,
        "workflow/periods.html",
        {"form": form, "periods": existing.prefetch_related("departments")},
    )


@login_required
def bureau_overview(request, year=None):
    """A bureau and the bureaus below it, each with its period of ``year`` and its reports counted by status
    (read-only for the bureaus below)."""
    _require_reviewer(request)
    if year is None:
        latest = access.periods_visible_to(request.user).order_by("-year").first()
        year = latest.year if latest else timezone.localdate().year - 1
    rows = bureau_status_counts(request.user, year)
    return render(
        request,
        "workflow/bureau_overview.html",
        {
            "year": year,
            "rows": rows,
            "statuses": Status.choices,
            "years": sorted(
                set(access.periods_visible_to(request.user).values_list("year", flat=True)), reverse=True
            ),
        },
    )


@login_required
def supervision(request, year=None):
    """The 主管部门's page: its units' reports of a year, with their key figures side by side and summed."""
    if not access.is_supervisor(request.user):
        raise Http404("没有找到该页面")
    reports = access.reports_visible_to(request.user)
    years = sorted(set(reports.values_list("period__year", flat=True)), reverse=True)
    if year is None and years:
        year = years[0]
    table = unit_figures(reports.filter(period__year=year)) if year else None
    return render(
        request,
        "workflow/supervision.html",
        {"year": year, "years": years, "table": table, "department": request.user.department},
    )
