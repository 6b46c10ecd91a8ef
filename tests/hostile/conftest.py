"""The hostile-input corpus: every refusal is named, nothing is written, and the report stays whole."""

import pytest
from django.urls import reverse

from perfeval.filing.models import Project
from perfeval.filing.opendata import export_report
from perfeval.filing.parts import reports_with_parts
from tests.editing.conftest import page_form, urls  # noqa: F401 (the edit pages' fixtures)


def payload_of(report) -> dict:
    return export_report(reports_with_parts().get(pk=report.pk))


def report_urls(report) -> list[str]:
    """The report page, every edit tab (each 附件3 too) and the check page."""
    kwargs = {"report_id": report.pk}
    pages = [reverse("report_detail", kwargs=kwargs)]
    pages += [
        reverse(f"editing:{name}", kwargs=kwargs)
        for name in ("overview", "text", "attachment1", "attachment2", "projects", "check")
    ]
    for project in Project.objects.filter(report=report, scorecard__isnull=False):
        pages.append(reverse("editing:attachment3", kwargs={**kwargs, "project_id": project.pk}))
    return pages


@pytest.fixture
def assert_whole(preparer_client, reviewer_client):
    """Every page of the report answers 200 to its preparer, and the reviewer's dashboard answers 200."""

    def check(report):
        for url in report_urls(report):
            response = preparer_client.get(url)
            assert response.status_code == 200, url
        dashboard = reviewer_client.get(reverse("workflow:dashboard", kwargs={"year": report.period.year}))
        assert dashboard.status_code == 200
        assert report.department.name in dashboard.content.decode()

    return check


@pytest.fixture
def unchanged(demo_report):
    """Asserts the demo report is exactly as loaded (payload and version)."""
    before = payload_of(demo_report)
    version = demo_report.version

    def check():
        demo_report.refresh_from_db()
        assert demo_report.version == version
        assert payload_of(demo_report) == before

    return check
