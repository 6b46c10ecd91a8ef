"""Every transition, allowed and refused, by status and role; and what each one records."""

import pytest
from django.db.models import F

from perfeval.filing.models import Report, Status
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent, HeadConfirmation, ReturnRound

ROLES = ("zzxfj_preparer", "zzxfj_head", "zzmzj_preparer", "reviewer", "admin")
DEPARTMENT = {"zzxfj_preparer", "zzxfj_head"}
BUREAU = {"reviewer", "admin"}
REASON = [
    services.PinnedReason("三公经费合计有误", "att1", "sangong", "final", "附件1 · 三公经费 · 2023年决算数")
]

# action: (statuses it starts from, who may do it, the status it ends in)
TABLE = {
    "submit": ({Status.DRAFT, Status.RETURNED}, DEPARTMENT, Status.SUBMITTED),
    "withdraw": ({Status.SUBMITTED}, DEPARTMENT, Status.DRAFT),
    "return": ({Status.SUBMITTED}, BUREAU, Status.RETURNED),
    "approve": ({Status.SUBMITTED}, BUREAU, Status.APPROVED),
    "publish": ({Status.APPROVED}, BUREAU, Status.PUBLISHED),
    "reopen": ({Status.PUBLISHED}, BUREAU, Status.RETURNED),
}


def perform(action, report, user):
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
