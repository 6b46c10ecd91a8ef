"""The one lock check and version claim: every write path (forms, admin, imports, management commands) calls
assert_editable, and claims the version before it writes."""

from django.db.models import F
from django.utils import timezone

from perfeval.filing.models import EDITABLE_STATUSES, Report


class ReportLocked(Exception):
    """The report is submitted, approved or published: nobody may change it."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__(f"报告当前状态为「{report.get_status_display()}」，已锁定，不能修改。")


class VersionConflict(Exception):
    """The report changed after the page the user acted on was rendered."""


def assert_editable(report: Report) -> None:
    if report.status not in EDITABLE_STATUSES:
        raise ReportLocked(report)


def claim_version(report: Report, *, user, expected_version: int | None = None) -> None:
    """The first statement of a write: move the version on, on condition that the report is editable and, when
    the write path knows it, still at the version the user's page showed. Any write therefore voids a head
    confirmation of the earlier version. On PostgreSQL the update takes the row lock, so a concurrent write
    waits, then finds the version moved on. Raises ReportLocked or VersionConflict."""
    assert_editable(report)
    rows = Report.objects.filter(pk=report.pk, status__in=EDITABLE_STATUSES)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1, updated_by=user, updated_at=timezone.now()):
        assert_editable(Report.objects.get(pk=report.pk))
        raise VersionConflict()
    if expected_version is None:
        report.version = Report.objects.values_list("version", flat=True).get(pk=report.pk)
    else:
        report.version = expected_version + 1
