"""In Chromium: the preparer uploads the 满意度 survey from the indicator's row and the warning goes away."""

import re

import pytest
from playwright.sync_api import expect

from perfeval.evidence.models import Evidence
from perfeval.filing.models import Indicator, ScorecardKind
from tests.evidence import files
from tests.evidence.conftest import stored_files


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_preparer_uploads_survey_to_the_satisfaction_row(login_page, live_server, demo_report, evidence_dir):
    row = Indicator.objects.get(
        scorecard__report=demo_report, scorecard__kind=ScorecardKind.DEPARTMENT, level1="satisfaction"
    )
    page = login_page("zzxfj_preparer")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/edit/attachment2/")
    warning = page.locator('[data-testid="finding"][data-code="IND_EVIDENCE_MISSING"]').filter(
        has_text="群众满意率"
    )
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("属于规则包要求附佐证材料的指标")
    link = page.locator(f'[id="p-att2-indicator:{row.pk}-evidence"]')
    expect(link).to_have_text("佐证材料（0）")

    link.click()
    expect(page.locator("h1")).to_have_text("佐证材料：附件2 · 群众满意率")
    # A hostile file first: refused with its reason, nothing kept.
    page.set_input_files(
        "#evidence-files",
        files=[
            {"name": "满意度调查.pdf", "mimeType": "application/pdf", "buffer": files.windows_executable()}
        ],
    )
    page.get_by_test_id("evidence-submit").click()
    expect(page.get_by_test_id("evidence-error")).to_contain_text("文件内容是Windows 可执行程序")
    assert stored_files(evidence_dir) == []

    page.goto(f"{live_server.url}/reports/{demo_report.pk}/edit/attachment2/")
    page.locator(f'[id="p-att2-indicator:{row.pk}-evidence"]').click()
    page.set_input_files(
        "#evidence-files",
        files=[{"name": "满意度调查.pdf", "mimeType": "application/pdf", "buffer": files.pdf()}],
    )
    page.get_by_test_id("evidence-submit").click()

    # Back on the tab, at the row, with the file counted and the warning gone.
    expect(page).to_have_url(re.compile(rf"/edit/attachment2/#p-att2-indicator:{row.pk}$"))
    expect(page.locator(".alert-success")).to_contain_text("已上传 1 个佐证材料：满意度调查.pdf")
    expect(page.locator(f'[id="p-att2-indicator:{row.pk}-evidence"]')).to_have_text("佐证材料（1）")
    expect(warning).to_have_count(0)
    evidence = Evidence.objects.get(report=demo_report)
    assert (evidence.indicator_id, evidence.kind) == (row.pk, "pdf")
    assert stored_files(evidence_dir) == [evidence.stored_name]

    # The report page lists it, and the file opens for its department.
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/")
    listed = page.get_by_test_id("report-evidence").get_by_test_id("evidence-file")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("满意度调查.pdf")
    response = page.request.get(f"{live_server.url}/reports/{demo_report.pk}/evidence/{evidence.pk}/")
    assert response.status == 200 and response.body() == files.pdf()
