"""The review conversation through the real views: return reasons on the edit tabs with the department's
replies, the warnings' explanations on the reviewer's pages, approval with its 审核意见, the submit page's
links to the places of its errors."""

from perfeval.filing.models import FindingExplanation, Report, Status
from perfeval.workflow import services
from perfeval.workflow.models import AuditEvent, ReturnReason

CELL = services.PinnedReason("请核对三公经费", "att1", "sangong", "final", "附件1 · 三公经费 · 2023年决算数")
SECTION = services.PinnedReason("第九部分太简略", "text", "s9", "", "九、绩效评价结果应用情况")


def _returned(report, preparer, reviewer, *reasons):
    services.submit_report(report=report, user=preparer)
    services.return_report(report=report, user=reviewer, reasons=list(reasons or (CELL,)))
    report.refresh_from_db()
    return ReturnReason.objects.filter(round__report=report)


def _reply(client, report, reason, text, version=None):
    """Post a reply from the 附件1 tab; return the response of the page it goes back to."""
    tab = f"/reports/{report.pk}/edit/attachment1/"
    return client.post(
        f"/reports/{report.pk}/reasons/{reason.pk}/reply/",
        {"reply": text, "version": version if version is not None else report.version, "next": tab},
        follow=True,
    )


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_edit_tab_shows_its_reasons_beside_their_fields(ready_report, preparer, reviewer, preparer_client):
    _returned(ready_report, preparer, reviewer, CELL, SECTION)
    att1 = preparer_client.get(f"/reports/{ready_report.pk}/edit/attachment1/")
    listed = [r.place_key for r in att1.context["reasons"]]
    assert listed == ["att1|sangong|final"]
    html = att1.content.decode()
    row = html[html.index('id="p-att1-sangong"') :]
    assert row.index('data-testid="pinned-reason"') < row.index("</tr>")
    assert f'href="/reports/{ready_report.pk}/edit/attachment1/#p-att1-sangong-final"' in html
    text = preparer_client.get(f"/reports/{ready_report.pk}/edit/text/")
    assert [r.text for r in text.context["reasons"]] == ["第九部分太简略"]
    section = text.content.decode()
    section = section[section.index('data-section="s9"') :]
    assert section.index("第九部分太简略") < section.index("</section>")


def test_reply_is_saved_claims_the_version_and_returns_to_the_tab(
    ready_report, preparer, reviewer, preparer_client
):
    reason = _returned(ready_report, preparer, reviewer).get()
    before = ready_report.version
    response = _reply(preparer_client, ready_report, reason, "  已与公务接待核对并改正  ")
    assert response.redirect_chain == [(f"/reports/{ready_report.pk}/edit/attachment1/", 302)]
    assert _messages(response) == ["答复已保存，审核人会看到。"]
    assert "已与公务接待核对并改正" in response.content.decode()
    reason.refresh_from_db()
    assert (reason.reply, reason.replied_by) == ("已与公务接待核对并改正", preparer)
    assert Report.objects.get(pk=ready_report.pk).version == before + 1


def test_reply_from_a_stale_page_is_refused_and_nothing_is_saved(
    ready_report, preparer, reviewer, preparer_client
):
    reason = _returned(ready_report, preparer, reviewer).get()
    response = _reply(
        preparer_client, ready_report, reason, "旧页面上的答复", version=ready_report.version - 1
    )
    assert _messages(response) == ["您打开本页之后报告已被修改，答复未保存，请重新加载页面后再答复。"]
    assert ReturnReason.objects.get(pk=reason.pk).reply == ""


def test_reply_too_long_or_with_control_characters_is_refused(
    ready_report, preparer, reviewer, preparer_client
):
    reason = _returned(ready_report, preparer, reviewer).get()
    for text, message in (
        ("长" * 2001, "答复长度 2001 字，超过上限 2000 字。"),
        ("答复\x00", "答复含有不允许的控制字符（U+0000），请删除后再保存。"),
    ):
        response = _reply(preparer_client, ready_report, reason, text)
        assert _messages(response) == [message]
    assert Report.objects.get(pk=ready_report.pk).version == ready_report.version
    assert ReturnReason.objects.get(pk=reason.pk).reply == ""


def test_reply_after_resubmission_is_refused(ready_report, preparer, reviewer, preparer_client):
    reason = _returned(ready_report, preparer, reviewer).get()
    services.submit_report(report=ready_report, user=preparer)
    response = _reply(preparer_client, ready_report, reason, "晚了")
    assert _messages(response) == ["报告当前状态为「已提交」，已锁定，不能修改。"]
    assert ReturnReason.objects.get(pk=reason.pk).reply == ""


def test_another_department_cannot_reply(ready_report, preparer, reviewer, other_client):
    reason = _returned(ready_report, preparer, reviewer).get()
    assert _reply(other_client, ready_report, reason, "不是我的").status_code == 404
    assert ReturnReason.objects.get(pk=reason.pk).reply == ""


def test_reviewer_reads_the_replies_on_changes_and_report_page(
    ready_report, preparer, reviewer, preparer_client, reviewer_client
):
    reason = _returned(ready_report, preparer, reviewer).get()
    _reply(preparer_client, ready_report, reason, "已改正公务接待")
    ready_report.refresh_from_db()
    services.submit_report(report=ready_report, user=preparer)
    changes = reviewer_client.get(f"/reports/{ready_report.pk}/changes/").content.decode()
    assert "已改正公务接待" in changes[changes.index('data-testid="round-reasons"') :]
    page = reviewer_client.get(f"/reports/{ready_report.pk}/").content.decode()
    reasons = page[page.index('data-testid="return-reasons"') :]
    assert "单位答复（" in reasons and "已改正公务接待" in reasons


def test_reviewer_sees_each_warning_with_its_explanation(
    ready_report, preparer, reviewer_client, preparer_client
):
    explained = dict(
        ((e.code, e.place), e.text) for e in FindingExplanation.objects.filter(report=ready_report)
    )
    assert explained
    services.submit_report(report=ready_report, user=preparer)
    for url in (f"/reports/{ready_report.pk}/return/", f"/reports/{ready_report.pk}/approve/"):
        response = reviewer_client.get(url)
        assert response.content.decode().count('data-testid="warning-explanation"') == len(explained)
        shown = response.context["warnings"]
        assert shown and all(text for _, text in shown)
        assert sorted(text for _, text in shown) == sorted(explained.values())
    page = reviewer_client.get(f"/reports/{ready_report.pk}/").content.decode()
    assert page.count('data-testid="warning-explanation"') == len(explained)
    for text in explained.values():
        assert text in page
    assert (
        'data-testid="warning-explanations"'
        not in preparer_client.get(f"/reports/{ready_report.pk}/").content.decode()
    )


def test_approve_keeps_its_note_and_the_department_reads_it_in_history(
    ready_report, preparer, reviewer_client, preparer_client
):
    services.submit_report(report=ready_report, user=preparer)
    url = f"/reports/{ready_report.pk}/approve/"
    empty = reviewer_client.post(url, {"note": " ", "confirmed": "on"})
    assert empty.context["form"].errors == {"note": ["请填写审核意见。"]}
    assert reviewer_client.post(url, {"note": "同意。绩效目标完成良好", "confirmed": "on"}).status_code == 302
    assert Report.objects.get(pk=ready_report.pk).status == Status.APPROVED
    event = AuditEvent.objects.get(report=ready_report, action="approve")
    assert event.reason == "同意。绩效目标完成良好"
    history = preparer_client.get(f"/reports/{ready_report.pk}/history/").content.decode()
    row = history[history.index('data-action="approve"') :]
    assert row.index("同意。绩效目标完成良好") < row.index("</tr>")


def test_approve_note_is_bounded_in_the_service(ready_report, preparer, reviewer):
    services.submit_report(report=ready_report, user=preparer)
    try:
        services.approve_report(report=ready_report, user=reviewer, note="意见\x07")
    except services.WorkflowError as exc:
        message = str(exc)
    assert message == "审核意见含有不允许的控制字符（U+0007），请删除后再保存。"
    assert Report.objects.get(pk=ready_report.pk).status == Status.SUBMITTED


def test_submit_page_links_each_error_to_its_field(demo_report, preparer_client):
    page = preparer_client.get(f"/reports/{demo_report.pk}/submit/")
    errors = page.context["errors"]
    assert errors
    html = page.content.decode()
    assert html.count('data-testid="error-link"') == len(errors)
    sangong = next(f for f in errors if f.place.table == "att1")
    anchor = "-".join(p for p in ("p", sangong.place.table, sangong.place.row, sangong.place.column) if p)
    assert f'href="/reports/{demo_report.pk}/edit/attachment1/#{anchor}"' in html


def test_report_page_buttons_open_the_confirmation_steps(ready_report, preparer, reviewer_client):
    services.submit_report(report=ready_report, user=preparer)
    page = reviewer_client.get(f"/reports/{ready_report.pk}/").content.decode()
    assert f'href="/reports/{ready_report.pk}/approve/" data-testid="approve"' in page
    assert reviewer_client.get(f"/reports/{ready_report.pk}/approve/").status_code == 200
    # Nothing happens on the way there.
    assert Report.objects.get(pk=ready_report.pk).status == Status.SUBMITTED
