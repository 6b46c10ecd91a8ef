from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from perfeval.excel import exports, services
from perfeval.excel.forms import ConfirmForm, UploadForm
from perfeval.excel.models import ImportUpload
from perfeval.filing import access
from perfeval.filing.access import get_report_for_user
from perfeval.filing.locking import ReportLocked
from perfeval.filing.models import FilingPeriod
from perfeval.filing.parts import reports_with_parts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(workbook, filename: str) -> HttpResponse:
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"report.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    workbook.save(response)
    return response


def _require_member(user, report) -> None:
    # A locked report of one's own department gets the lock message on the page, not a 403.
    if not access.is_member(user, report):
        raise PermissionDenied(access.NOT_MEMBER)


@login_required
def download(request, report_id):
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    filename = f"{report.period.year}年度{report.department.name}绩效自评附表.xlsx"
    return _xlsx_response(exports.build_workbook(report), filename)


@login_required
def report_template(request, report_id):
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    return _template_response(report.department, report.period)


@login_required
def department_template(request, year, department_code):
    department = get_object_or_404(access.departments_visible_to(request.user), code=department_code)
    # The period of the department's bureau (the one the department files in) of that year.
    period = (
        FilingPeriod.objects.select_related("rule_pack")
        .filter(Q(departments=department) | Q(bureau_id=department.bureau_id), year=year)
        .order_by("-pk")
        .first()
    )
    if period is None:
        raise Http404("没有找到该年度的填报期")
    return _template_response(department, period)


def _template_response(department, period):
    workbook = exports.build_template(department=department, period=period)
    return _xlsx_response(workbook, f"{period.year}年度{department.name}绩效自评附表（空白模板）.xlsx")


@login_required
def upload(request, report_id):
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    _require_member(request.user, report)
    errors, refusal = [], None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            parsed = services.parse_upload(
                report=report, user=request.user, name=file.name, content=file.read()
            )
        except (services.ImportRefused, ReportLocked) as exc:
            refusal = str(exc)
        else:
            if parsed.upload is not None:
                return redirect("excel:preview", report_id=report.pk, upload_id=parsed.upload.pk)
            errors = parsed.errors
        if refusal:
            form.add_error("file", refusal)
    return render(
        request,
        "excel/upload.html",
        {"report": report, "form": form, "errors": errors},
        status=200,
    )


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
    try:
        services.confirm_upload(
            upload_id=upload_id,
            report=report,
            user=request.user,
            posted_version=form.cleaned_data["version"],
        )
    except ImportUpload.DoesNotExist:
        raise Http404("没有找到该上传文件") from None
    except (services.ImportRefused, ReportLocked) as exc:
        messages.error(request, str(exc))
        return redirect("excel:upload", report_id=report.pk)
    messages.success(request, "Excel 已导入，报告已更新")
    return redirect("report_detail", report_id=report.pk)
