"""The one lock check: every write path (forms, admin, imports, management commands) calls assert_editable."""

from perfeval.filing.models import EDITABLE_STATUSES, Report


class ReportLocked(Exception):
    """The report is submitted, approved or published: nobody may change it."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__(f"报告当前状态为「{report.get_status_display()}」，已锁定，不能修改。")


def assert_editable(report: Report) -> None:
    if report.status not in EDITABLE_STATUSES:
        raise ReportLocked(report)
