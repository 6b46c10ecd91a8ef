from django.http import Http404

from perfeval.filing.access import reports_visible_to
from perfeval.filing.models import Report
from perfeval.workflow.models import AuditAction


class DeniedAccessMiddleware:
    """Record in the audit log every 404 a user gets for an existing report of another department: the
    answer stays a plain 404, but the attempt is on record with its path and address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Http404) or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        report_id = match.kwargs.get("report_id") if match else None
        if not isinstance(report_id, int):
            return None
        report = Report.objects.filter(pk=report_id).first()
        if report is None or reports_visible_to(request.user).filter(pk=report_id).exists():
            return None
        from perfeval.workflow.services import record_event

        record_event(
            action=AuditAction.DENIED,
            user=request.user,
            report=report,
            path=request.get_full_path()[:500],
            ip=request.META.get("REMOTE_ADDR") or None,
            details={"method": request.method},
        )
        return None
