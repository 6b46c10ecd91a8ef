"""The edit pages run a fixed number of queries, however many projects and indicators the report has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perfeval.filing.models import Project
from perfeval.orgs.models import Role, User
from tests.synthetic import make_synthetic_report

pytestmark = pytest.mark.django_db

# GET of each page as the preparer once its report version is checked (filing.checked): the session, the user
# (with the navbar's department and the bell's unread count, perfeval.notices.auth), the report; every tab with a
# form also looks for the user's 暂存 of it. The grid comes from the cache of the version: no tab loads its rows.
PAGE_QUERIES = {
    "overview": 3,
    "text": 4,
    "attachment1": 4,
    "attachment2": 4,
    "projects": 4,
    "attachment3": 4,
    "check": 4,
}
# The first page of a version also loads the whole report (with its evidence files) once to check it: a fixed
# number of queries more; then the tab renders its grid from its own rows (ROW_QUERIES); the tabs with 佐证材料
# links read the report's files once when their grid is rendered.
CHECK_QUERIES = 9
ROW_QUERIES = {
    "overview": 0,
    "text": 0,
    "attachment1": 3,  # expenses, special rows, buildings
    "attachment2": 3,  # the scorecard, its fund lines, its indicators
    "projects": 1,
    "attachment3": 3,
    "check": 1,  # the explanations
}
EVIDENCE_LINK_TABS = {"text", "attachment2", "attachment3"}


def _page_urls(report):
    project = Project.objects.filter(report=report).order_by("order", "id").first()
    kwargs = {"report_id": report.pk}
    return {
        name: reverse(f"editing:{name}", kwargs=kwargs)
        for name in ("overview", "text", "attachment1", "attachment2", "projects", "check")
    } | {"attachment3": reverse("editing:attachment3", kwargs={**kwargs, "project_id": project.pk})}


def _client_for(report):
    from django.test import Client

    user = User.objects.create_user(
        username=f"prep-{report.department.code}",
        password="x",
        role=Role.PREPARER,
        department=report.department,
    )
    client = Client()
    client.force_login(user)
    return client


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def small_and_large(demo_report):
    small = make_synthetic_report(period=demo_report.period, projects=2, indicators=3, code="small")
    large = make_synthetic_report(period=demo_report.period, projects=12, indicators=25, code="large")
    return small, large


@pytest.mark.parametrize("page", list(PAGE_QUERIES))
def test_edit_page_query_count_does_not_grow_with_rows(small_and_large, page):
    counts = []
    for report in small_and_large:
        client = _client_for(report)
        url = _page_urls(report)[page]
        counts.append((_count(client, url), _count(client, url)))
    first = PAGE_QUERIES[page] + CHECK_QUERIES + ROW_QUERIES[page] + (page in EVIDENCE_LINK_TABS)
    expected = (first, PAGE_QUERIES[page])
    assert counts == [expected, expected]


@pytest.mark.parametrize("page", list(PAGE_QUERIES))
def test_edit_page_query_count_on_demo(preparer_client, demo_report, page, django_assert_num_queries):
    url = _page_urls(demo_report)[page]
    preparer_client.get(url)
    with django_assert_num_queries(PAGE_QUERIES[page]):
        preparer_client.get(url)


def test_scorecard_save_query_count_does_not_grow_with_rows(small_and_large):
    from .helpers import form_data

    counts = []
    for report in small_and_large:
        client = _client_for(report)
        url = _page_urls(report)["attachment2"]
        data = form_data(client.get(url), "scorecard-form")
        data["goal_actual"] = "改"
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, data).status_code == 302
        counts.append(len(queries))
    assert counts[0] == counts[1]
