from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from perfeval.filing import access
from perfeval.filing.access import get_report_for_user, reports_visible_to
from perfeval.filing.parts import reports_with_parts
from perfeval.filing.presentation import live_document, project_budget_chart


@login_required
def home(request):
    reports = reports_visible_to(request.user).select_related("department", "period__bureau")
    return render(request, "filing/home.html", {"reports": reports})


@login_required
def report_detail(request, report_id):
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    context = {
        "report": report,
        "doc": live_document(report),
        "may": access.permissions(request.user, report),
        "chart": project_budget_chart(report),
    }
    return render(request, "filing/report_detail.html", context)
