"""Write paths of publication: freeze an approved report, render its PDFs, publish a public version.

Every function here is keyword-only, runs in one transaction and is the only place its rows are written.
The PDFs are rendered by background tasks (perfeval/publishing/tasks.py) scheduled on commit, so a worker
never sees a snapshot that does not exist yet.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from perfeval.filing.diff import diff_payloads
from perfeval.filing.models import Report, Status
from perfeval.filing.opendata import export_report, without_refs
from perfeval.filing.parts import reports_with_parts
from perfeval.filing.presentation import live_document, report_document
from perfeval.publishing.documents import canonical_json, document_html, document_parts, sha256
from perfeval.publishing.masking import mask_value
from perfeval.publishing.models import DraftPdf, PdfStatus, PublishedVersion, ReportSnapshot
from perfeval.rules.packs import rule_pack_from_dict
from perfeval.rules.payload import report_data
from perfeval.rules.results import is_complete, results
from perfeval.workflow.services import WorkflowError, publish_report

# /2 freezes every computed figure and the rows' refs; /1, the first release, froze the open-data figures only.
SNAPSHOT_SCHEMA = "perfeval.snapshot/2"
FINAL_STATUSES = (Status.APPROVED, Status.PUBLISHED)


class PublishingError(Exception):
    """An action the report's state does not allow; the message is shown to the user."""


# ---------------------------------------------------------------- the frozen data


def build_snapshot_data(report: Report) -> dict:
    """Every figure and text of ``report`` (loaded with parts) as the payload with its rows' refs, the rule
    pack it was scored with, and every figure computed from them: enough to print the document again exactly
    as approved, without the live report and without computing anything."""
    pack = report.period.rule_pack
    payload = export_report(report, refs=True)
    return {
        "schema": SNAPSHOT_SCHEMA,
        "report_id": report.pk,
        "report_version": report.version,
        "report": payload,
        "rule_pack": {
            "code": pack.code,
            "version": pack.version,
            "name": pack.name,
            "definition": pack.definition,
        },
        "explanations": [
            {"code": e.code, "place": e.place, "text": e.text}
            for e in sorted(report.explanations.all(), key=lambda e: (e.code, e.place))
        ],
        "computed": results(report_data(payload), pack.rules()),
    }


def public_data(snapshot_data: dict) -> dict:
    """The open data of a snapshot with personal numbers masked: the payload (no refs) and its figures."""
    return mask_value({**without_refs(snapshot_data["report"]), "computed": snapshot_data["computed"]})


def frozen_document(snapshot_data: dict, published: dict | None = None) -> dict:
    """The document of a snapshot as approved, or of its public version (``published``: its public_data),
    printing the frozen figures."""
    source = (
        published
        if published is not None
        else {**snapshot_data["report"], "computed": snapshot_data["computed"]}
    )
    payload = {key: value for key, value in source.items() if key != "computed"}
    pack = rule_pack_from_dict(snapshot_data["rule_pack"]["definition"])
    computed = source["computed"]
    if not is_complete(computed):
        # Frozen by perfeval.snapshot/1, which kept the open-data figures only: the page's other figures come
        # from the frozen payload and the frozen rule pack.
        computed = results(report_data(payload), pack)
    return report_document(payload, computed, pack)


# ---------------------------------------------------------------- approval freezes the report


@transaction.atomic
def freeze_report(*, report: Report, user) -> ReportSnapshot:
    """Freeze an approved report: store its snapshot and schedule the final PDF, rendered from the snapshot."""
    report = reports_with_parts().select_for_update(of=("self",)).get(pk=report.pk)
    if report.status not in FINAL_STATUSES:
        raise PublishingError(f"报告状态为「{report.get_status_display()}」，审核通过后才能冻结。")
    data = build_snapshot_data(report)
    number = (report.snapshots.aggregate(n=Max("number"))["n"] or 0) + 1
    snapshot = ReportSnapshot.objects.create(
        report=report,
        number=number,
        report_version=report.version,
        data=data,
        data_sha256=sha256(canonical_json(data)),
        created_by=user,
    )
    _schedule("snapshot", snapshot.pk)
    return snapshot


def latest_snapshot(report: Report) -> ReportSnapshot | None:
    return report.snapshots.order_by("-number").first()


# ---------------------------------------------------------------- rendering (called by the tasks)


def _schedule(kind: str, pk: int) -> None:
    from perfeval.publishing.tasks import render_stored_pdf

    transaction.on_commit(lambda: render_stored_pdf.enqueue(kind, pk))


MODELS = {"snapshot": ReportSnapshot, "version": PublishedVersion}


def snapshot_html(snapshot_data: dict, published: dict | None = None) -> str:
    """The whole final document in one pass (the reference the parted render is compared with)."""
    return document_html(frozen_document(snapshot_data, published), draft=False)


def snapshot_parts(snapshot_data: dict, published: dict | None = None) -> list:
    return document_parts(frozen_document(snapshot_data, published), draft=False)


def _parts_of(kind: str, row) -> list:
    """The parts of a snapshot's final PDF, or of a public version's (its masked data, the snapshot's figures)."""
    if kind == "snapshot":
        return snapshot_parts(row.data)
    return snapshot_parts(row.snapshot.data, row.public_data)


def _spread_over_workers() -> bool:
    """True when tasks run on a queue that several workers take from (the database backend in production);
    the immediate backend of development and tests would only run the parts one after another."""
    from django_tasks.backends.immediate import ImmediateBackend

    from perfeval.publishing.tasks import render_stored_pdf_part

    return not isinstance(render_stored_pdf_part.get_backend(), ImmediateBackend)


def _fail(model, pk: int, message: str) -> None:
    model.objects.filter(pk=pk).exclude(pdf_status=PdfStatus.DONE).update(
        pdf_status=PdfStatus.FAILED, pdf_error=message
    )


def render_stored(*, kind: str, pk: int) -> str:
    """Render and store the PDF of a snapshot ("snapshot") or of a public version ("version").

    On a task queue with several workers, the missing parts go out as tasks of their own
    (render_stored_part), and the last one to finish schedules this task again to merge them. Otherwise the
    parts render here, in parallel processes. Idempotent: a stored PDF is never replaced, so a repeated or
    late task cannot change the bytes people have downloaded. A failure is recorded for the reviewer, who
    can retry.
    """
    from perfeval.filing.bounds import pdf_limits
    from perfeval.publishing.pdf import PdfError, missing_parts, render_document

    model = MODELS[kind]
    row = model.objects.get(pk=pk)
    if row.pdf_status == PdfStatus.DONE:
        return "already done"
    parts = _parts_of(kind, row)
    if _spread_over_workers():
        missing = missing_parts(parts)
        if len(missing) > 1:
            from perfeval.publishing.tasks import render_stored_pdf_part

            for part in missing:
                render_stored_pdf_part.enqueue(kind, pk, part.key)
            return f"{len(missing)} parts scheduled"
    model.objects.filter(pk=pk).exclude(pdf_status=PdfStatus.DONE).update(pdf_attempts=row.pdf_attempts + 1)
    timeout, max_pages = pdf_limits(len(parts))
    try:
        pdf = render_document(parts, timeout=timeout, max_pages=max_pages)
    except PdfError as exc:
        _fail(model, pk, str(exc))
        return "failed"
    model.objects.filter(pk=pk).exclude(pdf_status=PdfStatus.DONE).update(
        pdf=pdf,
        pdf_sha256=sha256(pdf),
        pdf_pages=_page_count(pdf),
        pdf_status=PdfStatus.DONE,
        pdf_error="",
        pdf_rendered_at=timezone.now(),
    )
    return "done"


def render_stored_part(*, kind: str, pk: int, key: str) -> str:
    """Render one part of a stored PDF (a task of its own, on any worker); the worker that stores the last
    missing part schedules the merge. Every part is stored before the check, so at least one worker sees
    none missing; two that both do schedule two merges, and the second finds the PDF done."""
    from perfeval.filing.bounds import pdf_limits
    from perfeval.publishing.pdf import PdfError, missing_parts, render_parts

    model = MODELS[kind]
    row = model.objects.get(pk=pk)
    if row.pdf_status == PdfStatus.DONE:
        return "already done"
    parts = _parts_of(kind, row)
    part = next((p for p in parts if p.key == key), None)
    if part is None:
        return "not a part of this document"
    timeout, max_pages = pdf_limits(len(parts))
    try:
        render_parts([part], timeout=timeout, max_pages=max_pages, workers=1)
    except PdfError as exc:
        _fail(model, pk, f"{part.name}：{exc}")
        return "failed"
    if not missing_parts(parts):
        from perfeval.publishing.tasks import render_stored_pdf

        render_stored_pdf.enqueue(kind, pk)
    return "done"


# ---------------------------------------------------------------- the draft preview


def _draft_digest(parts: list) -> str:
    """One preview per content: the parts' keys already cover the HTML, the stylesheets and the renderer."""
    return sha256("\n".join(part.key for part in parts).encode())


def request_draft_pdf(*, report: Report) -> DraftPdf:
    """The draft preview of the report as it is now (loaded with parts): the stored one when nothing changed
    since, otherwise a new one scheduled on commit. Previews older than an hour are deleted."""
    parts = document_parts(live_document(report), draft=True)
    draft, created = DraftPdf.objects.get_or_create(report=report, content_sha256=_draft_digest(parts))
    if created:
        from perfeval.publishing.tasks import render_draft_pdf

        DraftPdf.objects.filter(report=report, requested_at__lt=timezone.now() - timedelta(hours=1)).exclude(
            pk=draft.pk
        ).delete()
        transaction.on_commit(lambda: render_draft_pdf.enqueue(draft.pk))
    return draft


def render_draft(*, draft_id: int) -> str:
    """Render a requested draft preview from the live report, unless the report changed since the request
    (the preparer is told to open the preview again)."""
    from perfeval.filing.bounds import pdf_limits
    from perfeval.publishing.pdf import PdfError, render_document

    draft = DraftPdf.objects.filter(pk=draft_id, status=PdfStatus.PENDING).first()
    if draft is None:
        return "nothing to do"
    report = reports_with_parts().get(pk=draft.report_id)
    parts = document_parts(live_document(report), draft=True)
    if _draft_digest(parts) != draft.content_sha256:
        DraftPdf.objects.filter(pk=draft.pk).update(
            status=PdfStatus.FAILED, error="报告在生成期间已被修改，请重新打开草稿预览。"
        )
        return "stale"
    timeout, max_pages = pdf_limits(len(parts))
    try:
        pdf = render_document(parts, timeout=timeout, max_pages=max_pages)
    except PdfError as exc:
        DraftPdf.objects.filter(pk=draft.pk).update(status=PdfStatus.FAILED, error=str(exc))
        return "failed"
    DraftPdf.objects.filter(pk=draft.pk).update(
        status=PdfStatus.DONE, pdf=pdf, pages=_page_count(pdf), rendered_at=timezone.now()
    )
    return "done"


def _page_count(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


@transaction.atomic
def retry_pdf(*, row: ReportSnapshot | PublishedVersion, user) -> None:
    """Schedule a failed render again (the reviewer's 重新生成 button)."""
    kind = "snapshot" if isinstance(row, ReportSnapshot) else "version"
    updated = (
        type(row).objects.filter(pk=row.pk, pdf_status=PdfStatus.FAILED).update(pdf_status=PdfStatus.PENDING)
    )
    if not updated:
        raise PublishingError("该 PDF 没有生成失败，无需重新生成。")
    _schedule(kind, row.pk)


# ---------------------------------------------------------------- the gate before publishing

GATE_CODES = {
    "PERSONAL_NUMBER",
    "TEXT_S9_EMPTY",
    "INCOMPLETE",  # empty required sections and figures (未填)
    "TEXT_PROBLEMS_EMPTY",
    "ATT1_BUILDING_RATE_MISMATCH",
    "ATT1_CONTROL_RATE_MISMATCH",
    "EXEC_RATE_UNDEFINED",
}


def gate(snapshot: ReportSnapshot) -> dict:
    """What the reviewer must see before publishing: the frozen findings that matter for the public
    (personal numbers, empty or 「无」 required sections, ratios with a zero denominator), and every string
    the public version changes by masking."""
    findings = [f for f in snapshot.data["computed"]["findings"] if f["code"] in GATE_CODES]
    masked = []
    internal, public = without_refs(snapshot.data["report"]), public_data(snapshot.data)
    _diff(internal, public, "", masked)
    # The reviewer reads where a number was masked by its label in the tables (「表尾 · 联系电话」), not its path.
    labels = {change.place: change.label for change in diff_payloads(internal, public)}
    for change in masked:
        change["label"] = labels.get(change["path"], "报告正文")
    zero_ratios = _zero_ratios(snapshot.data)
    return {"findings": findings, "masked": masked, "zero_ratios": zero_ratios}


def _diff(before, after, path: str, out: list) -> None:
    if isinstance(before, dict):
        for key in before:
            _diff(before[key], after[key], f"{path}.{key}" if path else key, out)
    elif isinstance(before, list):
        for index, item in enumerate(before):
            _diff(item, after[index], f"{path}[{index}]", out)
    elif before != after:
        out.append({"path": path, "before": before, "after": after})


def _zero_ratios(data: dict) -> list[str]:
    """Ratios whose denominator is 0, which the public version prints as 「—」 (never as 0)."""
    computed, payload = data["computed"], data["report"]
    notes = []
    att1 = payload.get("attachment1") or {}
    if computed["attachment1"]["control_rate"] is None:
        notes.append(f"附件1 控制率：编制数为 {att1.get('staff_quota')}，控制率显示为「—」")
    for index, rates in enumerate(computed["attachment1"]["buildings"]):
        building = att1["buildings"][index]
        name = building.get("name") or f"第 {index + 1} 行"
        for key, label in (("area_rate", "规模控制率"), ("investment_rate", "投资概算控制率")):
            if rates[key] is None:
                notes.append(f"附件1 楼堂馆所「{name}」{label}：分母为 0，显示为「—」")
    cards = [computed["attachment2"], *computed["attachment3"]] if computed["attachment2"] else []
    for card in cards:
        if card["execution_rate"] is None:
            notes.append(f"「{card['title']}」执行率：预算数为 0 或未填，显示为「—」")
    return notes


# ---------------------------------------------------------------- publishing


@transaction.atomic
def create_published_version(
    *, report: Report, user, change_note: str = "", published_where: str = "", public_date: date | None = None
) -> PublishedVersion:
    """A new public version from the report's latest snapshot: masked data now, masked PDF in a task.

    Called when the workflow publishes the report (workflow.services._after_publish)."""
    report = Report.objects.select_for_update().select_related("department", "period").get(pk=report.pk)
    if report.status not in FINAL_STATUSES:
        raise PublishingError(f"报告状态为「{report.get_status_display()}」，审核通过后才能公开。")
    snapshot = latest_snapshot(report)
    if snapshot is None:
        raise PublishingError("该报告还没有审核通过快照，不能公开。")
    previous = report.published_versions.order_by("-number").first()
    if previous is not None and previous.snapshot_id == snapshot.pk:
        raise PublishingError(f"第 {previous.number} 版已经公开了这份审核结果；更正须重新审核通过后再公开。")
    if previous is not None and not change_note.strip():
        raise PublishingError("更正后的新版本须填写更正说明。")
    data = public_data(snapshot.data)
    version = PublishedVersion.objects.create(
        report=report,
        number=(previous.number + 1) if previous else 1,
        snapshot=snapshot,
        department_code=report.department.code,
        department_name=report.department.name,
        year=report.period.year,
        kind=report.period.kind,
        public_data=data,
        public_data_sha256=sha256(canonical_json(data)),
        change_note=change_note.strip(),
        published_where=published_where.strip(),
        public_date=public_date or timezone.localdate(),
        published_by=user,
    )
    _schedule("version", version.pk)
    return version


@transaction.atomic
def publish(*, report: Report, user, change_note: str = "", published_where: str = "", public_date=None):
    """The reviewer publishes an approved report through the workflow, which changes the status and creates
    the public version (workflow.services._after_publish) in one transaction."""
    try:
        publish_report(
            report=report,
            user=user,
            change_note=change_note,
            published_where=published_where,
            public_date=public_date,
        )
    except WorkflowError as exc:
        raise PublishingError(str(exc)) from exc
    return report.published_versions.order_by("-number").first()
