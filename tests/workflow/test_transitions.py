"""Every transition, allowed and refused, by status and role; and what each one records."""

import pytest
from django.db.models import F

from perfeval.filing.models import Report, Status
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent, HeadConfirmation, ReturnRound

# lusong_reviewer: the district bureau's, below the city bureau that owns the demo; zzmzj_supervisor: the
# 主管部门 reviewer of another department's units.
ROLES = (
    "zzxfj_preparer",
    "zzxfj_head",
    "zzmzj_preparer",
    "reviewer",
    "admin",
    "lusong_reviewer",
    "zzmzj_supervisor",
)
DEPARTMENT = {"zzxfj_preparer", "zzxfj_head"}
BUREAU = {"reviewer", "admin"}
REASON = [
    services.PinnedReason("三公经费合计有误", "att1", "sangong", "final", "附件1 · 三公经费 · 2023年决算数")
]

# action: (statuses it starts from, who may do it, the status it ends in)
TABLE = {
    "submit": ({Status.DRAFT, Status.RETURNED}, DEPARTMENT, Status.SUBMITTED),
    "withdraw": ({Status.SUBMITTED, Status.SUPERVISOR_REVIEW}, DEPARTMENT, Status.DRAFT),
    "return": ({Status.SUBMITTED}, BUREAU, Status.RETURNED),
    "approve": ({Status.SUBMITTED}, BUREAU, Status.APPROVED),
    "publish": ({Status.APPROVED}, BUREAU, Status.PUBLISHED),
    "reopen": ({Status.PUBLISHED}, BUREAU, Status.RETURNED),
}


def perform(action, report, user):
    if action == "forward":
        return services.forward_report(report=report, user=user, opinion="同意报送")
    if action == "submit":
        return services.submit_report(report=report, user=user)
    if action == "withdraw":
        return services.withdraw_report(report=report, user=user)
    if action == "return":
        return services.return_report(report=report, user=user, reasons=REASON)
    if action == "approve":
        return services.approve_report(report=report, user=user)
    if action == "publish":
        return services.publish_report(report=report, user=user)
    return services.reopen_for_correction(report=report, user=user, reason="数据更正")


def put_in(report, status):
    Report.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    if status == Status.APPROVED:  # approval always leaves a frozen snapshot behind (workflow._after_approve)
        from perfeval.publishing.services import freeze_report

        freeze_report(report=report, user=None)


CASES = [
    (action, status, role, status in TABLE[action][0] and role in TABLE[action][1])
    for action in TABLE
    for status in Status.values
    for role in ROLES
]


@pytest.mark.parametrize(("action", "status", "role", "allowed"), CASES)
def test_transition_by_status_and_role(ready_report, users, action, status, role, allowed):
    put_in(ready_report, status)
    version = ready_report.version
    if allowed:
        perform(action, ready_report, users[role])
        target = TABLE[action][2]
        assert Report.objects.get(pk=ready_report.pk).status == target
        event = AuditEvent.objects.get(report=ready_report)
        assert (event.status_from, event.status_to, event.version, event.actor) == (
            status,
            target,
            version + 1,
            users[role],
        )
    else:
        with pytest.raises(services.WorkflowError):
            perform(action, ready_report, users[role])
        assert Report.objects.get(pk=ready_report.pk).status == status
        assert AuditEvent.objects.filter(report=ready_report).count() == 0


# The unit under a 主管部门 (株洲市社会福利院 under 株洲市民政局): action → [(from statuses, who, to status)].
UNIT_ROLES = ("zzsfly_preparer", "zzmzj_preparer", "zzmzj_supervisor", "reviewer", "admin", "lusong_reviewer")
UNIT = {"zzsfly_preparer"}
SUPERVISOR = {"zzmzj_supervisor"}
UNIT_TABLE = {
    "submit": [({Status.DRAFT, Status.RETURNED}, UNIT, Status.SUPERVISOR_REVIEW)],
    "withdraw": [({Status.SUPERVISOR_REVIEW, Status.SUBMITTED}, UNIT, Status.DRAFT)],
    "forward": [({Status.SUPERVISOR_REVIEW}, SUPERVISOR, Status.SUBMITTED)],
    "return": [
        ({Status.SUPERVISOR_REVIEW}, SUPERVISOR, Status.RETURNED),
        ({Status.SUBMITTED}, BUREAU, Status.RETURNED),
    ],
    "approve": [({Status.SUBMITTED}, BUREAU, Status.APPROVED)],
    "publish": [({Status.APPROVED}, BUREAU, Status.PUBLISHED)],
    "reopen": [({Status.PUBLISHED}, BUREAU, Status.RETURNED)],
}
UNIT_ACTIONS = {
    "submit": AuditAction.SUBMIT,
    "withdraw": AuditAction.WITHDRAW,
    "forward": AuditAction.FORWARD,
    "approve": AuditAction.APPROVE,
    "publish": AuditAction.PUBLISH,
    "reopen": AuditAction.REOPEN,
}


def unit_outcome(action, status, role):
    """(the status it ends in, the audit action) when ``role`` may, else None."""
    for sources, roles, target in UNIT_TABLE[action]:
        if status in sources and role in roles:
            if action == "return":
                by_supervisor = status == Status.SUPERVISOR_REVIEW
                return target, AuditAction.SUPERVISOR_RETURN if by_supervisor else AuditAction.RETURN
            return target, UNIT_ACTIONS[action]
    return None


UNIT_CASES = [
    (action, status, role, unit_outcome(action, status, role))
    for action in UNIT_TABLE
    for status in Status.values
    for role in UNIT_ROLES
]


@pytest.mark.parametrize(("action", "status", "role", "outcome"), UNIT_CASES)
def test_unit_transition_by_status_and_role(unit_report, users, action, status, role, outcome):
    put_in(unit_report, status)
    version = unit_report.version
    if outcome is not None:
        perform(action, unit_report, users[role])
        target, audited = outcome
        assert Report.objects.get(pk=unit_report.pk).status == target
        event = AuditEvent.objects.get(report=unit_report)
        assert (event.action, event.status_from, event.status_to, event.version, event.actor) == (
            audited,
            status,
            target,
            version + 1,
            users[role],
        )
    else:
        with pytest.raises(services.WorkflowError):
            perform(action, unit_report, users[role])
        assert Report.objects.get(pk=unit_report.pk).status == status
        assert AuditEvent.objects.filter(report=unit_report).count() == 0


def test_forward_needs_an_opinion_and_keeps_it(unit_report, users):
    services.submit_report(report=unit_report, user=users["zzsfly_preparer"])
    with pytest.raises(services.WorkflowError, match="须填写主管部门审核意见"):
        services.forward_report(report=unit_report, user=users["zzmzj_supervisor"], opinion="  ")
    services.forward_report(
        report=unit_report, user=users["zzmzj_supervisor"], opinion="数据已核实，同意报送。"
    )
    assert list(
        AuditEvent.objects.filter(report=unit_report).values_list("action", "status_to", "reason")
    ) == [
        ("submit", "supervisor_review", ""),
        ("forward", "submitted", "数据已核实，同意报送。"),
    ]


def test_supervisor_return_then_resubmit_then_forward_and_approve(unit_report, users):
    """The whole road of a unit's report: to the 主管部门, back with a pinned reason, answered, again to the
    主管部门, which resolves its reason and forwards; the city bureau approves."""
    preparer, supervisor, reviewer = users["zzsfly_preparer"], users["zzmzj_supervisor"], users["reviewer"]
    services.submit_report(report=unit_report, user=preparer)
    round_ = services.return_report(report=unit_report, user=supervisor, reasons=REASON)
    assert (round_.returned_by, round_.event.action) == (supervisor, AuditAction.SUPERVISOR_RETURN)
    services.submit_report(report=unit_report, user=preparer)
    assert unit_report.status == Status.SUPERVISOR_REVIEW
    with pytest.raises(services.WorkflowError, match="1 条主管部门退回意见未标记为已解决"):
        services.forward_report(report=unit_report, user=supervisor, opinion="同意")
    with pytest.raises(services.WorkflowError):  # the bureau does not act before the 主管部门 forwarded it
        services.resolve_reason(reason=round_.reasons.get(), user=reviewer)
    services.resolve_reason(reason=round_.reasons.get(), user=supervisor)
    services.forward_report(report=unit_report, user=supervisor, opinion="同意")
    services.approve_report(report=unit_report, user=reviewer, note="审核通过")
    assert list(AuditEvent.objects.filter(report=unit_report).values_list("action", flat=True)) == [
        "submit",
        "supervisor_return",
        "submit",
        "resolve",
        "forward",
        "approve",
    ]
    assert Report.objects.get(pk=unit_report.pk).status == Status.APPROVED


def test_withdraw_refused_once_forwarded(unit_report, users):
    services.submit_report(report=unit_report, user=users["zzsfly_preparer"])
    services.forward_report(report=unit_report, user=users["zzmzj_supervisor"], opinion="同意")
    with pytest.raises(services.WorkflowError, match="审核人已开始审核"):
        services.withdraw_report(report=unit_report, user=users["zzsfly_preparer"])


def test_supervisor_does_not_resolve_the_bureaus_reasons(unit_report, users):
    preparer, supervisor, reviewer = users["zzsfly_preparer"], users["zzmzj_supervisor"], users["reviewer"]
    services.submit_report(report=unit_report, user=preparer)
    services.forward_report(report=unit_report, user=supervisor, opinion="同意")
    round_ = services.return_report(report=unit_report, user=reviewer, reasons=REASON)
    services.submit_report(report=unit_report, user=preparer)
    with pytest.raises(services.WorkflowError, match="由财政部门标记解决"):
        services.resolve_reason(reason=round_.reasons.get(), user=supervisor)
    services.forward_report(report=unit_report, user=supervisor, opinion="单位已按财政意见修改")
    services.resolve_reason(reason=round_.reasons.get(), user=reviewer)
    services.approve_report(report=unit_report, user=reviewer)
    assert Report.objects.get(pk=unit_report.pk).status == Status.APPROVED


def test_submit_refused_while_errors_remain(demo_report, preparer):
    with pytest.raises(services.WorkflowError) as exc:
        services.submit_report(report=demo_report, user=preparer)
    assert "个错误未修正" in str(exc.value)
    assert Report.objects.get(pk=demo_report.pk).status == Status.DRAFT


def test_submit_refused_while_a_warning_is_unexplained(ready_report, preparer):
    ready_report.explanations.first().delete()
    with pytest.raises(services.WorkflowError) as exc:
        services.submit_report(report=ready_report, user=preparer)
    assert "1 条提示未填写说明" in str(exc.value)


def test_submit_needs_head_confirmation_of_current_version(ready_report, preparer, head):
    ready_report.period.requires_head_confirmation = True
    ready_report.period.save()
    with pytest.raises(services.WorkflowError, match="单位负责人确认"):
        services.submit_report(report=ready_report, user=preparer)
    services.confirm_as_head(report=ready_report, user=head, expected_version=ready_report.version)
    # An edit after the confirmation (any save moves the version) voids it.
    Report.objects.filter(pk=ready_report.pk).update(version=F("version") + 1)
    ready_report.refresh_from_db()
    with pytest.raises(services.WorkflowError, match="单位负责人确认"):
        services.submit_report(report=ready_report, user=preparer)
    services.confirm_as_head(report=ready_report, user=head, expected_version=ready_report.version)
    services.submit_report(report=ready_report, user=preparer)
    assert ready_report.status == Status.SUBMITTED
    assert HeadConfirmation.objects.filter(report=ready_report).count() == 2


def test_confirm_refused_for_preparer(ready_report, preparer):
    with pytest.raises(services.WorkflowError, match="单位负责人"):
        services.confirm_as_head(report=ready_report, user=preparer, expected_version=ready_report.version)


def test_withdraw_refused_once_a_reviewer_opened_it(ready_report, preparer, reviewer, reviewer_client):
    services.submit_report(report=ready_report, user=preparer)
    reviewer_client.get(f"/reports/{ready_report.pk}/")
    with pytest.raises(services.WorkflowError, match="审核人已开始审核"):
        services.withdraw_report(report=ready_report, user=preparer)
    assert AuditEvent.objects.filter(report=ready_report, action=AuditAction.OPENED).count() == 1


def test_withdraw_allowed_before_a_reviewer_opened_it(ready_report, preparer, preparer_client):
    services.submit_report(report=ready_report, user=preparer)
    preparer_client.get(f"/reports/{ready_report.pk}/")
    services.withdraw_report(report=ready_report, user=preparer)
    assert Report.objects.get(pk=ready_report.pk).status == Status.DRAFT


def test_stale_version_loses_with_a_clear_message(ready_report, preparer, reviewer):
    services.submit_report(report=ready_report, user=preparer)
    stale = Report.objects.get(pk=ready_report.pk)
    services.approve_report(report=ready_report, user=reviewer)
    with pytest.raises(services.WorkflowError) as exc:
        services.return_report(report=stale, user=reviewer, reasons=REASON)
    assert (
        str(exc.value)
        == "报告已被他人处理或修改（当前状态「已审核通过」），本次退回未执行，请刷新页面后重试。"
    )
    assert list(AuditEvent.objects.filter(report=ready_report).values_list("action", flat=True)) == [
        "submit",
        "approve",
    ]


def test_return_requires_a_reason(ready_report, preparer, reviewer):
    services.submit_report(report=ready_report, user=preparer)
    with pytest.raises(services.WorkflowError, match="至少一条原因"):
        services.return_report(report=ready_report, user=reviewer, reasons=[services.PinnedReason("  ")])
    assert Report.objects.get(pk=ready_report.pk).status == Status.SUBMITTED


def test_return_keeps_pinned_reasons_and_a_snapshot(ready_report, preparer, reviewer):
    services.submit_report(report=ready_report, user=preparer)
    round_ = services.return_report(report=ready_report, user=reviewer, reasons=REASON)
    reason = round_.reasons.get()
    assert (reason.place_key, reason.label, reason.text) == (
        "att1|sangong|final",
        "附件1 · 三公经费 · 2023年决算数",
        "三公经费合计有误",
    )
    assert round_.snapshot["attachment1"]["expenses"]["sangong"]["final"] == "24.65"
    assert round_.event.reason == "附件1 · 三公经费 · 2023年决算数：三公经费合计有误"
    assert Report.objects.get(pk=ready_report.pk).is_editable


def test_approve_refused_until_every_reason_is_resolved(ready_report, preparer, reviewer):
    services.submit_report(report=ready_report, user=preparer)
    round_ = services.return_report(report=ready_report, user=reviewer, reasons=REASON)
    services.submit_report(report=ready_report, user=preparer)
    with pytest.raises(services.WorkflowError, match="1 条退回意见未标记为已解决"):
        services.approve_report(report=ready_report, user=reviewer)
    services.resolve_reason(reason=round_.reasons.get(), user=reviewer)
    services.approve_report(report=ready_report, user=reviewer)
    assert list(AuditEvent.objects.filter(report=ready_report).values_list("action", flat=True)) == [
        "submit",
        "return",
        "submit",
        "resolve",
        "approve",
    ]


def test_reopen_requires_a_reason_and_opens_a_round(ready_report, preparer, reviewer):
    services.submit_report(report=ready_report, user=preparer)
    services.approve_report(report=ready_report, user=reviewer)
    services.publish_report(report=ready_report, user=reviewer)
    with pytest.raises(services.WorkflowError, match="须填写原因"):
        services.reopen_for_correction(report=ready_report, user=reviewer, reason=" ")
    services.reopen_for_correction(report=ready_report, user=reviewer, reason="发现公用经费录入错误")
    assert ready_report.status == Status.RETURNED
    assert list(ReturnRound.objects.filter(report=ready_report).values_list("reasons__text", flat=True)) == [
        "发现公用经费录入错误"
    ]
