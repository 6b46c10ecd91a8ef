"""Write paths of the Excel import: parse an upload into a pending ImportUpload, then apply it."""

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from perfeval.excel.imports import WorkbookUnreadable, read_workbook
from perfeval.excel.models import ImportUpload
from perfeval.excel.safety import ReadBudget, UnsafeFile, check_upload
from perfeval.filing.diff import Change, diff_payloads
from perfeval.filing.locking import assert_editable
from perfeval.filing.models import Report
from perfeval.filing.opendata import OpenDataError, export_report, import_report
from perfeval.rules.checks import Finding, check_report
from perfeval.rules.payload import report_data


class ImportRefused(Exception):
    """The upload cannot be used; the message (Chinese) says why."""


class StaleReport(ImportRefused):
    pass


@dataclass
class Parsed:
    upload: ImportUpload | None
    errors: list[str]  # every bad cell, as "sheet!cell：reason"


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def already_applied(report: Report, sha256: str) -> ImportUpload | None:
    return (
        ImportUpload.objects.filter(report=report, sha256=sha256, applied_at__isnull=False)
        .select_related("user")
        .order_by("-applied_at")
        .first()
    )


def duplicate_message(upload: ImportUpload) -> str:
    when = timezone.localtime(upload.applied_at).strftime("%Y-%m-%d %H:%M")
    who = upload.user.display_name if upload.user else "命令行"
    return f"该文件已于 {when} 由 {who} 导入过（文件「{upload.original_name}」，内容完全相同），无需重复导入"


def read_upload(*, report: Report, name: str, content: bytes):
    """(payload, errors) of a workbook for ``report`` (loaded with parts.reports_with_parts); writes nothing."""
    budget = ReadBudget()
    try:
        check_upload(name, content, budget)
        result = read_workbook(
            content, current=export_report(report), pack=report.period.rule_pack.rules(), budget=budget
        )
    except (UnsafeFile, WorkbookUnreadable) as exc:
        raise ImportRefused(str(exc)) from exc
    return result.payload, result.errors


def parse_upload(*, report: Report, user, name: str, content: bytes) -> Parsed:
    """Check and read an uploaded workbook; keep the parsed payload server-side for the preview."""
    assert_editable(report)
    digest = sha256_of(content)
    previous = already_applied(report, digest)
    if previous is not None:
        raise ImportRefused(duplicate_message(previous))
    payload, errors = read_upload(report=report, name=name, content=content)
    if errors:
        return Parsed(None, errors)
    ImportUpload.objects.filter(report=report, user=user, applied_at__isnull=True).delete()
    upload = ImportUpload.objects.create(
        report=report,
        user=user,
        sha256=digest,
        original_name=name[:255],
        size=len(content),
        payload=payload,
        base_version=report.version,
    )
    return Parsed(upload, [])


def preview(*, report: Report, payload: dict) -> tuple[list[Change], list[Finding]]:
    """What applying ``payload`` changes (old → new) and every finding of the checks on the would-be report."""
    pack = report.period.rule_pack.rules()
    return diff_payloads(export_report(report), payload, pack), check_report(report_data(payload), pack)


@transaction.atomic
def apply_payload(*, report_id: int, payload: dict, user, expected_version: int) -> Report:
    """Replace the report's attachments with ``payload`` in one transaction; refuse a stale or locked report."""
    report = Report.objects.select_for_update().get(pk=report_id)
    assert_editable(report)
    if report.version != expected_version:
        raise StaleReport(
            f"报告已被修改（您预览的是第 {expected_version} 版，当前为第 {report.version} 版），"
            "请重新上传文件并核对预览"
        )
    try:
        import_report(payload, report=report)
    except OpenDataError as exc:
        raise ImportRefused(f"导入失败：{exc}") from exc
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_by=user)
    report.refresh_from_db(fields=["version", "updated_by"])
    return report


@transaction.atomic
def confirm_upload(*, upload_id: int, report: Report, user, posted_version: int) -> Report:
    upload = ImportUpload.objects.select_for_update().get(pk=upload_id, report=report)
    if upload.applied_at is not None:
        raise ImportRefused(duplicate_message(upload))
    if posted_version != upload.base_version:
        raise StaleReport("预览已过期，请重新上传文件")
    report = apply_payload(
        report_id=report.pk, payload=upload.payload, user=user, expected_version=upload.base_version
    )
    upload.applied_at = timezone.now()
    upload.save(update_fields=["applied_at"])
    return report


def record_applied(*, report: Report, user, name: str, content: bytes, payload: dict, base_version: int):
    """The command-line import leaves the same trace as the browser one."""
    return ImportUpload.objects.create(
        report=report,
        user=user,
        sha256=sha256_of(content),
        original_name=name[:255],
        size=len(content),
        payload=payload,
        base_version=base_version,
        applied_at=timezone.now(),
    )
