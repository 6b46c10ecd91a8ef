"""The only code that changes ``Report.status``.

Every transition is a keyword-only function running in one transaction: a conditional update on the status
and version the caller saw (so of two concurrent actions exactly one wins and the other gets a clear message),
then one audit event, then the transition's listed side effects.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from perfeval.filing.models import EDITABLE_STATUSES, FilingPeriod, Report, RulePack, Status
from perfeval.filing.opendata import carried_forward, export_report, import_report, rules_data
from perfeval.filing.parts import reports_with_parts
from perfeval.orgs.models import Role
from perfeval.rules.checks import ERROR, WARNING, Finding, check_report
from perfeval.workflow.models import (
    AuditAction,
    AuditEvent,
    HeadConfirmation,
    ReturnReason,
    ReturnRound,
)

REVIEWER_ROLES = (Role.REVIEWER, Role.ADMINISTRATOR)
DEPARTMENT_ROLES = (Role.PREPARER, Role.HEAD)
# Statuses a reviewer may move a report *from*, by transition; used by the views to show the buttons.
TRANSITIONS = {
    "submit": (EDITABLE_STATUSES, Status.SUBMITTED),
    "withdraw": ((Status.SUBMITTED,), Status.DRAFT),
    "return": ((Status.SUBMITTED,), Status.RETURNED),
    "approve": ((Status.SUBMITTED,), Status.APPROVED),
    "publish": ((Status.APPROVED,), Status.PUBLISHED),
    "reopen": ((Status.PUBLISHED,), Status.RETURNED),
}


class WorkflowError(Exception):
    """A refused action; the message is shown to the user as is."""


@dataclass(frozen=True)
class PinnedReason:
    text: str
    table: str = ""
    row: str = ""
    column: str = ""
    label: str = ""


# ---------------------------------------------------------------- who may act


def is_reviewer(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in REVIEWER_ROLES)


def is_department_member(user, report: Report) -> bool:
    return (
        user.is_authenticated
        and user.role in DEPARTMENT_ROLES
        and user.department_id is not None
        and user.department_id == report.department_id
    )


def _require_department(user, report: Report) -> None:
    if not is_department_member(user, report):
        raise WorkflowError("只有本单位的填报人或单位负责人可以执行此操作。")


def _require_reviewer(user) -> None:
    if not is_reviewer(user):
        raise WorkflowError("只有财政局审核人可以执行此操作。")


# ---------------------------------------------------------------- the audit log


def record_event(*, action: str, user=None, report: Report | None = None, **fields) -> AuditEvent:
    actor = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_name=actor.display_name if actor else "",
        report=report,
        **fields,
    )


def _last_event_id(report: Report, action: str) -> int:
    event = AuditEvent.objects.filter(report=report, action=action).order_by("-id").only("id").first()
    return event.id if event else 0


def reviewer_has_opened(report: Report) -> bool:
    """Has a reviewer opened the report since its last submission?"""
    return AuditEvent.objects.filter(
        report=report, action=AuditAction.OPENED, id__gt=_last_event_id(report, AuditAction.SUBMIT)
    ).exists()


def record_reviewer_view(*, report: Report, user) -> None:
    """The first look of a reviewer at a submitted report ends the preparer's chance to withdraw it."""
    if report.status == Status.SUBMITTED and is_reviewer(user) and not reviewer_has_opened(report):
        record_event(action=AuditAction.OPENED, user=user, report=report, version=report.version)


# ---------------------------------------------------------------- the one status change


def _transition(
    report: Report, *, user, name: str, action: str, reason: str = "", details=None
) -> AuditEvent:
    sources, target = TRANSITIONS[name]
    old_status, old_version = report.status, report.version
    if old_status not in sources:
        raise WorkflowError(
            f"报告当前状态为「{report.get_status_display()}」，不能{AuditAction(action).label}。"
        )
    changed = Report.objects.filter(pk=report.pk, status=old_status, version=old_version).update(
        status=target, version=F("version") + 1, updated_at=timezone.now()
    )
    if changed != 1:
        current = Report.objects.filter(pk=report.pk).values_list("status", flat=True).first()
        label = Status(current).label if current else "已删除"
        raise WorkflowError(
            f"报告已被他人处理或修改（当前状态「{label}」），本次{AuditAction(action).label}未执行，请刷新页面后重试。"
        )
    report.status, report.version = target, old_version + 1
    return record_event(
        action=action,
        user=user,
        report=report,
        status_from=old_status,
        status_to=target,
        version=report.version,
        reason=reason,
        details=details or {},
    )


# ---------------------------------------------------------------- submit and its conditions


def _findings(report: Report) -> list[Finding]:
    full = reports_with_parts().get(pk=report.pk)
    return check_report(rules_data(full), full.period.rule_pack.rules())


def unexplained_warnings(report: Report, findings: list[Finding]) -> list[Finding]:
    explained = {
        (code, place)
        for code, place, text in report.explanations.values_list("code", "place", "text")
        if text.strip()
    }
    return [f for f in findings if f.severity == WARNING and (f.code, f.place.key) not in explained]


def head_confirmation_valid(report: Report) -> bool:
    return HeadConfirmation.objects.filter(report=report, version=report.version).exists()


def submission_blockers(report: Report) -> list[str]:
    """Why the report cannot be submitted now, in Chinese; empty when it can."""
    findings = _findings(report)
    blockers = []
    errors = [f for f in findings if f.severity == ERROR]
    if errors:
        blockers.append(
            f"尚有 {len(errors)} 个错误未修正（例如：{errors[0].place.label}：{errors[0].message}）。"
        )
    unexplained = unexplained_warnings(report, findings)
    if unexplained:
        blockers.append(f"尚有 {len(unexplained)} 个警告未填写说明（例如：{unexplained[0].place.label}）。")
    if report.period.requires_head_confirmation and not head_confirmation_valid(report):
        blockers.append("本填报期要求单位负责人确认当前版本后才能提交。")
    return blockers


@transaction.atomic
def confirm_as_head(*, report: Report, user) -> HeadConfirmation:
    _require_department(user, report)
    if user.role != Role.HEAD:
        raise WorkflowError("只有单位负责人可以确认报告。")
    if report.status not in EDITABLE_STATUSES:
        raise WorkflowError("报告已提交或已锁定，无需确认。")
    confirmation = HeadConfirmation.objects.create(report=report, version=report.version, confirmed_by=user)
    record_event(action=AuditAction.HEAD_CONFIRM, user=user, report=report, version=report.version)
    return confirmation


@transaction.atomic
def submit_report(*, report: Report, user) -> AuditEvent:
    _require_department(user, report)
    if report.status not in EDITABLE_STATUSES:
        raise WorkflowError(f"报告当前状态为「{report.get_status_display()}」，不能提交。")
    blockers = submission_blockers(report)
    if blockers:
        raise WorkflowError("不能提交：" + " ".join(blockers))
    return _transition(report, user=user, name="submit", action=AuditAction.SUBMIT)


@transaction.atomic
def withdraw_report(*, report: Report, user) -> AuditEvent:
    _require_department(user, report)
    if report.status == Status.SUBMITTED and reviewer_has_opened(report):
        raise WorkflowError("审核人已开始审核，不能撤回；如需修改请联系审核人退回。")
    return _transition(report, user=user, name="withdraw", action=AuditAction.WITHDRAW)


# ---------------------------------------------------------------- review


def _clean_reasons(reasons) -> list[PinnedReason]:
    cleaned = [r for r in reasons if r.text.strip()]
    if not cleaned:
        raise WorkflowError("退回须填写至少一条原因。")
    return cleaned


@transaction.atomic
def return_report(*, report: Report, user, reasons: list[PinnedReason]) -> ReturnRound:
    _require_reviewer(user)
    reasons = _clean_reasons(reasons)
    summary = "；".join(f"{r.label or '整份报告'}：{r.text.strip()}" for r in reasons)
    event = _transition(report, user=user, name="return", action=AuditAction.RETURN, reason=summary)
    return _open_round(report, user=user, event=event, reasons=reasons)


def _open_round(report: Report, *, user, event: AuditEvent, reasons: list[PinnedReason]) -> ReturnRound:
    number = ReturnRound.objects.filter(report=report).count() + 1
    round_ = ReturnRound.objects.create(
        report=report,
        number=number,
        returned_by=user,
        snapshot=export_report(reports_with_parts().get(pk=report.pk)),
        event=event,
    )
    ReturnReason.objects.bulk_create(
        ReturnReason(
            round=round_, table=r.table, row=r.row, column=r.column, label=r.label, text=r.text.strip()
        )
        for r in reasons
    )
    return round_


def open_reasons(report: Report):
    return ReturnReason.objects.filter(round__report=report, resolved_at__isnull=True)


@transaction.atomic
def resolve_reason(*, reason: ReturnReason, user) -> None:
    _require_reviewer(user)
    report = reason.round.report
    if report.status != Status.SUBMITTED:
        raise WorkflowError("只有重新提交后的报告才能标记退回意见已解决。")
    updated = ReturnReason.objects.filter(pk=reason.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=user
    )
    if updated:
        record_event(
            action=AuditAction.RESOLVE,
            user=user,
            report=report,
            version=report.version,
            reason=f"{reason.label or '整份报告'}：{reason.text}",
            details={"reason_id": reason.pk},
        )


@transaction.atomic
def approve_report(*, report: Report, user) -> AuditEvent:
    _require_reviewer(user)
    remaining = open_reasons(report).count()
    if remaining:
        raise WorkflowError(f"尚有 {remaining} 条退回意见未标记为已解决，不能审核通过。")
    with _undone_on_failure(report):
        event = _transition(report, user=user, name="approve", action=AuditAction.APPROVE)
        _after_approve(report, user)
    return event


@contextmanager
def _undone_on_failure(report: Report):
    """A side effect that fails rolls the transaction back; the caller's object must not keep the new status."""
    status, version = report.status, report.version
    try:
        yield
    except BaseException:
        report.status, report.version = status, version
        raise


def _after_approve(report: Report, user) -> None:
    """Side effects of approval: freeze an immutable snapshot; its final PDF is rendered in a background task
    once the transaction commits."""
    from perfeval.publishing.services import freeze_report

    freeze_report(report=report, user=user)


@transaction.atomic
def publish_report(
    *, report: Report, user, change_note: str = "", published_where: str = "", public_date=None
) -> AuditEvent:
    _require_reviewer(user)
    with _undone_on_failure(report):
        event = _transition(report, user=user, name="publish", action=AuditAction.PUBLISH, reason=change_note)
        _after_publish(
            report, user, change_note=change_note, published_where=published_where, public_date=public_date
        )
    return event


def _after_publish(report: Report, user, **publication) -> None:
    """Side effects of publication: a new public version (masked data now, masked PDF in a task). A refusal
    there (no snapshot, a correction without its note) undoes the transition with it."""
    from perfeval.publishing.services import create_published_version

    create_published_version(report=report, user=user, **publication)


@transaction.atomic
def reopen_for_correction(*, report: Report, user, reason: str) -> ReturnRound:
    """A correction after publication: the report goes back to the department as a new version."""
    _require_reviewer(user)
    if not reason.strip():
        raise WorkflowError("公开后退回更正须填写原因。")
    event = _transition(report, user=user, name="reopen", action=AuditAction.REOPEN, reason=reason.strip())
    _after_reopen(report, user)
    return _open_round(report, user=user, event=event, reasons=[PinnedReason(text=reason)])


def _after_reopen(report: Report, user) -> None:
    """Side effects of reopening. The publishing work adds: mark the published version superseded."""


# ---------------------------------------------------------------- filing periods and carry-forward


@transaction.atomic
def open_period(
    *,
    user,
    year: int,
    deadline: date,
    rule_pack: RulePack,
    departments,
    requires_head_confirmation: bool = False,
) -> FilingPeriod:
    """Open a filing period and create each department's draft, carried forward from its last approved
    report."""
    if not (user.is_superuser or user.role == Role.ADMINISTRATOR):
        raise WorkflowError("只有财政局管理员可以开启填报期。")
    if FilingPeriod.objects.filter(year=year).exists():
        raise WorkflowError(f"{year} 年度填报期已存在。")
    period = FilingPeriod.objects.create(
        year=year,
        deadline=deadline,
        rule_pack=rule_pack,
        requires_head_confirmation=requires_head_confirmation,
    )
    departments = list(departments)
    period.departments.set(departments)
    create_period_reports(period=period, user=user)
    record_event(
        action=AuditAction.OPEN_PERIOD,
        user=user,
        reason=f"{year} 年度，截止 {deadline.isoformat()}，{len(departments)} 个单位",
        details={"year": year, "departments": [d.code for d in departments]},
    )
    return period


@transaction.atomic
def create_period_reports(*, period: FilingPeriod, user) -> list[Report]:
    """A draft for every department of the period that has none yet, carried forward from its last approved
    report (also used by the admin after a period is created or departments are added there)."""
    if not (user.is_superuser or user.role == Role.ADMINISTRATOR):
        raise WorkflowError("只有财政局管理员可以创建填报报告。")
    have = set(Report.objects.filter(period=period).values_list("department_id", flat=True))
    created = []
    for department in period.departments.exclude(pk__in=have).order_by("code"):
        report = Report.objects.create(department=department, period=period, updated_by=user)
        previous = previous_report(report)
        if previous is not None:
            carry_forward(report, previous)
        record_event(
            action=AuditAction.CREATE,
            user=user,
            report=report,
            status_to=Status.DRAFT,
            version=report.version,
            details={"carried_from": previous.pk if previous else None},
        )
        created.append(report)
    return created


def previous_report(report: Report) -> Report | None:
    """The department's last approved or published report of an earlier year."""
    return (
        reports_with_parts()
        .filter(
            department_id=report.department_id,
            period__year__lt=report.period.year,
            status__in=(Status.APPROVED, Status.PUBLISHED),
        )
        .order_by("-period__year")
        .first()
    )


def carry_forward(report: Report, previous: Report) -> None:
    """The new report starts from last year's payload, written like every other whole report."""
    import_report(carried_forward(export_report(previous)), report=report)
