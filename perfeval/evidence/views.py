"""Evidence pages: the list and upload form of a place, the file itself, removal and publication. Every view
asks ``perfeval.filing.access`` first: another department's (or bureau's) report and its files are 404."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from perfeval.evidence import services
from perfeval.evidence.models import Evidence
from perfeval.evidence.uploads import read_upload
from perfeval.filing import access
from perfeval.filing.access import get_report_for_user

# A file is never a page of ours: nothing in it runs, it is framed by nobody.
FILE_POLICY = "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'none'; base-uri 'none'"
ATTACHMENT_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"


def _place_from(data, report):
    return services.find_place(
        report,
        section=data.get("section") or "",
        indicator_id=data.get("indicator"),
        reason_id=data.get("reason"),
    )


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        return target
    return None


def _page(request, report, place, *, error: str = "", status: int = 200):
    files = list(Evidence.objects.filter(report=report).select_related("indicator", "reason").order_by("id"))
    context = {
        "report": report,
        "place": place,
        "files": files,
        "here_files": [f for f in files if _at(f, place)],
        "may": access.permissions(request.user, report),
        "error": error,
        "next": _safe_next(request) or "",
        "limits": services.limits(),
    }
    return render(request, "evidence/place.html", context, status=status)


def _at(evidence: Evidence, place: services.Place) -> bool:
    return (
        evidence.section == place.section
        and evidence.indicator_id == (place.indicator.pk if place.indicator else None)
        and evidence.reason_id == (place.reason.pk if place.reason else None)
    )


@login_required
def place(request, report_id):
    report = get_report_for_user(request.user, report_id)
    try:
        where = _place_from(request.GET, report)
    except services.EvidenceError:
        raise Http404("没有找到该位置") from None
    return _page(request, report, where)


@csrf_exempt  # the token is checked by _upload, after read_upload has parsed the body with its limits
@login_required
@require_POST
def upload(request, report_id):
    report = get_report_for_user(request.user, report_id)  # 404 before a byte of the body is read
    refusal = read_upload(request)
    if refusal:
        return _page(request, report, services.Place(), error=refusal, status=400)
    return _upload(request, report)


@csrf_protect
def _upload(request, report):
    try:
        where = _place_from(request.POST, report)
        created = services.add_evidence(
            report=report, user=request.user, place=where, files=request.FILES.getlist("files")
        )
    except services.EvidenceError as exc:
        try:
            where = _place_from(request.POST, report)
        except services.EvidenceError:
            where = services.Place()
        return _page(request, report, where, error=str(exc), status=400)
    messages.success(request, f"已上传 {len(created)} 个佐证材料：{'、'.join(e.name for e in created)}")
    return redirect(_safe_next(request) or _place_url(report, where))


def _place_url(report, where: services.Place) -> str:
    url = reverse("evidence:place", args=[report.pk])
    return f"{url}?{urlencode(where.query)}" if where.query else url


def _evidence_for_user(request, report_id, evidence_id) -> Evidence:
    report = get_report_for_user(request.user, report_id)
    evidence = get_object_or_404(Evidence.objects.select_related("report"), pk=evidence_id, report=report)
    evidence.report = report
    return evidence


@login_required
def download(request, report_id, evidence_id):
    return file_response(_evidence_for_user(request, report_id, evidence_id))


def file_response(evidence: Evidence) -> FileResponse:
    """The stored bytes, never sniffed into something else: PDF and images inline, the rest as a download."""
    try:
        handle = services.storage().open(evidence.stored_name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("文件不存在") from None
    response = FileResponse(handle, content_type=evidence.content_type)
    disposition = "inline" if evidence.inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(evidence.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY if evidence.inline else ATTACHMENT_POLICY
    response["Cache-Control"] = "private, no-store"
    response["ETag"] = f'"{evidence.sha256}"'
    return response


@login_required
@require_POST
def remove(request, report_id, evidence_id):
    evidence = _evidence_for_user(request, report_id, evidence_id)
    try:
        services.remove_evidence(evidence=evidence, user=request.user)
    except services.EvidenceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已删除佐证材料「{evidence.name}」")
    return redirect(_safe_next(request) or reverse("evidence:place", args=[report_id]))


@login_required
@require_POST
def make_public(request, report_id, evidence_id):
    evidence = _evidence_for_user(request, report_id, evidence_id)
    public = request.POST.get("public") == "1"
    try:
        services.set_public(evidence=evidence, user=request.user, public=public)
    except services.EvidenceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"「{evidence.name}」{'将随报告公开' if public else '不公开'}")
    return redirect(_safe_next(request) or reverse("evidence:place", args=[report_id]))
