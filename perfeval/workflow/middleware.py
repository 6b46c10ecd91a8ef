from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from perfeval.filing import access
from perfeval.filing.models import Report
from perfeval.workflow.models import AuditAction

DENIALS = {
    "forbidden": "无权执行此操作（403）",
    "other_department": "访问其他单位的报告（404）",
    "anonymous": "未登录访问报告页面",
    "admin": "非管理人员访问管理后台",
}


class AccessAuditMiddleware:
    """What the audit log learns from every answer, whichever view gave it:

    - a reviewer's first successful request to any page of a submitted report (report, check, compare, history,
      PDF, workbook …) records it as opened, after which the preparer can no longer withdraw it;
    - every denied request is on record with its path and address: any 403, a 404 for an existing report of
      another department, an anonymous attempt at a report's URL, a non-staff request to the admin. The answer
      itself is unchanged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        report_id = match.kwargs.get("report_id") if match else None
        if not isinstance(report_id, int):
            report_id = None
        denial = _denial(request, response, report_id)
        if denial is not None:
            _record_denial(request, response, report_id, denial)
        elif report_id is not None and response.status_code < 400:
            _record_reviewer_view(request, report_id)
        return response


def _redirects_to_login(response, login_url: str) -> bool:
    return response.status_code == 302 and response.get("Location", "").startswith(login_url)


def _denial(request, response, report_id: int | None) -> str | None:
    user = request.user
    if response.status_code == 403:
        return "forbidden"
    if request.path.startswith(reverse("admin:index")) and not user.is_staff:
        return "admin" if _redirects_to_login(response, reverse("admin:login")) else None
    if report_id is None:
        return None
    if not user.is_authenticated:
        return "anonymous" if _redirects_to_login(response, resolve_url(settings.LOGIN_URL)) else None
    if response.status_code == 404:
        exists = Report.objects.filter(pk=report_id).exists()
        if exists and not access.reports_visible_to(user).filter(pk=report_id).exists():
            return "other_department"
    return None


def _record_denial(request, response, report_id: int | None, denial: str) -> None:
    from perfeval.workflow.services import record_event

    report = Report.objects.filter(pk=report_id).first() if report_id is not None else None
    record_event(
        action=AuditAction.DENIED,
        user=request.user,
        report=report,
        reason=DENIALS[denial],
        path=request.get_full_path()[:500],
        ip=request.META.get("REMOTE_ADDR") or None,
        details={"method": request.method, "status": response.status_code, "denial": denial},
    )


def _record_reviewer_view(request, report_id: int) -> None:
    from perfeval.workflow.services import record_reviewer_view

    if access.is_bureau(request.user) or access.is_supervisor(request.user):
        report = (
            Report.objects.filter(pk=report_id)
            .select_related("department", "period")
            .only("id", "status", "version", "department__parent_id", "period__bureau_id")
            .first()
        )
        if report is not None:
            record_reviewer_view(report=report, user=request.user)
