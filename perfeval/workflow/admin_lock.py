"""Make the Django admin respect the report lock: a submitted, approved or published report and every part of
it are read-only there (no change, add or delete), and nobody sets a status by hand — the workflow services
do.

Use ``LockedReportAdminMixin`` on the Report admin, ``LockedPartAdminMixin`` on admins and inlines of its
parts (ExpenseAmount, Project, Scorecard, FundLine, Indicator, …).
"""

from perfeval.filing.locking import assert_editable
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


def _locked(obj) -> bool:
    report = owning_report(obj)
    return report is not None and report.pk is not None and not report.is_editable


class _LockMixin:
    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None, *args):
        # ModelAdmin.has_add_permission(request); InlineModelAdmin.has_add_permission(request, obj).
        if _locked(obj):
            return False
        return (
            super().has_add_permission(request, obj)
            if self._is_inline()
            else super().has_add_permission(request)
        )

    def _is_inline(self) -> bool:
        from django.contrib.admin.options import InlineModelAdmin

        return isinstance(self, InlineModelAdmin)

    # The hard guard behind the permissions: a save or delete that gets here anyway is refused.
    def save_model(self, request, obj, form, change):
        report = owning_report(obj)
        if report is not None and report.pk is not None:
            assert_editable(Report.objects.get(pk=report.pk))
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        report = owning_report(obj)
        if report is not None and report.pk is not None:
            assert_editable(Report.objects.get(pk=report.pk))
        super().delete_model(request, obj)


class LockedReportAdminMixin(_LockMixin):
    """For the Report admin: status and version are never edited by hand."""

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + tuple(name for name in ("status", "version") if name not in fields)

    def save_formset(self, request, form, formset, change):
        if form.instance.pk is not None:
            assert_editable(Report.objects.get(pk=form.instance.pk))
        super().save_formset(request, form, formset, change)


class LockedPartAdminMixin(_LockMixin):
    pass
