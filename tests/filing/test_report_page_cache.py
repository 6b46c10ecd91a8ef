"""The report page's buttons are kept per version and the viewer's answers (workflow.report_actions_key): each
viewer still gets their own buttons and their own CSRF token."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from perfeval.filing.models import Report, Status

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.mark.parametrize("first", ["preparer", "reviewer"])
def test_each_viewer_gets_their_own_buttons_whoever_came_first(demo_report, preparer, reviewer, first):
    url = reverse("report_detail", args=[demo_report.pk])
    clients = {}
    for name, user in (("preparer", preparer), ("reviewer", reviewer)):
        clients[name] = Client()
        clients[name].force_login(user)
    order = [first, *(name for name in clients if name != first)]
    pages = {name: clients[name].get(url).content.decode() for name in order}
    assert 'data-testid="edit-link"' in pages["preparer"]
    assert 'data-testid="excel-import"' in pages["preparer"]
    assert 'data-testid="edit-link"' not in pages["reviewer"]
    assert 'data-testid="excel-import"' not in pages["reviewer"]


def test_the_withdraw_form_carries_each_sessions_own_token(demo_report, preparer):
    """The one form among the buttons (撤回, while submitted): each session of the department gets a token of
    its own."""
    Report.objects.filter(pk=demo_report.pk).update(status=Status.SUBMITTED)
    url = reverse("report_detail", args=[demo_report.pk])
    tokens = []
    for _ in range(2):
        client = Client()
        client.force_login(preparer)
        page = client.get(url).content.decode()
        assert 'data-testid="withdraw"' in page
        tokens.append(set(TOKEN.findall(page)))
    assert tokens[0] and tokens[1] and not tokens[0] & tokens[1]
    assert "perfeval-csrf" not in page


def test_a_status_change_shows_new_buttons(demo_report, preparer):
    url = reverse("report_detail", args=[demo_report.pk])
    client = Client()
    client.force_login(preparer)
    assert 'data-testid="edit-link"' in client.get(url).content.decode()
    Report.objects.filter(pk=demo_report.pk).update(status=Status.APPROVED, version=demo_report.version + 1)
    page = client.get(url).content.decode()
    assert 'data-testid="edit-link"' not in page
    assert 'data-testid="pdf-final"' in page
