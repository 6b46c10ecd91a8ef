"""An edit tab is kept whole per report version, tab, role and read-only reason (views._page_key): what is
served from it must be each viewer's own page — their CSRF token, their editing rights — never another's."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from perfeval.filing.models import Report
from perfeval.orgs.models import Role, User

from .helpers import form_data

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("tab", ["text", "attachment1", "attachment2", "projects", "check"])
def test_each_session_gets_its_own_token_from_the_kept_page(demo_report, preparer, urls, tab):
    colleague = User.objects.create_user(
        username="second_preparer", password="x", role=Role.PREPARER, department=demo_report.department
    )
    first, second = _csrf_client(preparer), _csrf_client(colleague)
    first_page = first.get(urls[tab]).content.decode()  # renders the tab and keeps it
    second_page = second.get(urls[tab]).content.decode()  # served from what was kept
    first_tokens, second_tokens = set(TOKEN.findall(first_page)), set(TOKEN.findall(second_page))
    assert first_tokens and second_tokens and not first_tokens & second_tokens
    assert "perfeval-csrf" not in second_page
    # The second session's page saves with the token it was given.
    from .conftest import FORM_IDS

    data = form_data(second.get(urls[tab]), FORM_IDS[tab])
    assert second.post(urls[tab], data).status_code == 302
    assert Report.objects.get(pk=demo_report.pk).version == demo_report.version + 1


@pytest.mark.parametrize("first_role", ["preparer", "reviewer"])
def test_a_read_only_viewer_and_the_preparer_never_see_each_others_page(
    preparer_client, reviewer_client, urls, first_role
):
    clients = {"preparer": preparer_client, "reviewer": reviewer_client}
    order = [first_role, *(role for role in clients if role != first_role)]
    pages = {role: clients[role].get(urls["attachment2"]).content.decode() for role in order}
    assert 'data-testid="save"' in pages["preparer"]
    assert 'data-testid="save"' not in pages["reviewer"]
    assert 'data-testid="read-only"' in pages["reviewer"]


def test_a_save_shows_the_new_version_not_the_kept_page(preparer_client, page_form, urls):
    url, data = page_form(preparer_client, "text")
    data["s7_problems"] = "新写的问题与不足"
    assert preparer_client.post(url, data).status_code == 302
    assert "新写的问题与不足" in preparer_client.get(url).content.decode()


def test_a_submitted_report_is_rendered_every_time(demo_report, reviewer_client, urls):
    """While a reviewer has it, return reasons are marked resolved without a new version."""
    Report.objects.filter(pk=demo_report.pk).update(status="submitted")
    reviewer_client.get(urls["text"])
    from perfeval import caching

    assert not any(":page:" in key for key in caching.TEXTS.items)
    assert reverse("editing:text", kwargs={"report_id": demo_report.pk}) == urls["text"]
