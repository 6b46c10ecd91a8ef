"""The one write path of evidence files: add, remove, ask for publication. Each is a write to the report like
any other — the department's, while the report is editable (``access.edit_refusal``), claiming the report's
version (so the checks run again and a head confirmation of the earlier version is void) — and each is
recorded in the workflow's audit log. Files are inspected whole before anything is stored: all or nothing."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from perfeval.evidence import content
from perfeval.evidence.models import EXTENSIONS, Evidence, Kind
from perfeval.filing import access
from perfeval.filing.locking import ReportLocked, claim_version
from perfeval.filing.models import Indicator, Report, ScorecardKind
from perfeval.rules import catalogue, labels
from perfeval.workflow.models import AuditAction, ReturnReason
from perfeval.workflow.services import record_event

REPORT_LABEL = "整份报告"


class EvidenceError(Exception):
    """Refused; the message is the page's."""


@dataclass(frozen=True)
class Place:
    """Where files attach: one of a 正文 section, an indicator row, a return reason, or the whole report."""

    section: str = ""
    indicator: Indicator | None = None
    reason: ReturnReason | None = None

    @property
    def label(self) -> str:
        if self.indicator is not None:
            card = self.indicator.scorecard
            title = labels.scorecard_table(card.project.name if card.kind == ScorecardKind.PROJECT else None)
            return f"{title} · {self.indicator.name}"
        if self.section:
            return f"正文 · {dict(catalogue.SECTIONS)[self.section]}"
        if self.reason is not None:
            return f"退回意见答复 · {self.reason.label or REPORT_LABEL}"
        return REPORT_LABEL

    @property
    def query(self) -> dict:
        """The place as the upload page's query string names it."""
        if self.indicator is not None:
            return {"indicator": self.indicator.pk}
        if self.section:
            return {"section": self.section}
        if self.reason is not None:
            return {"reason": self.reason.pk}
        return {}


def storage():
    return storages["evidence"]


def find_place(report: Report, *, section: str = "", indicator_id=None, reason_id=None) -> Place:
    """The place named by a form, which must belong to ``report``; EvidenceError otherwise."""
    given = [bool(section), bool(indicator_id), bool(reason_id)]
    if sum(given) > 1:
        raise EvidenceError("佐证材料只能附在一个位置上")
    if section:
        if section not in dict(catalogue.SECTIONS):
            raise EvidenceError("没有找到该正文部分")
        return Place(section=section)
    if indicator_id:
        indicator = (
            Indicator.objects.select_related("scorecard__project")
            .filter(pk=_int(indicator_id), scorecard__report=report)
            .first()
        )
        if indicator is None:
            raise EvidenceError("没有找到该指标行（可能已被删除），请刷新页面")
        return Place(indicator=indicator)
    if reason_id:
        reason = ReturnReason.objects.filter(pk=_int(reason_id), round__report=report).first()
        if reason is None:
            raise EvidenceError("没有找到该退回意见")
        return Place(reason=reason)
    return Place()


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _refuse_unless_editable(report: Report, user) -> None:
    refusal = access.edit_refusal(user, report)
    if refusal:
        raise EvidenceError(refusal)


def add_evidence(*, report: Report, user, place: Place, files) -> list[Evidence]:
    """Inspect every file (type by content, limits, active content), then store them all and record each; the
    first refusal refuses all and stores nothing."""
    _refuse_unless_editable(report, user)
    files = list(files)
    if not files:
        raise EvidenceError("请选择要上传的文件")
    if len(files) > settings.EVIDENCE_MAX_PER_UPLOAD:
        raise EvidenceError(f"一次最多上传 {settings.EVIDENCE_MAX_PER_UPLOAD} 个文件")
    limit = settings.EVIDENCE_MAX_PER_REPORT
    existing = Evidence.objects.filter(report=report).count()
    if existing + len(files) > limit:
        raise EvidenceError(
            f"每份报告最多 {limit} 个佐证材料，已有 {existing} 个，本次 {len(files)} 个超出上限"
        )
    checked = []
    for upload in files:
        shown = (upload.name or "")[:60]
        problem = content.name_problem(upload.name or "")
        if problem:
            raise EvidenceError(f"「{shown}」：{problem}")
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise EvidenceError(
                f"「{shown}」：文件过大，每个文件最大 {content.megabytes(settings.EVIDENCE_MAX_BYTES)}"
            )
        data = upload.read()
        try:
            inspected = content.inspect(data)
        except content.Refused as exc:
            raise EvidenceError(f"「{shown}」：{exc}") from None
        checked.append((upload.name or "", data, inspected))
    return _store(report=report, user=user, place=place, checked=checked)


def _store(*, report: Report, user, place: Place, checked) -> list[Evidence]:
    stored: list[str] = []
    try:
        with transaction.atomic():
            try:
                claim_version(report, user=user)
            except ReportLocked as exc:
                raise EvidenceError(str(exc)) from None
            created = []
            for raw_name, data, inspected in checked:
                name = storage().save(
                    f"{secrets.token_hex(16)}.{EXTENSIONS[Kind(inspected.kind)]}", ContentFile(data)
                )
                stored.append(name)
                refusal = content.publication_gate(inspected.kind, inspected.text)
                evidence = Evidence.objects.create(
                    report=report,
                    section=place.section,
                    indicator=place.indicator,
                    reason=place.reason,
                    label=place.label[:300],
                    name=content.display_name(raw_name, inspected.kind),
                    stored_name=name,
                    kind=inspected.kind,
                    size=inspected.size,
                    sha256=inspected.sha256,
                    gate_passed=refusal is None,
                    gate_reason=(refusal or "")[:300],
                    uploaded_by=user,
                )
                _record(AuditAction.EVIDENCE_ADD, evidence, user)
                created.append(evidence)
            forget_files(report)
            return created
    except BaseException:
        for name in stored:
            storage().delete(name)
        raise


def _record(action: str, evidence: Evidence, user) -> None:
    record_event(
        action=action,
        user=user,
        report=evidence.report,
        version=evidence.report.version,
        reason=f"{evidence.label}：{evidence.name}",
        details={
            "evidence": evidence.pk,
            "name": evidence.name,
            "sha256": evidence.sha256,
            "size": evidence.size,
            "kind": evidence.kind,
            "place": evidence.label,
            "public": evidence.public,
        },
    )


@transaction.atomic
def remove_evidence(*, evidence: Evidence, user) -> None:
    report = evidence.report
    _refuse_unless_editable(report, user)
    try:
        claim_version(report, user=user)
    except ReportLocked as exc:
        raise EvidenceError(str(exc)) from None
    _record(AuditAction.EVIDENCE_REMOVE, evidence, user)
    evidence.delete()  # the file goes after the commit (delete_file_after_commit)
    forget_files(report)


def delete_file_after_commit(sender, instance: Evidence, **kwargs) -> None:
    """post_delete of Evidence (perfeval/evidence/apps.py): the stored file follows its row, whichever way the row
    went — removed by the preparer or cascaded with its report or return reason — once the deletion is committed;
    a rolled-back deletion keeps it. No other row shares the file: stored names are random and unique."""
    name = instance.stored_name
    transaction.on_commit(lambda: storage().delete(name), robust=True)


@transaction.atomic
def set_public(*, evidence: Evidence, user, public: bool) -> None:
    """The preparer asks for the file to be public (or no longer); the gate must pass it."""
    report = evidence.report
    _refuse_unless_editable(report, user)
    if public and not evidence.gate_passed:
        raise EvidenceError(f"「{evidence.name}」不能公开：{evidence.gate_reason}")
    try:
        claim_version(report, user=user)
    except ReportLocked as exc:
        raise EvidenceError(str(exc)) from None
    Evidence.objects.filter(pk=evidence.pk).update(public=public)
    evidence.public = public
    forget_files(report)
    _record(AuditAction.EVIDENCE_PUBLIC, evidence, user)


def files_of(report: Report) -> list[Evidence]:
    """The report's files, read once per report object (prefetched by ``reports_with_parts``): the payload
    builder and the edit pages' links share them within a request."""
    files = getattr(report, "_evidence_files", None)
    if files is None:
        files = report._evidence_files = sorted(report.evidence_files.all(), key=lambda e: e.pk)
    return files


def forget_files(report: Report) -> None:
    report.__dict__.pop("_evidence_files", None)
    getattr(report, "_prefetched_objects_cache", {}).pop("evidence_files", None)


def evidence_payload(report: Report) -> list[dict]:
    """The evidence list of the internal payload (snapshots, the rules' data): each file's SHA-256, size,
    type and place. ``row`` is the place's row as findings name it, from which the rules count an indicator's
    files (perfeval/rules/payload.py evidence_counts); ``public`` is true only when the gate passed too."""
    return [
        {
            "ref": str(e.pk),
            "name": e.name,
            "kind": e.kind,
            "size": e.size,
            "sha256": e.sha256,
            "row": e.row,
            "reason": str(e.reason_id) if e.reason_id else None,
            "place": e.label,
            "public": e.is_public,
        }
        for e in files_of(report)
    ]


def public_entries(snapshot_data: dict) -> list[dict]:
    """The files a frozen snapshot lists as public."""
    return [item for item in (snapshot_data.get("report") or {}).get("evidence") or [] if item.get("public")]


def public_file(snapshot_data: dict, evidence_id: int) -> Evidence | None:
    """A file the snapshot froze as public and that is still the same file (SHA-256); None otherwise."""
    entry = next((i for i in public_entries(snapshot_data) if i.get("ref") == str(evidence_id)), None)
    if entry is None:
        return None
    return Evidence.objects.filter(pk=evidence_id, sha256=entry["sha256"]).first()


def limits() -> dict:
    """What the upload form tells the preparer."""
    return {
        "size": content.megabytes(settings.EVIDENCE_MAX_BYTES),
        "per_report": settings.EVIDENCE_MAX_PER_REPORT,
        "per_upload": settings.EVIDENCE_MAX_PER_UPLOAD,
        "accepted": content.ACCEPTED,
    }
