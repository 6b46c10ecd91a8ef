"""A published project-only filing on the public pages, the open data and the portal, labelled by its kind."""

import csv
import io
import json
from datetime import date

import pytest

from perfeval.publishing.models import PublishedVersion
from perfeval.workflow import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_project_filing(filled_project_report, preparer, reviewer):
    services.submit_report(report=filled_project_report, user=preparer)
    services.approve_report(report=filled_project_report, user=reviewer, note="同意")
    services.publish_report(
        report=filled_project_report, user=reviewer, published_where="门户网站", public_date=date(2024, 6, 10)
    )
    return PublishedVersion.objects.get(report=filled_project_report)


def test_public_pages_of_a_project_filing(published_project_filing, client):
    version = published_project_filing
    assert (version.kind, version.get_absolute_url()) == ("project", "/public/zzxfj/2023/project/")
    assert version.json_url() == "/public/zzxfj/2023/project/v1/data.json"
    index = client.get("/public/").content.decode()
    assert '<td data-testid="public-kind">项目支出绩效自评</td>' in index
    page = client.get(version.get_absolute_url()).content.decode()
    assert "2023年度株洲市信访局项目支出绩效自评" in page and "基层培训项目2" in page
    data = json.loads(client.get(version.json_url()).content)
    assert (data["kind"], data["attachment2"], data["computed"]["attachment2"]) == ("project", None, None)
    assert [card["self_total"] for card in data["computed"]["attachment3"]] == ["99.5", "99.5"]
    # The 部门整体 report of the department and year keeps its own address (not published here: none).
    assert client.get("/public/zzxfj/2023/").status_code == 404
    assert client.get("/public/zzxfj/2023/town/").status_code == 404


def test_portal_lists_the_project_filing_labelled(published_project_filing, client):
    body = b"".join(client.get("/portal/data/2023.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    header, project = rows[0], rows[2]
    record = dict(zip(header, project, strict=True))
    assert (record["department_code"], record["kind"]) == ("zzxfj", "project")
    # Two tables: their money summed, no one score.
    assert (record["total_score"], record["budget_initial"], record["executed"]) == ("", "40", "38")
    index = client.get("/portal/?kind=project").content.decode()
    assert '<td data-testid="figures-kind">项目支出绩效自评</td>' in index
    assert 'href="/public/zzxfj/2023/project/"' in index
    department = client.get("/portal/departments/zzxfj/").content.decode()
    assert "项目支出绩效自评" in department
    compare = client.get("/portal/compare/?d=zzxfj").content.decode()
    assert "项目支出绩效自评" not in compare  # departments are compared by their 部门整体 reports


def test_return_form_offers_the_tables_of_a_project_filing_only(
    filled_project_report, preparer, reviewer_client
):
    services.submit_report(report=filled_project_report, user=preparer)
    page = reviewer_client.get(f"/reports/{filled_project_report.pk}/return/")
    assert page.status_code == 200
    labels = [label for _, label in page.context["formset"].forms[0].fields["place"].choices]
    assert labels[0] == "整份报告"
    assert "项目支出绩效自评表（基层培训项目1）" in labels
    assert not [label for label in labels if "附件1" in label or "正文" in label or label.startswith("一、")]
