"""Make the Django admin ask perfeval.filing.access: a report and every part of it change there only for
whom ``access.may_edit`` allows — nobody on the finance bureau's side, so report content is read-only in the
admin, and a submitted, approved or published report is read-only to everyone — and nobody sets a status by
hand: the workflow services do. Whatever gets past the permissions (a row added under a locked report's scorecard, a form posted after the
report was submitted, a bulk delete) is answered with the Chinese message of ReportLocked, never a 500; every
admin write to a draft claims the report's version like any other write.

Use ``LockedReportAdminMixin`` on the Report admin, ``LockedPartAdminMixin`` on admins and inlines of its
parts (ExpenseAmount, Project, Scorecard, FundLine, Indicator, …).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect

from perfeval.filing import access
from perfeval.filing.locking import ReportLocked, claim_version
from perfeval.filing.models import Report

PARENTS = ("report", "scorecard", "project", "round")


def owning_report(obj) -> Report | None:
    """The report an object belongs to: itself, ``.report``, or through its scorecard or project."""
    if obj is None:
        return None
    if isinstance(obj, Report):
        return obj
    for path in PARENTS:
        parent = getattr(obj, path, None)
        if parent is not None:
            return owning_report(parent)
    return None


def _refused(request, obj) -> bool:
    report = owning_report(obj)
    return report is not None and report.pk is not None and not access.may_edit(request.user, report)


def _locked_report(obj) -> Report | None:
    """The owning report as the database has it now, when it is locked."""
    report = owning_report(obj)
    if report is None or report.pk is None:
        return None
    current = Report.objects.filter(pk=report.pk).first()
    return current if current is not None and not current.is_editable else None


class LockAwareForm(forms.ModelForm):
    """A row whose report is locked — the one it has or the one it is being put under — is a form error."""

    def clean(self):
        cleaned = super().clean()
        parent = next((cleaned[p] for p in PARENTS if cleaned.get(p) is not None), None)
        locked = _locked_report(parent if parent is not None else self.instance)
        if locked is not None:
            raise ValidationError(str(ReportLocked(locked)))
        return cleaned


class _LockMixin:
    form = LockAwareForm

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

    # ---------------------------------------------------------------- the views answer a locked report

    def _refuse(self, request, report: Report, to: str):
        self.message_user(request, str(ReportLocked(report)), messages.ERROR)
        return HttpResponseRedirect(to)

    def _locked_object(self, request, object_id) -> Report | None:
        if object_id is None:
            return None
        return _locked_report(self.get_object(request, unquote(object_id)))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and (locked := self._locked_object(request, object_id)):
            return self._refuse(request, locked, request.get_full_path())
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ReportLocked as exc:  # locked between the check and the save: the transaction is rolled back
            return self._refuse(request, exc.report, request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        if locked := self._locked_object(request, object_id):
            return self._refuse(request, locked, request.path.rsplit("delete/", 1)[0] + "change/")
        try:
            return super().delete_view(request, object_id, extra_context)
        except ReportLocked as exc:
            return self._refuse(request, exc.report, request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ReportLocked as exc:
            return self._refuse(request, exc.report, request.get_full_path())
        except PermissionDenied:  # a bulk delete over rows of a locked report: say which lock
            selected = self.get_queryset(request).filter(pk__in=request.POST.getlist("_selected_action"))
            locked = next((r for r in map(_locked_report, selected) if r is not None), None)
            if locked is None:
                raise
            return self._refuse(request, locked, request.get_full_path())

    # ---------------------------------------------------------------- the hard guard behind the permissions

    def _claim(self, request, obj) -> None:
        """Claim the owning report's version once per request (the row lock on PostgreSQL); refuse if locked."""
        report = owning_report(obj)
        if report is None or report.pk is None:
            return
        claimed = request.__dict__.setdefault("_perfeval_claimed", {})
        if report.pk not in claimed:
            current = Report.objects.get(pk=report.pk)
            if current.is_editable and not access.may_edit(request.user, current):
                raise PermissionDenied(access.edit_refusal(request.user, current))
            claim_version(current, user=request.user)
            claimed[report.pk] = current
        if isinstance(obj, Report):  # its save writes every column: write the claimed ones
            current = claimed[report.pk]
            obj.version, obj.status, obj.updated_by = current.version, current.status, request.user

    def save_model(self, request, obj, form, change):
        self._claim(request, obj)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        self._claim(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._claim(request, obj)
        super().delete_queryset(request, queryset)


class LockedReportAdminMixin(_LockMixin):
    """For the Report admin: status and version are never edited by hand."""

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + tuple(name for name in ("status", "version") if name not in fields)

    def save_formset(self, request, form, formset, change):
        if form.instance.pk is not None:
            self._claim(request, form.instance)
        super().save_formset(request, form, formset, change)


class LockedPartAdminMixin(_LockMixin):
    pass
