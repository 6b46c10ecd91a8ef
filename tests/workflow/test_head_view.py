"""The head's own view through the real views: 待确认 on the home page, the confirm page with what changed since
their last confirmation, and no confirmation while an error remains."""

import pytest
from django.test import Client

from perfeval.editing.services import save_report_fields
from perfeval.filing.models import Report
from perfeval.workflow import services
from perfeval.workflow.models import HeadConfirmation


@pytest.fixture
def head_client(head):
    client = Client()
    client.force_login(head)
    return client


@pytest.fixture
def asks_head(ready_report):
    ready_report.period.requires_head_confirmation = True
    ready_report.period.save()
    return ready_report


def _confirm(client, report):
    return client.post(f"/reports/{report.pk}/confirm/", {"version": report.version}, follow=True)


def test_head_home_lists_reports_awaiting_confirmation_until_confirmed(
    asks_head, head_client, preparer_client
):
    home = head_client.get("/")
    assert [
        r.pk for r in home.context["reports"]
    ] and 'data-testid="awaiting-confirmation"' in home.content.decode()
    waiting = list(services.awaiting_head_confirmation(asks_head.department.users.get(role="head")))
    assert [r.pk for r in waiting] == [asks_head.pk]
    assert f'href="/reports/{asks_head.pk}/confirm/" data-testid="open-confirm"' in home.content.decode()
    assert 'data-testid="awaiting-confirmation"' not in preparer_client.get("/").content.decode()
    _confirm(head_client, asks_head)
    assert 'data-testid="awaiting-confirmation"' not in head_client.get("/").content.decode()


def test_head_home_lists_nothing_when_the_period_does_not_ask(ready_report, head, head_client):
    assert not ready_report.period.requires_head_confirmation
    assert list(services.awaiting_head_confirmation(head)) == []
    assert 'data-testid="awaiting-confirmation"' not in head_client.get("/").content.decode()


def test_confirm_page_shows_changes_since_the_last_confirmation(asks_head, head, preparer, head_client):
    first = head_client.get(f"/reports/{asks_head.pk}/confirm/")
    assert (first.context["last"], first.context["changes"]) == (None, None)
    confirmed = _confirm(head_client, asks_head)
    assert [str(m) for m in confirmed.context["messages"]] == [
        f"已确认第 {asks_head.version} 版。之后如有修改须重新确认。"
    ]
    assert confirmed.context["changes"] == []
    assert (
        HeadConfirmation.objects.get(report=asks_head).snapshot["text"]["s8_measures"]
        == asks_head.s8_measures
    )
    save_report_fields(
        report=asks_head,
        expected_version=asks_head.version,
        user=preparer,
        values={"s8_measures": "新的改进措施"},
    )
    page = head_client.get(f"/reports/{asks_head.pk}/confirm/")
    assert page.context["confirmed_now"] is False
    assert [(c.old, c.new) for c in page.context["changes"]] == [(asks_head.s8_measures, "新的改进措施")]
    assert 'data-testid="head-confirm"' in page.content.decode()


def test_confirmation_is_refused_while_errors_remain(demo_report, head_client):
    demo_report.period.requires_head_confirmation = True
    demo_report.period.save()
    page = head_client.get(f"/reports/{demo_report.pk}/confirm/")
    errors = page.context["errors"]
    assert errors
    response = _confirm(head_client, demo_report)
    first = errors[0]
    assert [str(m) for m in response.context["messages"]] == [
        f"报告尚有 {len(errors)} 个错误未修正（例如：{first.place.label}：{first.message}），请填报人修正后再确认。"
    ]
    assert HeadConfirmation.objects.filter(report=demo_report).count() == 0


def test_preparer_is_not_offered_the_head_confirmation(asks_head, preparer_client, head_client):
    report_page = preparer_client.get(f"/reports/{asks_head.pk}/").content.decode()
    assert 'data-testid="open-confirm"' not in report_page
    assert (
        'data-testid="head-confirm"'
        not in preparer_client.get(f"/reports/{asks_head.pk}/confirm/").content.decode()
    )
    assert 'data-testid="open-confirm"' in head_client.get(f"/reports/{asks_head.pk}/").content.decode()
    refused = _confirm(preparer_client, asks_head)
    assert [str(m) for m in refused.context["messages"]] == ["只有单位负责人可以确认报告。"]
    assert Report.objects.get(pk=asks_head.pk).version == asks_head.version
