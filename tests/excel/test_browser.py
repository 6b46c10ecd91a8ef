import pytest
from playwright.sync_api import expect

from perfeval.filing.models import Report
from tests.excel.helpers import demo_workbook


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_import_through_the_browser_preview_then_confirm(demo_report, login_page, live_server, tmp_path):
    workbook = demo_workbook(demo_report)
    workbook["附件1"]["F6"] = 24.65
    path = tmp_path / "附表.xlsx"
    workbook.save(path)

    page = login_page("zzxfj_preparer")
    expect(page.get_by_test_id("current-user")).to_contain_text("刘旅琴")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/")
    page.click("[data-testid=excel-import]")
    page.set_input_files("input[type=file]", str(path))
    page.click("[data-testid=upload-submit]")

    changes = page.locator("[data-testid=changes]")
    assert "附件1 · 三公经费 · 2023年决算数" in changes.inner_text()
    row = changes.locator("tr", has_text="三公经费 · 2023年决算数")
    assert [cell.strip() for cell in row.locator("td").all_inner_texts()] == [
        "附件1 · 三公经费 · 2023年决算数",
        "24.19",
        "→",
        "24.65",
    ]
    assert (
        "三公经费 2022年决算数 25 ≠ 24 + 0 + 0.07 = 24.07"
        in page.locator("[data-testid=findings]").inner_text()
    )

    page.click("[data-testid=confirm-import]")
    page.wait_for_url(f"{live_server.url}/reports/{demo_report.pk}/")
    expect(page.get_by_role("alert").first).to_contain_text("Excel 已导入")
    sangong = page.get_by_test_id("att1").locator("tr", has_text="三公经费").first
    expect(sangong).to_contain_text("24.65")
    expect(sangong).not_to_contain_text("原填 24.19")
    assert Report.objects.get(pk=demo_report.pk).version == demo_report.version + 1
