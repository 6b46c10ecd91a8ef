"""The only code that changes ``Report.status``.

Every transition is a keyword-only function running in one transaction: a conditional update on the status
and version the caller saw (so of two concurrent actions exactly one wins and the other gets a clear message),
then one audit event, then the transition's listed side effects.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from perfeval.filing import access, checked
from perfeval.filing.bounds import document_problem, problem
from perfeval.filing.creation import CARRY_APPROVED, create_report
from perfeval.filing.creation import previous_report as creation_previous_report
from perfeval.filing.diff import Change, diff_payloads
from perfeval.filing.locking import ReportLocked, VersionConflict, claim_version
from perfeval.filing.models import (
    EDITABLE_STATUSES,
    UNDER_REVIEW_STATUSES,
    FilingKind,
    FilingPeriod,
    Report,
    RulePack,
    Status,
)
from perfeval.filing.opendata import (
    CARRIED_TEXTS,
    carried_card,
    export_report,
    import_report,
)
from perfeval.filing.parts import reports_with_parts
from perfeval.rules import catalogue
from perfeval.rules.checks import ERROR, WARNING, Finding, place_key
from perfeval.rules.packs import pack_mismatches
from perfeval.workflow.models import (
    AuditAction,
    AuditEvent,
    HeadConfirmation,
    ReturnReason,
    ReturnRound,
)

# Statuses a reviewer may move a report *from*, by transition; used by the views to show the buttons.
TRANSITIONS = {
    "submit": (EDITABLE_STATUSES, Status.SUBMITTED),
    "submit_to_supervisor": (EDITABLE_STATUSES, Status.SUPERVISOR_REVIEW),
    "withdraw": (UNDER_REVIEW_STATUSES, Status.DRAFT),
    "supervisor_return": ((Status.SUPERVISOR_REVIEW,), Status.RETURNED),
    "forward": ((Status.SUPERVISOR_REVIEW,), Status.SUBMITTED),
    "return": ((Status.SUBMITTED,), Status.RETURNED),
    "approve": ((Status.SUBMITTED,), Status.APPROVED),
    "publish": ((Status.APPROVED,), Status.PUBLISHED),
    "reopen": ((Status.PUBLISHED,), Status.RETURNED),
    "reset": (tuple(Status), Status.DRAFT),
}


# Side effects that apps above the workflow add to a transition, registered in their AppConfig.ready
# (publishing: the snapshot at approval, the public version at publication): the workflow never imports them.
# Each runs inside the transition's transaction; an exception undoes the transition.
_callbacks: dict[str, list[Callable]] = {"approve": [], "publish": []}


def on_transition(name: str, callback: Callable) -> None:
    """Run ``callback(report=, user=, **details)`` after the transition ``name`` (approve, publish)."""
    if callback not in _callbacks[name]:
        _callbacks[name].append(callback)


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


def _require_department(user, report: Report) -> None:
    if not access.is_member(user, report):
        raise WorkflowError("只有本单位的填报人或单位负责人可以执行此操作。")


def _require_reviewer(user, report: Report) -> None:
    if not access.is_bureau(user):
        raise WorkflowError("只有财政局审核人可以执行此操作。")
    if not access.acts_for_bureau(user, report):
        raise WorkflowError("只有该报告所属财政部门的审核人可以执行此操作，上级财政部门只能查看。")


def _require_supervisor(user, report: Report) -> None:
    if not access.is_supervisor_of(user, report):
        raise WorkflowError("只有该单位主管部门的审核人可以执行此操作。")


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


def record_events(*, action: str, user=None, events: list[dict]) -> None:
    """Many events of one action in a few INSERTs (a reminder job over a thousand departments): each dict holds
    an event's fields (report_id, reason, details …)."""
    actor = user if user is not None and user.is_authenticated else None
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(action=action, actor=actor, actor_name=actor.display_name if actor else "", **fields)
            for fields in events
        ],
        batch_size=500,
    )


def _last_event_id(report: Report, action: str) -> int:
    event = AuditEvent.objects.filter(report=report, action=action).order_by("-id").only("id").first()
    return event.id if event else 0


def reviewer_has_opened(report: Report) -> bool:
    """Has a reviewer (the 主管部门's or the bureau's) opened the report, or the 主管部门 forwarded it, since its
    last submission?"""
    return AuditEvent.objects.filter(
        report=report,
        action__in=(AuditAction.OPENED, AuditAction.FORWARD),
        id__gt=_last_event_id(report, AuditAction.SUBMIT),
    ).exists()


def record_reviewer_view(*, report: Report, user) -> None:
    """The first look of the reviewer at the report's stage (the 主管部门's, then the bureau's) ends the
    preparer's chance to withdraw it. A bureau above only reads: its look changes nothing."""
    if access.reviews_at_stage(user, report) and not _opened_at_stage(report):
        record_event(action=AuditAction.OPENED, user=user, report=report, version=report.version)


def _opened_at_stage(report: Report) -> bool:
    since = (
        AuditAction.FORWARD
        if report.status == Status.SUBMITTED and _forwarded(report)
        else AuditAction.SUBMIT
    )
    return AuditEvent.objects.filter(
        report=report, action=AuditAction.OPENED, id__gt=_last_event_id(report, since)
    ).exists()


def _forwarded(report: Report) -> bool:
    return _last_event_id(report, AuditAction.FORWARD) > _last_event_id(report, AuditAction.SUBMIT)


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
    return checked.report_findings(report)


def unexplained_warnings(report: Report, findings: list[Finding]) -> list[Finding]:
    return [f for f, text in warning_explanations(report, findings) if not text]


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
        blockers.append(f"尚有 {len(unexplained)} 条提示未填写说明（例如：{unexplained[0].place.label}）。")
    if report.period.requires_head_confirmation and not head_confirmation_valid(report):
        blockers.append("本填报期要求单位负责人确认当前版本后才能提交。")
    too_long = document_problem(reports_with_parts().get(pk=report.pk))
    if too_long:
        blockers.append(too_long)
    return blockers


def warning_explanations(report: Report, findings: list[Finding]) -> list[tuple[Finding, str]]:
    """Each warning with the preparer's explanation ("" when none), for the reviewer's pages."""
    texts = {
        (code, place): text for code, place, text in report.explanations.values_list("code", "place", "text")
    }
    return [
        (f, texts.get((f.code, place_key(f.place.table, f.place.row, f.place.column)), "").strip())
        for f in findings
        if f.severity == WARNING
    ]


def last_head_confirmation(report: Report) -> HeadConfirmation | None:
    return HeadConfirmation.objects.filter(report=report).select_related("confirmed_by").first()


def changes_since_head_confirmation(report: Report, last: HeadConfirmation | None) -> list[Change] | None:
    """What changed since the head's last confirmation (``report`` loaded with ``reports_with_parts``); None
    when there is no earlier confirmation with its payload to compare with."""
    if last is None or last.snapshot is None:
        return None
    return diff_payloads(last.snapshot, export_report(report), report.period.rule_pack.rules())


def awaiting_head_confirmation(user):
    """The reports the head ``user`` is asked to confirm: their department's editable reports of periods that
    require it, not confirmed at their current version."""
    if not access.is_department_head(user):
        return Report.objects.none()
    confirmed = HeadConfirmation.objects.filter(report=OuterRef("pk"), version=OuterRef("version"))
    return (
        access.reports_visible_to(user)
        .filter(status__in=EDITABLE_STATUSES, period__requires_head_confirmation=True)
        .exclude(Exists(confirmed))
        .select_related("department", "period")
        .order_by("-period__year")
    )


@transaction.atomic
def confirm_as_head(*, report: Report, user, expected_version: int) -> HeadConfirmation:
    """The head confirms the version the page showed; a report changed since then is not confirmed unseen, nor
    one with an error open. The confirmed payload is kept so the next confirmation shows what changed."""
    _require_department(user, report)
    if not access.is_head(user, report):
        raise WorkflowError("只有单位负责人可以确认报告。")
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in EDITABLE_STATUSES:
        raise WorkflowError("报告已提交或已锁定，无需确认。")
    if report.version != expected_version:
        raise WorkflowError(
            f"您打开本页之后报告已被修改（当前为第 {report.version} 版），请查看修改后的内容再确认。"
        )
    full = reports_with_parts().get(pk=report.pk)
    errors = [f for f in checked.report_findings(full) if f.severity == ERROR]
    if errors:
        raise WorkflowError(
            f"报告尚有 {len(errors)} 个错误未修正（例如：{errors[0].place.label}：{errors[0].message}），"
            "请填报人修正后再确认。"
        )
    confirmation = HeadConfirmation.objects.create(
        report=report, version=report.version, confirmed_by=user, snapshot=export_report(full)
    )
    record_event(action=AuditAction.HEAD_CONFIRM, user=user, report=report, version=report.version)
    return confirmation


@transaction.atomic
def submit_report(*, report: Report, user) -> AuditEvent:
    """A unit with a 主管部门 submits to it (主管部门审核中); any other department to its finance bureau."""
    _require_department(user, report)
    if report.status not in EDITABLE_STATUSES:
        raise WorkflowError(f"报告当前状态为「{report.get_status_display()}」，不能提交。")
    blockers = submission_blockers(report)
    if blockers:
        raise WorkflowError("不能提交：" + " ".join(blockers))
    name = "submit_to_supervisor" if report.department.parent_id else "submit"
    return _transition(report, user=user, name=name, action=AuditAction.SUBMIT)


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
    """The bureau returns a submitted report; the 主管部门's reviewer returns one waiting with them. Either way
    a return round with pinned reasons, answered by the unit and marked resolved by whoever returned it."""
    if access.is_supervisor_of(user, report):
        name, action = "supervisor_return", AuditAction.SUPERVISOR_RETURN
    else:
        _require_reviewer(user, report)
        name, action = "return", AuditAction.RETURN
    reasons = _clean_reasons(reasons)
    summary = "；".join(f"{r.label or '整份报告'}：{r.text.strip()}" for r in reasons)
    event = _transition(report, user=user, name=name, action=action, reason=summary)
    return _open_round(report, user=user, event=event, reasons=reasons)


def open_supervisor_reasons(report: Report):
    """Reasons of the 主管部门's returns not yet marked resolved (by the 主管部门)."""
    return open_reasons(report).filter(round__event__action=AuditAction.SUPERVISOR_RETURN)


@transaction.atomic
def forward_report(*, report: Report, user, opinion: str) -> AuditEvent:
    """The 主管部门's reviewer sends the unit's report on to the finance bureau with their opinion (the
    event's reason, which the unit and the bureau read in 历史记录)."""
    _require_supervisor(user, report)
    opinion = (opinion or "").strip()
    if not opinion:
        raise WorkflowError("报送财政部门须填写主管部门审核意见。")
    trouble = problem("workflow.ReturnReason.reply", opinion)
    if trouble:
        raise WorkflowError(f"主管部门审核意见{trouble}。")
    remaining = open_supervisor_reasons(report).count()
    if remaining:
        raise WorkflowError(f"尚有 {remaining} 条主管部门退回意见未标记为已解决，不能报送。")
    return _transition(report, user=user, name="forward", action=AuditAction.FORWARD, reason=opinion)


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


@transaction.atomic
def reply_to_reason(*, reason: ReturnReason, user, text: str, expected_version: int) -> None:
    """The department answers a return reason (blank clears the answer). A write to the report like any
    other: it claims the version the page showed, so it needs the report back with the department and voids a
    head confirmation."""
    report = reason.round.report
    _require_department(user, report)
    text = (text or "").strip()
    trouble = problem("workflow.ReturnReason.reply", text)
    if trouble:
        raise WorkflowError(f"答复{trouble}。")
    try:
        claim_version(report, user=user, expected_version=expected_version)
    except ReportLocked as exc:
        raise WorkflowError(str(exc)) from None
    except VersionConflict:
        raise WorkflowError("您打开本页之后报告已被修改，答复未保存，请重新加载页面后再答复。") from None
    ReturnReason.objects.filter(pk=reason.pk).update(
        reply=text, replied_at=timezone.now() if text else None, replied_by=user if text else None
    )


def open_reasons(report: Report):
    return ReturnReason.objects.filter(round__report=report, resolved_at__isnull=True)


@transaction.atomic
def resolve_reason(*, reason: ReturnReason, user) -> None:
    report = reason.round.report
    if not access.is_supervisor_of(user, report):
        _require_reviewer(user, report)
    if not access.may_resolve(user, report):
        raise WorkflowError("只有重新提交后的报告才能标记退回意见已解决。")
    if access.is_supervisor_of(user, report) and reason.round.event.action != AuditAction.SUPERVISOR_RETURN:
        raise WorkflowError("财政部门的退回意见由财政部门标记解决。")
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
def approve_report(*, report: Report, user, note: str = "") -> AuditEvent:
    """``note`` is the 审核意见, kept as the reason of the approval's audit event: history shows it to the
    department."""
    _require_reviewer(user, report)
    note = (note or "").strip()
    trouble = problem("workflow.ReturnReason.reply", note)  # a note: the bound of the department's reply
    if trouble:
        raise WorkflowError(f"审核意见{trouble}。")
    remaining = open_reasons(report).count()
    if remaining:
        raise WorkflowError(f"尚有 {remaining} 条退回意见未标记为已解决，不能审核通过。")
    with _undone_on_failure(report):
        event = _transition(report, user=user, name="approve", action=AuditAction.APPROVE, reason=note)
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
    """Side effects of approval (publishing: freeze an immutable snapshot; its final PDF is rendered in a
    background task once the transaction commits)."""
    for callback in _callbacks["approve"]:
        callback(report=report, user=user)


@transaction.atomic
def publish_report(
    *, report: Report, user, change_note: str = "", published_where: str = "", public_date=None
) -> AuditEvent:
    _require_reviewer(user, report)
    with _undone_on_failure(report):
        event = _transition(report, user=user, name="publish", action=AuditAction.PUBLISH, reason=change_note)
        _after_publish(
            report, user, change_note=change_note, published_where=published_where, public_date=public_date
        )
    return event


def _after_publish(report: Report, user, **publication) -> None:
    """Side effects of publication (publishing: a new public version, masked data now, masked PDF in a task).
    A refusal there (no snapshot, a correction without its note) undoes the transition with it."""
    for callback in _callbacks["publish"]:
        callback(report=report, user=user, **publication)


@transaction.atomic
def reopen_for_correction(*, report: Report, user, reason: str) -> ReturnRound:
    """A correction after publication: the report goes back to the department as a new version."""
    _require_reviewer(user, report)
    if not reason.strip():
        raise WorkflowError("公开后退回更正须填写原因。")
    event = _transition(report, user=user, name="reopen", action=AuditAction.REOPEN, reason=reason.strip())
    return _open_round(report, user=user, event=event, reasons=[PinnedReason(text=reason)])


@transaction.atomic
def reset_report(*, report: Report, user, payload: dict, reason: str) -> AuditEvent:
    """Overwrite the report with ``payload`` (an open-data payload) and make it a draft again, from any status:
    for the demo's ``load_demo --reset``, which refuses a submitted or later report unless forced. Snapshots
    and published versions stay as they were; the audit log says who reset it and why."""
    event = _transition(report, user=user, name="reset", action=AuditAction.RESET, reason=reason)
    import_report(payload, report=report)
    return event


# ---------------------------------------------------------------- filing periods and carry-forward


def _require_administrator(user, message: str) -> None:
    """``user`` None is the command line (``open_period``): whoever runs it operates the server."""
    if user is not None and not access.is_administrator(user):
        raise WorkflowError(message)


def rule_pack_warnings(
    *, rule_pack: RulePack, year: int, bureau, kind: str = FilingKind.DEPARTMENT
) -> list[str]:
    """Why ``rule_pack`` may be the wrong one for ``bureau``'s period of ``year`` and ``kind``: made for other
    years, for another kind of filing, for another region than the bureau's, or for another region than the pack
    of the bureau's latest earlier period of that kind. Opening the period anyway needs a confirmation."""
    previous = (
        FilingPeriod.objects.filter(bureau=bureau, year__lt=year, kind=kind)
        .select_related("rule_pack")
        .order_by("-year")
        .first()
    )
    return pack_mismatches(
        rule_pack.rules(),
        year=year,
        kind=kind,
        previous=previous.rule_pack.rules() if previous else None,
        previous_year=previous.year if previous else None,
        region=bureau.region,
    )


@transaction.atomic
def open_period(
    *,
    user,
    year: int,
    deadline: date,
    rule_pack: RulePack,
    departments,
    kind: str = FilingKind.DEPARTMENT,
    requires_head_confirmation: bool = False,
    carry_from: str = CARRY_APPROVED,
    pack_confirmed: bool = False,
    bureau=None,
    remind_days_before: int | None = None,
) -> FilingPeriod:
    """Open ``bureau``'s filing period of ``kind`` (default bureau: the administrator's own) and create each
    department's draft (``create_draft``). The departments must be the bureau's, the rule pack shared or the
    bureau's. A rule pack made for other years, another kind or region (``rule_pack_warnings``) is refused
    unless ``pack_confirmed``."""
    _require_administrator(user, "只有财政局管理员可以开启填报期。")
    if kind not in FilingKind.values:
        raise WorkflowError(f"没有填报类别 {kind!r}。")
    label = FilingKind(kind).label
    if bureau is None:
        bureau = getattr(user, "bureau", None)
    if bureau is None:
        raise WorkflowError("请指定开启填报期的财政部门。")
    if user is not None and not user.is_superuser and bureau.pk != user.bureau_id:
        raise WorkflowError("只能为本财政部门开启填报期。")
    if FilingPeriod.objects.filter(bureau=bureau, year=year, kind=kind).exists():
        raise WorkflowError(f"{year} 年度{label}填报期已存在。")
    if rule_pack.bureau_id is not None and rule_pack.bureau_id != bureau.pk:
        raise WorkflowError(f"规则包「{rule_pack.name}」属于其他财政部门，不能使用。")
    departments = list(departments)
    strangers = [d.name for d in departments if d.bureau_id != bureau.pk]
    if strangers:
        raise WorkflowError(f"以下单位不属于{bureau.name}，不能列入本填报期：{'、'.join(strangers)}。")
    warnings = rule_pack_warnings(rule_pack=rule_pack, year=year, bureau=bureau, kind=kind)
    if warnings and not pack_confirmed:
        raise RulePackNotConfirmed(warnings)
    period = FilingPeriod.objects.create(
        bureau=bureau,
        year=year,
        kind=kind,
        deadline=deadline,
        rule_pack=rule_pack,
        requires_head_confirmation=requires_head_confirmation,
        **({} if remind_days_before is None else {"remind_days_before": remind_days_before}),
    )
    period.departments.set(departments)
    create_period_reports(period=period, user=user, carry_from=carry_from)
    record_event(
        action=AuditAction.OPEN_PERIOD,
        user=user,
        reason=f"{bureau.name} {year} 年度{label}，截止 {deadline.isoformat()}，{len(departments)} 个单位",
        details={
            "bureau": bureau.code,
            "year": year,
            "kind": kind,
            "departments": [d.code for d in departments],
            "carry_from": carry_from,
            "rule_pack_warnings": warnings,
        },
    )
    return period


class RulePackNotConfirmed(WorkflowError):
    """The rule pack was made for other years, another kind or region and the administrator has not confirmed it."""

    def __init__(self, warnings: list[str]):
        self.warnings = warnings
        super().__init__("；".join(warnings) + "。确认无误后请勾选确认再开启。")


@transaction.atomic
def create_period_reports(*, period: FilingPeriod, user, carry_from: str = CARRY_APPROVED) -> list[Report]:
    """A draft for every department of the period that has none yet (also used by the admin after a period is
    created or departments are added there)."""
    _require_administrator(user, "只有财政局管理员可以创建填报报告。")
    have = set(Report.objects.filter(period=period).values_list("department_id", flat=True))
    return [
        create_draft(period=period, department=department, user=user, carry_from=carry_from)
        for department in period.departments.exclude(pk__in=have).order_by("code")
    ]


@transaction.atomic
def create_draft(*, period: FilingPeriod, department, user, carry_from: str = CARRY_APPROVED) -> Report:
    """One department's new report: the full skeleton, carried forward (``filing.creation.create_report``)."""
    _require_administrator(user, "只有财政局管理员可以创建填报报告。")
    report, previous = create_report(department=department, period=period, user=user, carry_from=carry_from)
    record_event(
        action=AuditAction.CREATE,
        user=user,
        report=report,
        status_to=Status.DRAFT,
        version=report.version,
        details={"carried_from": previous.pk if previous else None},
    )
    return report


def previous_report(report: Report) -> Report | None:
    """The report ``report`` was (or would be) carried forward from: the department's last approved one."""
    return creation_previous_report(
        department=report.department, year=report.period.year, kind=report.period.kind
    )


def differences_from_last_year(report: Report, previous: Report) -> list[Change]:
    """What the preparer should look at: what :func:`carry_forward` takes from last year's approved report (and
    实际在职人数), as that report has it against this report now. Both loaded with ``reports_with_parts``."""
    year = report.period.year
    last = _carried(export_report(previous), year=year, column="final")
    now = _carried(export_report(report), year=year, column="prior_final")
    return diff_payloads(last, now, report.period.rule_pack.rules())


def _carried(payload: dict, *, year: int, column: str) -> dict:
    """The carried part of a payload, with ``column`` (last year's 本年决算数, this year's 上年决算数) as the
    上年决算数 column."""
    att1 = payload["attachment1"]
    return {
        "year": year,
        "text": {name: payload["text"].get(name) for name in CARRIED_TEXTS},
        "attachment1": {
            "staff_quota": att1["staff_quota"],
            "staff_actual": att1["staff_actual"],
            "expenses": {
                code: {"prior_final": amounts.get(column)}
                for code, amounts in att1["expenses"].items()
                if catalogue.EXPENSE_ITEMS_BY_CODE[code].has_prior
            },
            "special_rows": [{"name": r["name"], "prior_final": r.get(column)} for r in att1["special_rows"]],
        },
        "attachment2": carried_card(payload.get("attachment2")),
        "projects": [
            {"name": p["name"], "category": p["category"], "attachment3": carried_card(p.get("attachment3"))}
            for p in payload["projects"]
        ],
    }
