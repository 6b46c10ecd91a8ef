import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from perfeval.filing import access
from perfeval.notices.models import Notice
from perfeval.notices.reminders import remind_departments, waiting_departments
from perfeval.workflow.dashboard import DashboardFilters, dashboard_period, dashboard_url

NOTICES_PAGE_SIZE = 50
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")  # a department's code (Department.code is a SlugField)
NOT_FOUND = "没有找到该通知"


def _notice_for_user(user, notice_id) -> Notice:
    """The user's own notice, or 404 — the same answer whether it does not exist or is someone else's."""
    notice = access.notices_visible_to(user, Notice.objects.all()).filter(pk=notice_id).first()
    if notice is None:
        raise Http404(NOT_FOUND)
    return notice


@login_required
def notice_list(request):
    notices = access.notices_visible_to(request.user, Notice.objects.all())
    page = Paginator(notices, NOTICES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {"page": page, "notices": page.object_list})


@login_required
def notice_detail(request, notice_id):
    notice = _notice_for_user(request.user, notice_id)
    return render(request, "notices/detail.html", {"notice": notice})


@login_required
def read(request, notice_id):
    """Mark the notice read and go where it points (a path of this site)."""
    notice = _notice_for_user(request.user, notice_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return redirect(notice.link)
    return redirect("notices:list")


@login_required
@require_POST
def read_all(request):
    access.notices_visible_to(request.user, Notice.objects.filter(read_at__isnull=True)).update(
        read_at=timezone.now()
    )
    messages.success(request, "全部通知已标为已读。")
    return redirect("notices:list")


@login_required
def remind(request, year):
    """催报 from the dashboard: the ticked departments (or every one that has not submitted) of the period the
    dashboard showed (its filters, the bureau among them, come back in ``query``)."""
    if not access.is_bureau(request.user):
        raise PermissionDenied("只有财政局审核人可以催报。")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    filters = DashboardFilters.from_query(QueryDict(request.POST.get("query", "")))
    kind = request.POST.get("kind") or None
    period = dashboard_period(request.user, year, filters.bureau, kind=kind)
    if not access.may_remind(request.user, period):
        raise PermissionDenied("上级财政部门只能查看下级财政部门的填报情况，不能催报。")
    back = dashboard_url(period) + (f"?{filters.as_query()}" if filters.as_query() else "")
    departments = period.departments.all()
    if request.POST.get("all_waiting"):
        ids = None
    else:
        codes = request.POST.getlist("department")
        if any(not SLUG.fullmatch(code) for code in codes):  # not a code at all (PostgreSQL refuses a NUL)
            messages.error(request, "所选单位中有不属于本填报期的单位，未发送催报。")
            return redirect(back)
        if not codes:
            messages.error(request, "请先勾选要催报的单位。")
            return redirect(back)
        ids = set(departments.filter(code__in=codes).values_list("pk", flat=True))
        if len(ids) != len(set(codes)):
            messages.error(request, "所选单位中有不属于本填报期的单位，未发送催报。")
            return redirect(back)
    waiting = {pk for pk, *_ in waiting_departments(period, ids)}
    if ids is not None and waiting != ids:
        messages.warning(request, f"{len(ids - waiting)} 个所选单位已提交，无需催报。")
    if not waiting:
        messages.info(request, "没有需要催报的单位。")
        return redirect(back)
    outcome = remind_departments(
        period=period, department_ids=waiting, user=request.user, today=timezone.localdate()
    )
    if outcome.sent:
        messages.success(
            request,
            f"已向 {len(outcome.sent)} 个单位发送催报（站内通知 {outcome.notices} 条，邮件 {outcome.emails} 封）。",
        )
    if outcome.skipped:
        names = "、".join(d.department_name for d in outcome.skipped[:10])
        more = f" 等 {len(outcome.skipped)} 个单位" if len(outcome.skipped) > 10 else ""
        messages.info(request, f"{names}{more}今天已催报过，未重复发送。")
    return redirect(back)
