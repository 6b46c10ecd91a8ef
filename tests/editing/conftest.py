import pytest
from django.urls import reverse

from perfeval.filing.models import Indicator, Project

from .helpers import form_data


@pytest.fixture
def urls(demo_report):
    """Every edit URL of the demo report, by name."""
    special = Project.objects.get(report=demo_report, name="信访维稳工作经费")
    kwargs = {"report_id": demo_report.pk}
    return {
        "overview": reverse("editing:overview", kwargs=kwargs),
        "text": reverse("editing:text", kwargs=kwargs),
        "attachment1": reverse("editing:attachment1", kwargs=kwargs),
        "attachment2": reverse("editing:attachment2", kwargs=kwargs),
        "projects": reverse("editing:projects", kwargs=kwargs),
        "attachment3": reverse("editing:attachment3", kwargs={**kwargs, "project_id": special.pk}),
        "check": reverse("editing:check", kwargs=kwargs),
    }


FORM_IDS = {
    "text": "text-form",
    "attachment1": "att1-form",
    "attachment2": "scorecard-form",
    "attachment3": "scorecard-form",
    "projects": "projects-form",
    "check": "check-form",
}


@pytest.fixture
def page_form(urls):
    """(url, the data the page's form would post untouched)."""

    def read(client, name):
        response = client.get(urls[name])
        assert response.status_code == 200
        return urls[name], form_data(response, FORM_IDS[name])

    return read


def indicator_prefix(data: dict, indicator: Indicator) -> str:
    """The formset prefix ("ind-quantity-0") of an indicator row in posted data."""
    for name, value in data.items():
        if name.endswith("-id") and value == str(indicator.pk):
            return name.removesuffix("-id")
    raise AssertionError(f"indicator {indicator.pk} not on the page")
