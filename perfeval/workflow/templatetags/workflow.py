"""Template tags for the report page: the workflow buttons' state and the reasons pinned to a place.

{% load workflow %}
{% pinned_reasons report "att1" "sangong" "final" %}   {# a cell #}
{% pinned_reasons report "text" "s9" %}                 {# a section #}
{% pinned_reasons_in report "att1" "sangong" %}         {# a row and every cell of it #}
{% reasons_to_answer report tables user %}             {# an edit tab's reasons, with the reply forms #}
{% awaiting_confirmation user %}                        {# the head's 待确认 on the home page #}
"""

import hashlib

from django import template
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from perfeval.filing import access, checked
from perfeval.filing.models import UNDER_REVIEW_STATUSES, FilingPeriod, Report, Status
from perfeval.workflow import services
from perfeval.workflow.models import ReturnReason, ReturnRound, place_key

register = template.Library()


def current_reasons(report) -> list[ReturnReason]:
    """The reasons of the latest return, while they matter (returned, or resubmitted and under review);
    cached on the report so each place on the page costs no query. A frozen document has no live report."""
    if not report:  # also an include rendered without a report in its context
        return []
    if not hasattr(report, "_workflow_reasons"):
        reasons = []
        if report.status in (Status.RETURNED, Status.SUBMITTED, Status.SUPERVISOR_REVIEW):
            latest = report.return_rounds.order_by("-number").first()
            if latest is not None:
                reasons = list(latest.reasons.select_related("replied_by"))
        report._workflow_reasons = reasons
    return report._workflow_reasons


@register.simple_tag
def workflow_state(report, user) -> dict:
    """The workflow buttons of the report page: who may do what is perfeval.filing.access's answer."""
    may = access.permissions(user, report)
    submitted = report.status in UNDER_REVIEW_STATUSES
    return {
        "member": may["member"],
        "reviewer": may["bureau"],
        "bureau_query": "" if may["acts_for_bureau"] else f"?bureau={report.period.bureau.code}",
        "can_submit": may["submit"],
        "can_supervise": may["supervise"],
        "can_withdraw": may["member"] and submitted and not services.reviewer_has_opened(report),
        "can_review": may["review"],
        "can_confirm": may["confirm"] and report.period.requires_head_confirmation,
        "can_reopen": may["reopen"],
        "reasons": current_reasons(report),
        **_history_flags(report, previous=may["member"]),
    }


@register.simple_tag
def report_actions_key(report, user, may, wf) -> str:
    """The cache key of the report page's buttons and notes: they show nothing but the report's version (its
    status, reasons and explanations move it on) and these answers for this user — ``may`` (access.permissions)
    and ``wf`` (workflow_state) — so whoever gets the same answers gets the same HTML. None while a reviewer
    has the report: they mark its return reasons resolved without a new version."""
    if report.status in UNDER_REVIEW_STATUSES:
        return ""
    answers = sorted(may.items()) + sorted((key, value) for key, value in wf.items() if key != "reasons")
    explained = access.is_bureau(user) or access.is_supervisor_of(user, report)  # see warning_explanations
    digest = hashlib.sha256(repr((answers, explained)).encode()).hexdigest()[:16]
    return f"{checked.version_key(report)}:actions:{digest}"


# The two flags are raw SQL about the query's own report row, named by its table: compiling them as the ORM's
# Exists subqueries cost the report page half a millisecond, more than half of compiling its whole query. So
# they go only into a query of reports itself (the report page's, _history_flags'), never into a nested one.
_REPORTS = Report._meta.db_table


def _ever_returned(user=None):
    """Whether the report was ever returned."""
    rounds = ReturnRound._meta.db_table
    return RawSQL(
        f'EXISTS (SELECT 1 FROM "{rounds}" r WHERE r."report_id" = "{_REPORTS}"."id")',
        (),
        output_field=BooleanField(),
    )


def _earlier_approved(user=None):
    """Whether the report's department has an approved (or published) report of an earlier year."""
    periods = FilingPeriod._meta.db_table
    return RawSQL(
        f'EXISTS (SELECT 1 FROM "{_REPORTS}" e INNER JOIN "{periods}" p ON p."id" = e."period_id" '
        f'WHERE e."department_id" = "{_REPORTS}"."department_id" AND e."status" IN (%s, %s) '
        f'AND p."year" < (SELECT o."year" FROM "{periods}" o WHERE o."id" = "{_REPORTS}"."period_id"))',
        (Status.APPROVED.value, Status.PUBLISHED.value),
        output_field=BooleanField(),
    )


# Loaded with the report by the report page (perfeval.filing.hooks, registered in WorkflowConfig.ready).
HISTORY_FLAGS = {"has_return_rounds": _ever_returned, "has_earlier_approved": _earlier_approved}


def _history_flags(report, *, previous: bool) -> dict[str, bool]:
    """Whether the report was ever returned, and (``previous``) whether its department has an approved report
    of an earlier year: as loaded with the report (the report page), else in one query."""
    if not all(hasattr(report, name) for name in HISTORY_FLAGS):
        flags = {name: build() for name, build in HISTORY_FLAGS.items()}
        report = Report.objects.filter(pk=report.pk).order_by().annotate(**flags).only("pk").get()
    has_rounds, has_previous = report.has_return_rounds, report.has_earlier_approved
    return {"has_rounds": has_rounds, "has_previous": previous and has_previous}


@register.inclusion_tag("workflow/_pinned_reasons.html")
def pinned_reasons(report, table, row="", column=""):
    key = place_key(table, row, column)
    return {"reasons": [r for r in current_reasons(report) if r.place_key == key]}


@register.inclusion_tag("workflow/_pinned_reasons.html")
def pinned_reasons_in(report, table, row):
    """The reasons pinned to a row of a table and to any cell of that row."""
    return {"reasons": [r for r in current_reasons(report) if (r.table, r.row) == (table, row)]}


@register.inclusion_tag("workflow/_reasons_to_answer.html")
def reasons_to_answer(report, tables, user, here=""):
    """The return reasons of an edit tab (``tables``: the tab's tables; None: every table), each linked to its
    field, with the department's reply form while the report is back with them."""
    reasons = [r for r in current_reasons(report) if tables is None or r.table in tables]
    return {
        "report": report,
        "reasons": reasons,
        "may_reply": report.status == Status.RETURNED and access.may_edit(user, report),
        "here": here,
    }


@register.simple_tag
def warning_explanations(report, user):
    """Every warning with the preparer's explanation, for the bureau on the report page (nobody else pays for
    the checks here). ``report`` is loaded with reports_with_parts."""
    if not (access.is_bureau(user) or access.is_supervisor_of(user, report)):
        return []
    findings = checked.report_findings(report)
    return services.warning_explanations(report, findings)


@register.inclusion_tag("workflow/_awaiting_confirmation.html")
def awaiting_confirmation(user):
    return {"reports": list(services.awaiting_head_confirmation(user))}
