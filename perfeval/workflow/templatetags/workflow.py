"""Template tags for the report page: the workflow buttons' state and the reasons pinned to a place.

{% load workflow %}
{% pinned_reasons report "att1" "sangong" "final" %}   {# a cell #}
{% pinned_reasons report "text" "s9" %}                 {# a section #}
{% pinned_reasons_in report "att1" "sangong" %}         {# a row and every cell of it #}
"""

from django import template

from perfeval.filing.models import EDITABLE_STATUSES, Status
from perfeval.orgs.models import Role
from perfeval.workflow import services
from perfeval.workflow.models import ReturnReason, place_key

register = template.Library()


def current_reasons(report) -> list[ReturnReason]:
    """The reasons of the latest return, while they matter (returned, or resubmitted and under review);
    cached on the report so each place on the page costs no query. A frozen document has no live report."""
    if report is None:
        return []
    if not hasattr(report, "_workflow_reasons"):
        reasons = []
        if report.status in (Status.RETURNED, Status.SUBMITTED):
            latest = report.return_rounds.order_by("-number").first()
            if latest is not None:
                reasons = list(latest.reasons.all())
        report._workflow_reasons = reasons
    return report._workflow_reasons


@register.simple_tag
def workflow_state(report, user) -> dict:
    member = services.is_department_member(user, report)
    reviewer = services.is_reviewer(user)
    editable = report.status in EDITABLE_STATUSES
    submitted = report.status == Status.SUBMITTED
    return {
        "member": member,
        "reviewer": reviewer,
        "can_submit": member and editable,
        "can_withdraw": member and submitted and not services.reviewer_has_opened(report),
        "can_confirm": member
        and editable
        and user.role == Role.HEAD
        and report.period.requires_head_confirmation,
        "can_review": reviewer and submitted,
        "can_reopen": reviewer and report.status == Status.PUBLISHED,
        "reasons": current_reasons(report),
        "has_rounds": report.return_rounds.exists(),
        "has_previous": member
        and report.department.reports.filter(
            period__year__lt=report.period.year, status__in=(Status.APPROVED, Status.PUBLISHED)
        ).exists(),
    }


@register.inclusion_tag("workflow/_pinned_reasons.html")
def pinned_reasons(report, table, row="", column=""):
    key = place_key(table, row, column)
    return {"reasons": [r for r in current_reasons(report) if r.place_key == key]}


@register.inclusion_tag("workflow/_pinned_reasons.html")
def pinned_reasons_in(report, table, row):
    """The reasons pinned to a row of a table and to any cell of that row."""
    return {"reasons": [r for r in current_reasons(report) if (r.table, r.row) == (table, row)]}
