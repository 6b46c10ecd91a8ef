"""Make the Django admin ask perfeval.filing.access: a report and every part of it change there only for
whom ``access.may_edit`` allows — nobody on the finance bureau's side, so report content is read-only in the
admin, and a submitted, approved or published report is read-only to everyone — and nobody sets a status by
hand: the workflow services do.

Use ``LockedReportAdminMixin`` on the Report admin, ``LockedPartAdminMixin`` on admins and inlines of its
parts (ExpenseAmount, Project, Scorecard, FundLine, Indicator, …).
"""

from django.core.exceptions import PermissionDenied

from perfeval.filing import access
from perfeval.filing.models import Report


def owning_report(obj) -> Report | None:
    """The report an object belongs to: itself, ``.report``, or through its scorecard or project."""
    if obj is None:
        return None
    if isinstance(obj, Report):
        return obj
    for path in ("report", "scorecard", "project", "round"):
        parent = getattr(obj, path, None)
        if parent is not None:
            return owning_report(parent)
    return None


def _refused(request, obj) -> bool:
    report = owning_report(obj)
    return report is not None and report.pk is not None and not access.may_edit(request.user, report)


def _guard(request, obj) -> None:
    """The hard guard behind the permissions, on the stored report: a save or delete that gets here anyway."""
    report = owning_report(obj)
    if report is not None and report.pk is not None:
        if not access.may_edit(request.user, Report.objects.get(pk=report.pk)):
            raise PermissionDenied(access.edit_refusal(request.user, report))


class _LockMixin:
    def has_change_permission(self, request, obj=None):
        return not _refused(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _refused(request, obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None, *args):
        # ModelAdmin.has_add_permission(request); InlineModelAdmin.has_add_permission(request, obj).
        if _refused(request, obj):
            return False
        return (
            super().has_add_permission(request, obj)
            if self._is_inline()
            else super().has_add_permission(request)
        )

    def _is_inline(self) -> bool:
        from django.contrib.admin.options import InlineModelAdmin

        return isinstance(self, InlineModelAdmin)

    def save_model(self, request, obj, form, change):
        _guard(request, obj)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        _guard(request, obj)
        super().delete_model(request, obj)


class LockedReportAdminMixin(_LockMixin):
    """For the Report admin: status and version are never edited by hand."""

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + tuple(name for name in ("status", "version") if name not in fields)

    def save_formset(self, request, form, formset, change):
        _guard(request, form.instance)
        super().save_formset(request, form, formset, change)


class LockedPartAdminMixin(_LockMixin):
    pass
