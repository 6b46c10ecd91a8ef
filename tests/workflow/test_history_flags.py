"""The report page's two history flags — ever returned; an approved report of the department in an earlier
year — loaded with the report as raw SQL (perfeval.workflow.templatetags.workflow.HISTORY_FLAGS): for every
report and every status of last year's, the same answers as the ORM's own queries."""

import pytest

from perfeval.filing.access import get_report_for_user
from perfeval.filing.models import Report, Status
from perfeval.workflow import services
from perfeval.workflow.models import ReturnRound
from perfeval.workflow.templatetags.workflow import HISTORY_FLAGS, _history_flags
from tests.workflow.test_new_year import open_2024

pytestmark = pytest.mark.django_db


def _truth(report) -> tuple[bool, bool]:
    earlier = Report.objects.filter(
        department_id=report.department_id,
        period__year__lt=report.period.year,
        status__in=(Status.APPROVED, Status.PUBLISHED),
    )
    return ReturnRound.objects.filter(report=report).exists(), earlier.exists()


def _as_the_report_page_loads_them(report, user) -> tuple[bool, bool]:
    queryset = Report.objects.select_related("department", "period__rule_pack", "period__bureau").annotate(
        **{name: build(user) for name, build in HISTORY_FLAGS.items()}
    )
    loaded = get_report_for_user(user, report.pk, queryset)
    return loaded.has_return_rounds, loaded.has_earlier_approved


def test_history_flags_answer_as_the_orm_does(ready_report, preparer, reviewer, administrator):
    services.submit_report(report=ready_report, user=preparer)
    returned = services.return_report(
        report=ready_report, user=reviewer, reasons=[services.PinnedReason("请补充说明")]
    )
    services.submit_report(report=ready_report, user=preparer)
    services.resolve_reason(reason=returned.reasons.get(), user=reviewer)
    services.approve_report(report=ready_report, user=reviewer)
    reports = [ready_report, *open_2024(administrator, ready_report.period.rule_pack).values()]
    seen = set()
    for status in (Status.APPROVED, Status.PUBLISHED, Status.DRAFT, Status.SUBMITTED):
        Report.objects.filter(pk=ready_report.pk).update(status=status)
        for report in reports:
            report = Report.objects.select_related("period").get(pk=report.pk)
            truth = _truth(report)
            seen.add(truth)
            assert _as_the_report_page_loads_them(report, administrator) == truth, (report, status)
            flags = _history_flags(Report.objects.get(pk=report.pk), previous=True)  # not loaded: one query
            assert (flags["has_rounds"], flags["has_previous"]) == truth, (report, status)
    assert seen == {(True, False), (False, True), (False, False)}  # every answer of each flag was asked
