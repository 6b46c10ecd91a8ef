"""Who may do what with a report: the one place views, templates (through :func:`permissions` and the
``access`` context processor), imports, commands and the admin ask.

The answers, as a finance bureau runs the filing:

- **A department's preparer and head** see their own department's reports (any other report is 404) and
  change them — edit forms, xlsx import, explanations of warnings — while the report is a draft or returned.
  Either may submit or withdraw; only the head confirms (when the period asks for it).
- **A 主管部门's reviewer** (role ``supervisor``, a member of the 主管部门, the ``parent`` of its units) sees
  the reports of the units under the 主管部门 (any other is 404): a unit with a 主管部门 submits to it, and its
  reviewer returns the report with reasons or forwards it to the finance bureau with an opinion.
- **A finance bureau** — reviewer or administrator, each belonging to one bureau — sees the reports of the
  periods its bureau opened (any other bureau's report is 404), returns, approves, publishes and reopens
  them, but never changes a report's content: the
  report is the department's statement, signed by its head, and a reviewer who could edit what they approve
  would review their own work. A wrong figure goes back to the department with a reason pinned to it. The same
  holds in the Django admin, where report content is read-only to everyone (it manages departments, users,
  periods and rule packs). Only the administrator (or a superuser) opens filing periods.
- **A bureau above** (its ``parent`` chain) reads the reports of the bureaus below, read-only: no return,
  approval, publication or reopening there, and an overview per bureau.
- **A superuser** operates the installation: every bureau's reports, acting as their bureau.
- **Management commands** (``import_report``, ``load_demo``) are run by the server's operator, not by a user
  of the site: they ask :func:`may_change` — the status lock every write path also enforces — and nothing else.
"""

from django.http import Http404

from perfeval.filing.locking import ReportLocked
from perfeval.filing.models import FilingPeriod, Report, Status
from perfeval.orgs.models import BUREAU_ROLES, DEPARTMENT_ROLES, Department, FinanceBureau, Role
from perfeval.orgs.scoping import bureau_ids_seen_by  # the bureaus a user reads, also asked by the admins

NOT_YOURS = "没有找到该报告"
NOT_MEMBER = "只有本单位的填报人或单位负责人可以修改这份报告。"


def is_bureau(user) -> bool:
    """A finance bureau's person: reviewer, administrator, or a superuser."""
    return user.is_authenticated and (user.is_superuser or user.role in BUREAU_ROLES)


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMINISTRATOR)


def is_supervisor(user) -> bool:
    """A 主管部门's reviewer."""
    return user.is_authenticated and user.role == Role.SUPERVISOR and user.department_id is not None


def bureaus_visible_to(user):
    """The bureaus ``user`` reads, their own first (the overview per bureau)."""
    ids = bureau_ids_seen_by(user)
    queryset = FinanceBureau.objects.all() if ids is None else FinanceBureau.objects.filter(pk__in=ids)
    return queryset.select_related("parent")


def acts_for_bureau(user, report: Report) -> bool:
    """The bureau that opened the report's period (or a superuser): it reviews, approves, publishes. A bureau
    above reads the report and nothing more."""
    return acts_for_period(user, report.period)


def acts_for_period(user, period: FilingPeriod) -> bool:
    """The bureau that opened the period (or a superuser); a bureau above only reads it."""
    if not is_bureau(user):
        return False
    return user.is_superuser or (user.bureau_id is not None and user.bureau_id == period.bureau_id)


def is_member(user, report: Report) -> bool:
    """The report's department's preparer or head."""
    return (
        user.is_authenticated
        and user.role in DEPARTMENT_ROLES
        and user.department_id is not None
        and user.department_id == report.department_id
    )


def is_supervisor_of(user, report: Report) -> bool:
    """The reviewer of the 主管部门 the report's department is under."""
    return is_supervisor(user) and report.department.parent_id == user.department_id


def is_department_head(user) -> bool:
    """A department's head (单位负责人), of whichever report: their home page lists what waits for them."""
    return user.is_authenticated and user.role == Role.HEAD and user.department_id is not None


def is_head(user, report: Report) -> bool:
    return is_member(user, report) and is_department_head(user)


def may_view_department(user, department) -> bool:
    return departments_visible_to(user).filter(pk=department.pk).exists()


def may_view(user, report: Report) -> bool:
    if not user.is_authenticated:
        return False
    if is_bureau(user):
        ids = bureau_ids_seen_by(user)
        return ids is None or report.period.bureau_id in ids
    if is_supervisor(user):
        return is_supervisor_of(user, report)
    return user.department_id is not None and user.department_id == report.department_id


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
    """Return, approve, mark a return reason resolved: the report's own bureau, once it is submitted there."""
    return acts_for_bureau(user, report) and report.status == Status.SUBMITTED


def may_supervise(user, report: Report) -> bool:
    """Return to the unit or forward to the bureau: the 主管部门's reviewer, while the report waits there."""
    return is_supervisor_of(user, report) and report.status == Status.SUPERVISOR_REVIEW


def may_resolve(user, report: Report) -> bool:
    """Mark a return reason resolved: whoever reviews the report at its present stage."""
    return may_review(user, report) or may_supervise(user, report)


def may_publish(user, report: Report) -> bool:
    """An approved report (a corrected one again after its new approval)."""
    return acts_for_bureau(user, report) and report.status == Status.APPROVED


def may_reopen(user, report: Report) -> bool:
    return acts_for_bureau(user, report) and report.status == Status.PUBLISHED


def reviews_at_stage(user, report: Report) -> bool:
    """Whether a look of ``user`` at the report is the reviewer's first look that ends the unit's chance to
    withdraw it: its bureau once submitted, its 主管部门 while it waits there."""
    if report.status == Status.SUBMITTED:
        return acts_for_bureau(user, report)
    return report.status == Status.SUPERVISOR_REVIEW and is_supervisor_of(user, report)


def permissions(user, report: Report) -> dict[str, bool]:
    """What the report page's buttons ask: ``{% if may.edit %}``."""
    return {
        "view": may_view(user, report),
        "edit": may_edit(user, report),
        "submit": may_submit(user, report),
        "confirm": may_confirm(user, report),
        "review": may_review(user, report),
        "supervise": may_supervise(user, report),
        "publish": may_publish(user, report),
        "reopen": may_reopen(user, report),
        "member": is_member(user, report),
        "bureau": is_bureau(user),
        "acts_for_bureau": acts_for_bureau(user, report),
    }


def context(request) -> dict:
    """Template context processor: what the user may do anywhere (the navigation, bureau-only buttons)."""
    user = getattr(request, "user", None)
    if user is None:  # refused before the authentication middleware ran (a 400 for a bad Host header)
        return {"user_may": {"review": False, "open_periods": False, "supervise": False}}
    return {
        "user_may": {
            "review": is_bureau(user),
            "open_periods": is_administrator(user),
            "supervise": is_supervisor(user),
        }
    }


# ---------------------------------------------------------------- querysets: every list of reports asks here


def reports_visible_to(user, queryset=None):
    """The reports ``user`` may read: their department's; a 主管部门's units'; their bureau's and the bureaus'
    below (by the bureau that opened the period); every report for a superuser."""
    queryset = Report.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if is_bureau(user):
        ids = bureau_ids_seen_by(user)
        return queryset if ids is None else queryset.filter(period__bureau_id__in=ids)
    if user.department_id is None:
        return queryset.none()
    if is_supervisor(user):
        return queryset.filter(department__parent_id=user.department_id)
    return queryset.filter(department_id=user.department_id)


def reports_reviewed_by(user, queryset=None):
    """The reports ``user`` acts on as a reviewer: their own bureau's (not those below); a 主管部门's units'."""
    queryset = Report.objects.all() if queryset is None else queryset
    if is_bureau(user):
        return queryset if user.is_superuser else queryset.filter(period__bureau_id=user.bureau_id)
    if is_supervisor(user):
        return queryset.filter(department__parent_id=user.department_id)
    return queryset.none()


def departments_visible_to(user, queryset=None):
    """The departments whose reports ``user`` may read (by the departments' bureau)."""
    queryset = Department.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if is_bureau(user):
        ids = bureau_ids_seen_by(user)
        return queryset if ids is None else queryset.filter(bureau_id__in=ids)
    if user.department_id is None:
        return queryset.none()
    if is_supervisor(user):
        return queryset.filter(parent_id=user.department_id)
    return queryset.filter(pk=user.department_id)


def departments_of_own_bureau(user, queryset=None):
    """The departments a bureau's administrator may put in a period: their own bureau's."""
    queryset = Department.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.is_superuser:
        return queryset
    if not is_bureau(user) or user.bureau_id is None:
        return queryset.none()
    return queryset.filter(bureau_id=user.bureau_id)


def periods_visible_to(user, queryset=None):
    """The filing periods of the bureaus ``user`` reads (the dashboard's and the overview's)."""
    queryset = FilingPeriod.objects.all() if queryset is None else queryset
    ids = bureau_ids_seen_by(user)
    if ids is None:
        return queryset
    return queryset.filter(bureau_id__in=ids)


def get_report_for_user(user, report_id, queryset=None) -> Report:
    """The report, or 404 — the same answer whether it does not exist or belongs to another department or
    another bureau."""
    # One row by its key needs no ORDER BY (the model's orders by period and department: compiling it cost
    # every page more than the rest of its query).
    report = next(iter(reports_visible_to(user, queryset).filter(pk=report_id).order_by()[:1]), None)
    if report is None:
        raise Http404(NOT_YOURS)
    return report


def notices_visible_to(user, queryset):
    """A user's own in-app notices (``queryset`` of perfeval.notices' Notice): nobody reads another's."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(recipient_id=user.pk)


def may_remind(user, period: FilingPeriod) -> bool:
    """催报 to the departments of a period: the bureau that opened it (a bureau above reads, never acts)."""
    return acts_for_period(user, period)
