import re
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from perfeval.filing import access, checked, hooks
from perfeval.filing.access import get_report_for_user, reports_visible_to
from perfeval.filing.jobs import job_for
from perfeval.filing.models import UNDER_REVIEW_STATUSES, Job, JobStatus, Report
from perfeval.filing.parts import reports_with_parts
from perfeval.filing.presentation import live_document, project_budget_chart
from perfeval.filing.templatetags.fragments import PLACE, cached_html, splice


@login_required
def home(request):
    reports = reports_visible_to(request.user).select_related("department", "period__bureau")
    return render(request, "filing/home.html", {"reports": reports})


def _document_html(report: Report) -> str:
    """The report in the official layout and its chart, rendered from the whole report (the same for every
    viewer: nothing in it depends on who looks)."""
    full = reports_with_parts().get(pk=report.pk)
    html = render_to_string("filing/_report_document.html", {"report": full, "doc": live_document(full)})
    # A project-only filing has no project rows with budgets: its figures are in its tables.
    chart = None if full.is_project_only else project_budget_chart(full)
    if chart is not None and not chart.empty:
        html += render_to_string("filing/_report_chart.html", {"chart": chart}) + CHART_END
    # The templates' indentation between tags as one line break: a quarter of a large report's page was blanks
    # (the document has no <pre> or <textarea>, where they would count).
    return _BETWEEN_TAGS.sub(">\n<", html)


_BETWEEN_TAGS = re.compile(r">\s+<")


# Closes a document with a chart (the chart comes last): the page then loads the chart's scripts. Looking for the
# chart's attribute in the whole text instead cost a large report's page a quarter of a millisecond.
CHART_END = "<!-- 图表 -->"


@login_required
def report_detail(request, report_id):
    """Rendered once per report version and rule pack and kept in the shared cache; a submitted report (to the
    bureau or to its 主管部门) is rendered every time, as the reviewer marks its return reasons resolved without
    a new version."""
    queryset = Report.objects.select_related("department", "period__rule_pack", "period__bureau").annotate(
        **{name: build(request.user) for name, build in hooks.report_page_annotations.items()}
    )
    report = get_report_for_user(request.user, report_id, queryset)
    if report.status in UNDER_REVIEW_STATUSES:
        document = _document_html(report).encode()
    else:
        key = f"{checked.version_key(report)}:document"
        document = cached_html(key, lambda: _document_html(report), encoded=True)
    context = {
        "report": report,
        "document": PLACE,
        "has_chart": document.endswith(CHART_END.encode()),
        # Every change of a report's files claims a version (perfeval.evidence.services): one list per version.
        "evidence_key": f"{checked.version_key(report)}:evidence-list",
        "may": access.permissions(request.user, report),
    }
    # The document (our own HTML, rendered once per version) goes into the page's bytes as it is.
    return splice(render(request, "filing/report_detail.html", context), document)


# ---------------------------------------------------------------- long work: a job's status page


@login_required
def job_page(request, job_id):
    """The status of a job, followed by the browser (htmx polls ``job_status``); a finished job that leads to a
    page goes there at once."""
    job = job_for(request.user, job_id)
    if job.status == JobStatus.DONE and job.next_url:
        if job.message:
            messages.success(request, job.message)
        return redirect(job.next_url)
    return render(request, "filing/job.html", {"job": job})


@login_required
def job_status(request, job_id):
    """The status block of the job page, polled by htmx until the job is done or failed; a finished job that
    leads to a page sends the browser there, through the job page, which says what was done (HX-Redirect)."""
    job = job_for(request.user, job_id)
    response = render(request, "filing/_job_status.html", {"job": job})
    if job.status == JobStatus.DONE and job.next_url:
        response["HX-Redirect"] = reverse("job_page", args=[job.pk])
    return response


@login_required
def job_result(request, job_id):
    job = job_for(request.user, job_id)
    content = Job.objects.filter(pk=job.pk, status=JobStatus.DONE).values_list("result", flat=True).first()
    if content is None:
        raise Http404("该任务还没有可下载的结果。")
    response = HttpResponse(bytes(content), content_type=job.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.filename)}"
    return response
