"""Every write claims the version, and a reviewer's look at any page of a submitted report ends withdrawal
(issue 15, reproductions 7 and 8)."""

import pytest
from django.db.models import F
from django.urls import reverse

from perfeval.filing.models import Report, Status
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent, HeadConfirmation


@pytest.fixture
def confirmed(ready_report, head):
    """A report of a period that asks for the head's confirmation, confirmed at its current version."""
    ready_report.period.requires_head_confirmation = True
    ready_report.period.save()
    services.confirm_as_head(report=ready_report, user=head, expected_version=ready_report.version)
    return ready_report


def _explain(client, report, version, text="已核实，情况属实。"):
    explanation = report.explanations.order_by("id").first()
    return client.post(
        reverse("editing:explain", args=[report.pk]),
        {"code": explanation.code, "place": explanation.place, "text": text, "version": version},
        follow=True,
    )


def test_explanation_edited_on_the_submit_page_voids_the_head_confirmation(
    confirmed, preparer, preparer_client
):
    assert services.head_confirmation_valid(confirmed)
    response = _explain(preparer_client, confirmed, confirmed.version)
    assert [str(m) for m in response.context["messages"]] == ["说明已保存。"]
    report = Report.objects.get(pk=confirmed.pk)
    assert report.version == confirmed.version + 1
    assert not services.head_confirmation_valid(report)
    assert "本填报期要求单位负责人确认当前版本后才能提交。" in services.submission_blockers(report)
    with pytest.raises(services.WorkflowError, match="单位负责人确认"):
        services.submit_report(report=report, user=preparer)


def test_explanation_from_a_stale_page_is_refused_and_its_text_shown(ready_report, preparer_client):
    before = list(ready_report.explanations.values_list("text", flat=True))
    Report.objects.filter(pk=ready_report.pk).update(version=F("version") + 1)  # someone saved meanwhile
    response = _explain(preparer_client, ready_report, ready_report.version, text="旧页面上写的说明")
    assert [str(m) for m in response.context["messages"]] == [
        "说明未保存：在您打开本页之后报告已被修改。请重新加载本页再填写；您填写的说明是：「旧页面上写的说明」"
    ]
    assert list(ready_report.explanations.values_list("text", flat=True)) == before
    assert Report.objects.get(pk=ready_report.pk).version == ready_report.version + 1


def test_head_cannot_confirm_a_version_changed_since_the_page(ready_report, head, client):
    ready_report.period.requires_head_confirmation = True
    ready_report.period.save()
    client.force_login(head)
    seen = ready_report.version
    Report.objects.filter(pk=ready_report.pk).update(version=F("version") + 1)  # the preparer saved meanwhile
    response = client.post(
        reverse("workflow:confirm", args=[ready_report.pk]), {"version": seen}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"您打开本页之后报告已被修改（当前为第 {seen + 1} 版），请查看修改后的内容再确认。"
    ]
    assert HeadConfirmation.objects.filter(report=ready_report).count() == 0
    page = client.get(reverse("workflow:submit", args=[ready_report.pk]))
    assert f'name="version" value="{seen + 1}"' in page.content.decode()


REVIEWER_PAGES = [
    ("editing:check", "检查"),
    ("editing:overview", "编辑概览"),
    ("workflow:changes", "退回后的修改"),
    ("workflow:last_year", "与上年比较"),
    ("workflow:history", "历史记录"),
    ("workflow:return", "退回表单"),
    ("publishing:report_pdf_draft", "草稿 PDF"),
    ("excel:download", "下载Excel"),
]


@pytest.mark.parametrize(("name", "label"), REVIEWER_PAGES, ids=[n for n, _ in REVIEWER_PAGES])
def test_withdraw_refused_once_a_reviewer_opened_any_page(
    ready_report, preparer, reviewer_client, name, label
):
    services.submit_report(report=ready_report, user=preparer)
    # The workbook is made by a job: its URL sends the reviewer to the job's page.
    expected = 302 if name == "excel:download" else 200
    assert reviewer_client.get(reverse(name, args=[ready_report.pk])).status_code == expected, label
    opened = AuditEvent.objects.filter(report=ready_report, action=AuditAction.OPENED)
    assert list(opened.values_list("actor__username", flat=True)) == ["reviewer"]
    with pytest.raises(services.WorkflowError, match="审核人已开始审核"):
        services.withdraw_report(report=ready_report, user=preparer)
    assert Report.objects.get(pk=ready_report.pk).status == Status.SUBMITTED


def test_a_second_look_records_nothing_more(ready_report, preparer, reviewer_client):
    services.submit_report(report=ready_report, user=preparer)
    for name in ("workflow:history", "editing:check", "report_detail"):
        reviewer_client.get(reverse(name, args=[ready_report.pk]))
    assert AuditEvent.objects.filter(report=ready_report, action=AuditAction.OPENED).count() == 1


def test_department_pages_do_not_count_as_opened(ready_report, preparer, preparer_client):
    services.submit_report(report=ready_report, user=preparer)
    for name in ("workflow:history", "editing:check", "report_detail", "publishing:report_pdf_draft"):
        preparer_client.get(reverse(name, args=[ready_report.pk]))
    services.withdraw_report(report=ready_report, user=preparer)
    assert Report.objects.get(pk=ready_report.pk).status == Status.DRAFT


def test_explanation_over_its_bound_is_refused_with_the_reason(ready_report, preparer_client):
    texts = list(ready_report.explanations.values_list("text", flat=True))
    response = _explain(preparer_client, ready_report, ready_report.version, text="说" * 2001)
    assert [str(m) for m in response.context["messages"]] == ["说明未保存：长度 2001 字，超过上限 2000 字"]
    assert list(ready_report.explanations.values_list("text", flat=True)) == texts
    assert Report.objects.get(pk=ready_report.pk).version == ready_report.version
