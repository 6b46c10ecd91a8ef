"""Who may see which report. Every view that touches a report calls :func:`get_report_for_user` first."""

from django.http import Http404

from perfeval.filing.models import Report


def reports_visible_to(user, queryset=None):
    queryset = Report.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser or user.is_bureau:
        return queryset
    if user.department_id is None:
        return queryset.none()
    return queryset.filter(department_id=user.department_id)


def get_report_for_user(user, report_id, queryset=None) -> Report:
    """The report, or 404 — the same answer whether it does not exist or belongs to another department."""
    report = reports_visible_to(user, queryset).filter(pk=report_id).first()
    if report is None:
        raise Http404("没有找到该报告")
    return report
