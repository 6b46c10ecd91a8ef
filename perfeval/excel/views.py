from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from perfeval.excel import services
from perfeval.excel.forms import ConfirmForm, UploadForm
from perfeval.excel.models import ImportUpload
from perfeval.filing import access
from perfeval.filing.access import get_report_for_user
from perfeval.filing.jobs import start_job
from perfeval.filing.models import FilingPeriod, Report
from perfeval.filing.parts import reports_with_parts


def _require_member(user, report) -> None:
    # A locked report of one's own department gets the lock message on the page, not a 403.
    if not access.is_member(user, report):
        raise PermissionDenied(access.NOT_MEMBER)


def _started(request, report, kind, title, **kwargs):
    """The job scheduled; the browser follows it on its status page (filing.jobs)."""
    job = start_job(kind=kind, title=title, user=request.user, report=report, **kwargs)
    return redirect("job_page", job_id=job.pk)


@login_required
def download(request, report_id):
    report = get_report_for_user(request.user, report_id)
    return _started(request, report, "excel.export", f"下载Excel · {report}")


@login_required
def report_template(request, report_id):
    report = get_report_for_user(
        request.user, report_id, Report.objects.select_related("department", "period")
    )
    return _template_job(request, report.department, report.period, report)


@login_required
def department_template(request, year, department_code):
    department = get_object_or_404(access.departments_visible_to(request.user), code=department_code)
    # The period of the department's bureau (the one the department files in) of that year; several periods
    # may share a year (one per kind of filing): ?kind= names one, 部门整体 first otherwise.
    periods = (
        FilingPeriod.objects.select_related("rule_pack")
        .filter(Q(departments=department) | Q(bureau_id=department.bureau_id), year=year)
        .distinct()
        .order_by("kind", "-pk")
    )
    kind = request.GET.get("kind")
    period = (periods.filter(kind=kind) if kind else periods).first()
    if period is None:
        raise Http404("没有找到该年度的填报期")
    return _template_job(request, department, period, None)


def _template_job(request, department, period, report):
    title = f"下载空白模板 · {period.year}年度{department.name}"
    arguments = {"department": department.pk, "period": period.pk}
    return _started(request, report, "excel.template", title, arguments=arguments)


@login_required
def upload(request, report_id):
    """The upload is read in a background task (it may take seconds); its page then opens the preview, or
    lists every cell it could not read."""
    report = get_report_for_user(request.user, report_id)
    _require_member(request.user, report)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        arguments = {"name": file.name, "again_url": request.path}
        return _started(
            request, report, "excel.read", f"导入Excel · {report}", arguments=arguments, upload=file.read()
        )
    return render(request, "excel/upload.html", {"report": report, "form": form})


@login_required
def preview(request, report_id, upload_id):
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    _require_member(request.user, report)
    pending = get_object_or_404(ImportUpload, pk=upload_id, report=report, applied_at__isnull=True)
    changes, findings = services.preview(report=report, payload=pending.payload)
    return render(
        request,
        "excel/preview.html",
        {
            "report": report,
            "upload": pending,
            "changes": changes,
            "errors": [f for f in findings if f.severity == "error"],
            "warnings": [f for f in findings if f.severity == "warning"],
            "stale": pending.base_version != report.version,
            "form": ConfirmForm(initial={"version": pending.base_version}),
        },
    )


@login_required
@require_POST
def confirm(request, report_id, upload_id):
    report = get_report_for_user(request.user, report_id)
    _require_member(request.user, report)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "缺少版本号，请重新上传文件")
        return redirect("excel:upload", report_id=report.pk)
    arguments = {
        "upload": upload_id,
        "version": form.cleaned_data["version"],
        "again_url": reverse("excel:upload", args=[report.pk]),
    }
    return _started(request, report, "excel.apply", f"导入Excel · {report}", arguments=arguments)
