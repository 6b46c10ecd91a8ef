"""PDF downloads, the reviewer's publish gate, and the public pages (no login)."""

import csv
import io
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from perfeval.filing import access
from perfeval.filing.access import get_report_for_user
from perfeval.filing.parts import reports_with_parts
from perfeval.publishing import services
from perfeval.publishing.figures import figure_rows
from perfeval.publishing.models import DraftPdf, PdfStatus, PublishedVersion
from perfeval.rules.results import open_data_results


def _pdf_response(data: bytes, filename: str, *, etag: str | None = None) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(filename)}"
    if etag:
        response["ETag"] = f'"{etag}"'
    return response


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)


def _require_reviewer(user, report) -> None:
    """The report's own bureau: a department gets 403 (it may see the report, not this page), and so does a
    bureau above, which reads the report and acts on nothing."""
    if not access.is_bureau(user):
        raise PermissionDenied("只有财政局审核人可以执行此操作。")
    if not access.acts_for_bureau(user, report):
        raise PermissionDenied("上级财政部门只能查看下级财政部门的报告。")


# ---------------------------------------------------------------- signed-in: draft and final PDF


@login_required
def report_pdf_draft(request, report_id):
    """A preview at any status, marked 草稿 on every page, from the live report. It renders in a task while
    this page shows its status; static/publishing/draft-pdf.js polls it and opens the PDF when it is ready."""
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    draft = services.request_draft_pdf(report=report)
    return render(request, "publishing/pdf_draft.html", {"report": report, "draft": draft})


def _draft(request, report_id, draft_id, **filters) -> tuple:
    report = get_report_for_user(request.user, report_id)  # 404 for another department comes first
    draft = DraftPdf.objects.filter(pk=draft_id, report=report, **filters).defer("pdf").first()
    if draft is None:
        raise Http404("没有找到该草稿 PDF，请重新打开草稿预览。")
    return report, draft


@login_required
def report_pdf_draft_status(request, report_id, draft_id):
    report, draft = _draft(request, report_id, draft_id)
    ready = draft.status == PdfStatus.DONE
    return JsonResponse(
        {
            "status": draft.status,
            "label": draft.get_status_display(),
            "error": draft.error,
            "pages": draft.pages,
            "pdf_url": reverse("publishing:report_pdf_draft_file", args=[report.pk, draft.pk])
            if ready
            else None,
        }
    )


@login_required
def report_pdf_draft_file(request, report_id, draft_id):
    report, draft = _draft(request, report_id, draft_id, status=PdfStatus.DONE)
    pdf = DraftPdf.objects.values_list("pdf", flat=True).get(pk=draft.pk)
    return _pdf_response(pdf, f"{report}（草稿）.pdf")


@login_required
def report_pdf(request, report_id):
    """The final PDF, as stored when the report was approved: the same bytes on every download."""
    report = get_report_for_user(request.user, report_id)
    snapshot = services.latest_snapshot(report) if report.status in services.FINAL_STATUSES else None
    if snapshot is None:
        raise Http404("报告尚未审核通过，没有正式 PDF。")
    if snapshot.pdf_ready:
        return _pdf_response(snapshot.pdf, f"{report}.pdf", etag=snapshot.pdf_sha256)
    return render(request, "publishing/pdf_status.html", {"report": report, "snapshot": snapshot}, status=409)


@login_required
@require_POST
def retry_report_pdf(request, report_id):
    report = get_report_for_user(request.user, report_id)  # 404 for another department comes first
    _require_reviewer(request.user, report)
    snapshot = services.latest_snapshot(report)
    if snapshot is None:
        raise Http404("没有审核通过快照。")
    try:
        services.retry_pdf(row=snapshot, user=request.user)
    except services.PublishingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已重新安排生成正式 PDF。")
    return redirect("publishing:report_pdf_status", report_id=report.pk)


@login_required
def report_pdf_status(request, report_id):
    report = get_report_for_user(request.user, report_id)
    snapshot = services.latest_snapshot(report)
    versions = report.published_versions.all()
    return render(
        request, "publishing/pdf_status.html", {"report": report, "snapshot": snapshot, "versions": versions}
    )


# ---------------------------------------------------------------- the reviewer's gate and publish


class PublishForm(forms.Form):
    public_date = forms.DateField(label="公开日期", widget=forms.DateInput(attrs={"type": "date"}))
    published_where = forms.CharField(
        label="公开渠道",
        max_length=300,
        required=False,
        help_text="如：株洲市财政局门户网站「预决算公开」栏目",
    )
    change_note = forms.CharField(
        label="更正说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="更正后再次公开时必填",
    )
    confirm = forms.BooleanField(label="我已核对以上提示，确认公开（个人号码将在公开版本中遮盖）")

    def __init__(self, *args, needs_note: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_note = needs_note

    def clean_change_note(self):
        note = self.cleaned_data["change_note"].strip()
        if self.needs_note and not note:
            raise forms.ValidationError("这是更正后的新版本，请填写更正说明。")
        return note


@login_required
def publish_gate(request, report_id):
    report = get_report_for_user(request.user, report_id)  # 404 for another department comes first
    _require_reviewer(request.user, report)
    snapshot = services.latest_snapshot(report)
    if report.status not in services.FINAL_STATUSES or snapshot is None:
        raise Http404("报告尚未审核通过。")
    previous = report.published_versions.order_by("-number").first()
    already = previous is not None and previous.snapshot_id == snapshot.pk
    form = PublishForm(
        request.POST or None, needs_note=previous is not None, initial={"public_date": timezone.localdate()}
    )
    if request.method == "POST" and not already and form.is_valid():
        try:
            version = services.publish(
                report=report,
                user=request.user,
                change_note=form.cleaned_data["change_note"],
                published_where=form.cleaned_data["published_where"],
                public_date=form.cleaned_data["public_date"],
            )
        except services.PublishingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已公开第 {version.number} 版。")
            return redirect(
                "publishing:public_report", department_code=version.department_code, year=version.year
            )
    return render(
        request,
        "publishing/gate.html",
        {
            "report": report,
            "snapshot": snapshot,
            "gate": services.gate(snapshot),
            "form": form,
            "previous": previous,
            "already": already,
        },
    )


# ---------------------------------------------------------------- public pages, no login


def public_index(request):
    versions = PublishedVersion.objects.order_by("-year", "department_code", "-number").only(
        "department_code", "department_name", "year", "number", "public_date"
    )
    latest = {}
    for version in versions:
        latest.setdefault((version.year, version.department_code), version)
    years = {}
    for version in latest.values():
        years.setdefault(version.year, []).append(version)
    return render(request, "publishing/public_index.html", {"years": sorted(years.items(), reverse=True)})


def _versions(department_code: str, year: int) -> list[PublishedVersion]:
    versions = list(
        PublishedVersion.objects.filter(department_code=department_code, year=year)
        .defer("pdf")
        .order_by("-number")
    )
    if not versions:
        raise Http404("没有找到该公开报告。")
    return versions


def _version(department_code: str, year: int, number: int, *, with_pdf: bool = False) -> PublishedVersion:
    queryset = PublishedVersion.objects.select_related("snapshot")
    if not with_pdf:
        queryset = queryset.defer("pdf", "snapshot__pdf")
    version = queryset.filter(department_code=department_code, year=year, number=number).first()
    if version is None:
        raise Http404("没有找到该版本。")
    return version


def _public_page(request, versions, version):
    doc = services.frozen_document(version.snapshot.data, version.public_data)
    return render(
        request, "publishing/public_report.html", {"version": version, "versions": versions, "doc": doc}
    )


def public_report(request, department_code, year):
    versions = _versions(department_code, year)
    version = _version(department_code, year, versions[0].number)
    return _public_page(request, versions, version)


def public_version(request, department_code, year, number):
    versions = _versions(department_code, year)
    return _public_page(request, versions, _version(department_code, year, number))


def public_pdf(request, department_code, year, number):
    version = _version(department_code, year, number, with_pdf=True)
    if not version.pdf_ready:
        return render(request, "publishing/public_pdf_pending.html", {"version": version}, status=503)
    name = f"{version.year}年度{version.department_name}整体支出绩效自评报告（第{version.number}版）.pdf"
    return _pdf_response(version.pdf, name, etag=version.pdf_sha256)


def public_json(request, department_code, year, number):
    version = _version(department_code, year, number)
    data = {**version.public_data, "computed": open_data_results(version.public_data["computed"])}
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f"inline; filename={department_code}-{year}-v{number}.json"
    return response


def public_csv(request, department_code, year, number):
    version = _version(department_code, year, number)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["table", "row", "column", "value"])
    writer.writerows(figure_rows(version.public_data))
    # The BOM makes Excel read the file as UTF-8.
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f"attachment; filename={department_code}-{year}-v{number}.csv"
    return response
