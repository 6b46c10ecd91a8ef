from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string

from perfeval.filing import access, checked
from perfeval.filing.access import get_report_for_user, reports_visible_to
from perfeval.filing.models import Report, Status
from perfeval.filing.parts import reports_with_parts
from perfeval.filing.presentation import live_document, project_budget_chart
from perfeval.filing.templatetags.fragments import cached_html


@login_required
def home(request):
    reports = reports_visible_to(request.user).select_related("department", "period")
    return render(request, "filing/home.html", {"reports": reports})


def _document_html(report: Report) -> str:
    """The report in the official layout and its chart, rendered from the whole report (the same for every
    viewer: nothing in it depends on who looks)."""
    full = reports_with_parts().get(pk=report.pk)
    chart = project_budget_chart(full)
    html = render_to_string("filing/_report_document.html", {"report": full, "doc": live_document(full)})
    if not chart.empty:
        html += render_to_string("filing/_report_chart.html", {"chart": chart})
    return html


@login_required
def report_detail(request, report_id):
    """Rendered once per report version and rule pack and kept in the shared cache; a submitted report is
    rendered every time, as the reviewer marks its return reasons resolved without a new version."""
    queryset = Report.objects.select_related("department", "period__rule_pack")
    report = get_report_for_user(request.user, report_id, queryset)
    if report.status == Status.SUBMITTED:
        document = _document_html(report)
    else:
        document = cached_html(f"{checked.version_key(report)}:document", lambda: _document_html(report))
    context = {
        "report": report,
        "document": document,
        "has_chart": 'data-chart="' in document,
        "may": access.permissions(request.user, report),
    }
    return render(request, "filing/report_detail.html", context)
