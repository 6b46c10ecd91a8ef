"""Who may do what with a report: the one place views, templates (through :func:`permissions` and the
``access`` context processor), imports, commands and the admin ask.

The answers, as a finance bureau runs the filing:

- **A department's preparer and head** see their own department's reports (any other report is 404) and
  change them — edit forms, xlsx import, explanations of warnings — while the report is a draft or returned.
  Either may submit or withdraw; only the head confirms (when the period asks for it).
- **The finance bureau** — reviewer, administrator, and a superuser, who is the bureau's administrator —
  sees every report, returns, approves, publishes and reopens, but never changes a report's content: the
  report is the department's statement, signed by its head, and a reviewer who could edit what they approve
  would review their own work. A wrong figure goes back to the department with a reason pinned to it. The same
  holds in the Django admin, where report content is read-only to everyone (it manages departments, users,
  periods and rule packs). Only the administrator (or a superuser) opens filing periods.
- **Management commands** (``import_report``, ``load_demo``) are run by the server's operator, not by a user
  of the site: they ask :func:`may_change` — the status lock every write path also enforces — and nothing else.
"""

from django.http import Http404

from perfeval.filing.locking import ReportLocked
from perfeval.filing.models import Report, Status
from perfeval.orgs.models import BUREAU_ROLES, DEPARTMENT_ROLES, Role

NOT_YOURS = "没有找到该报告"
NOT_MEMBER = "只有本单位的填报人或单位负责人可以修改这份报告。"


def is_bureau(user) -> bool:
    """The finance bureau: reviewer, administrator, or a superuser."""
    return user.is_authenticated and (user.is_superuser or user.role in BUREAU_ROLES)


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMINISTRATOR)


def is_member(user, report: Report) -> bool:
    """The report's department's preparer or head."""
    return (
        user.is_authenticated
        and user.role in DEPARTMENT_ROLES
        and user.department_id is not None
        and user.department_id == report.department_id
    )


def is_department_head(user) -> bool:
    """A department's head (单位负责人), of whichever report: their home page lists what waits for them."""
    return user.is_authenticated and user.role == Role.HEAD and user.department_id is not None


def is_head(user, report: Report) -> bool:
    return is_member(user, report) and is_department_head(user)


def may_view_department(user, department) -> bool:
    return user.is_authenticated and (is_bureau(user) or user.department_id == department.pk)


def may_view(user, report: Report) -> bool:
    return may_view_department(user, report.department)


def may_change(report: Report) -> bool:
    """The status lock alone: a draft or returned report may change, by whoever may edit it."""
    return report.is_editable


def may_edit(user, report: Report) -> bool:
    """Edit forms, xlsx import, explanations of warnings, the admin's report pages."""
    return is_member(user, report) and may_change(report)


def edit_refusal(user, report: Report) -> str | None:
    """Why ``user`` may not change ``report`` now, in Chinese; None when they may. ``user`` None is the
    server's operator running a management command: only the lock applies."""
    if not may_change(report):
        return str(ReportLocked(report))
    if user is not None and not is_member(user, report):
        return NOT_MEMBER
    return None


def may_submit(user, report: Report) -> bool:
    return may_edit(user, report)


def may_confirm(user, report: Report) -> bool:
    """The head confirms the current version before submission (the page offers it when the period asks)."""
    return may_edit(user, report) and is_head(user, report)


def may_review(user, report: Report) -> bool:
    """Return, approve, mark a return reason resolved."""
    return is_bureau(user) and report.status == Status.SUBMITTED


def may_publish(user, report: Report) -> bool:
    """An approved report (a corrected one again after its new approval)."""
    return is_bureau(user) and report.status == Status.APPROVED


def may_reopen(user, report: Report) -> bool:
    return is_bureau(user) and report.status == Status.PUBLISHED


def permissions(user, report: Report) -> dict[str, bool]:
    """What the report page's buttons ask: ``{% if may.edit %}``."""
    return {
        "view": may_view(user, report),
        "edit": may_edit(user, report),
        "submit": may_submit(user, report),
        "confirm": may_confirm(user, report),
        "review": may_review(user, report),
        "publish": may_publish(user, report),
        "reopen": may_reopen(user, report),
        "member": is_member(user, report),
        "bureau": is_bureau(user),
    }


def context(request) -> dict:
    """Template context processor: what the user may do anywhere (the navigation, bureau-only buttons)."""
    user = getattr(request, "user", None)
    if user is None:  # refused before the authentication middleware ran (a 400 for a bad Host header)
        return {"user_may": {"review": False, "open_periods": False}}
    return {"user_may": {"review": is_bureau(user), "open_periods": is_administrator(user)}}


def reports_visible_to(user, queryset=None):
    queryset = Report.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if is_bureau(user):
        return queryset
    if user.department_id is None:
        return queryset.none()
    return queryset.filter(department_id=user.department_id)


def get_report_for_user(user, report_id, queryset=None) -> Report:
    """The report, or 404 — the same answer whether it does not exist or belongs to another department."""
    report = reports_visible_to(user, queryset).filter(pk=report_id).first()
    if report is None:
        raise Http404(NOT_YOURS)
    return report


def notices_visible_to(user, queryset):
    """A user's own in-app notices (``queryset`` of perfeval.notices' Notice): nobody reads another's."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(recipient_id=user.pk)


def may_remind(user) -> bool:
    """催报 to departments of a period: the finance bureau."""
    return is_bureau(user)
