"""Write paths of publication: freeze an approved report, render its PDFs, publish a public version.

Every function here is keyword-only, runs in one transaction and is the only place its rows are written.
The PDFs are rendered by background tasks (perfeval/publishing/tasks.py) scheduled on commit, so a worker
never sees a snapshot that does not exist yet.
"""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from perfeval.filing.diff import diff_payloads
from perfeval.filing.models import Report, Status
from perfeval.filing.opendata import export_report, without_refs
from perfeval.filing.parts import reports_with_parts
from perfeval.filing.presentation import report_document
from perfeval.publishing.documents import canonical_json, document_html, sha256
from perfeval.publishing.masking import mask_value
from perfeval.publishing.models import PdfStatus, PublishedVersion, ReportSnapshot
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
    return document_html(frozen_document(snapshot_data, published), draft=False)


def render_stored(*, kind: str, pk: int) -> str:
    """Render and store the PDF of a snapshot ("snapshot") or of a public version ("version").

    Idempotent: a stored PDF is never replaced, so a repeated or late task cannot change the bytes people
    have downloaded. A failure is recorded for the reviewer, who can retry.
    """
    from perfeval.publishing.pdf import PdfError, render_pdf

    model = MODELS[kind]
    row = model.objects.get(pk=pk)
    if row.pdf_status == PdfStatus.DONE:
        return "already done"
    html = (
        snapshot_html(row.data) if kind == "snapshot" else snapshot_html(row.snapshot.data, row.public_data)
    )
    model.objects.filter(pk=pk).exclude(pdf_status=PdfStatus.DONE).update(pdf_attempts=row.pdf_attempts + 1)
    try:
        pdf = render_pdf(html)
    except PdfError as exc:
        model.objects.filter(pk=pk).exclude(pdf_status=PdfStatus.DONE).update(
            pdf_status=PdfStatus.FAILED, pdf_error=str(exc)
        )
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
