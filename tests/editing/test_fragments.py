"""The edit tabs' grids and findings panels are rendered once per report version (the ``fragment`` tag): a save
shows the new figures at once, a read-only viewer never gets the editable grid, and a refused save or a 暂存
renders what was typed."""

import re

import pytest

from .helpers import form_data

pytestmark = pytest.mark.django_db


def test_saved_value_shows_on_the_next_page(preparer_client, page_form):
    url, data = page_form(preparer_client, "attachment2")  # the grid is now cached for this version
    data["goal_actual"] = "全年完成接访任务（已改）"
    assert preparer_client.post(url, data).status_code == 302
    assert form_data(preparer_client.get(url), "scorecard-form")["goal_actual"] == "全年完成接访任务（已改）"


def test_read_only_viewer_never_gets_the_editable_grid(preparer_client, reviewer_client, urls):
    goal = re.compile(r'<textarea name="goal_actual"[^>]*>')
    editable = goal.search(preparer_client.get(urls["attachment2"]).content.decode()).group()
    shown = goal.search(reviewer_client.get(urls["attachment2"]).content.decode()).group()
    again = goal.search(preparer_client.get(urls["attachment2"]).content.decode()).group()
    assert " disabled" not in editable and " disabled" in shown and again == editable


def test_refused_save_renders_what_was_typed(preparer_client, page_form):
    url, data = page_form(preparer_client, "attachment1")
    data["office__final"] = "十二"
    response = preparer_client.post(url, data)
    assert response.status_code == 200
    assert form_data(response, "att1-form")["office__final"] == "十二"
    assert form_data(preparer_client.get(url), "att1-form")["office__final"] == "十二"  # restored 暂存


def test_carried_prior_final_shows_as_an_amount(preparer_client, page_form, demo_report):
    """The database keeps six places; the form shows the amount as the document prints it."""
    from perfeval.filing.models import ExpenseAmount

    ExpenseAmount.objects.filter(report=demo_report, item_id="office").update(prior_final="32")
    url, data = page_form(preparer_client, "attachment1")
    assert data["office__prior_final"] == "32.00"
    assert "32.000000" not in preparer_client.get(url).content.decode()
