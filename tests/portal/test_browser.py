"""Charts drawn in Chromium beside their tables, under the Content-Security-Policy (no inline script): the
public comparison of two departments over three years and its year download, the reviewer dashboard, the
report page."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def no_pdf_tasks(settings):
    # Publication schedules the PDF render on commit; these tests read pages, not PDFs (tested in publishing).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def watch_errors(page) -> list[str]:
    """Script errors, CSP refusals and failed loads (the browser's own favicon request aside)."""
    errors = []

    def console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def response(resp):
        if resp.status >= 400 and not resp.url.endswith("/favicon.ico"):
            errors.append(f"{resp.status} {resp.url}")

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", response)
    return errors


def expect_charts_drawn(page, keys: list[str]) -> None:
    for key in keys:
        figure = page.get_by_test_id(f"chart-{key}")
        expect(figure.locator("[data-drawn=true] canvas").first).to_be_visible()
        expect(figure.get_by_test_id(f"chart-table-{key}")).to_be_visible()
        assert figure.locator(".chart-canvas").get_attribute("aria-label")


def test_compare_two_departments_over_three_years_charts_drawn(
    live_server, page, no_pdf_tasks, make_report, publish_report
):
    for code, spent in (("aaa", ("801.5", "850", "900")), ("bbb", ("600", "612.34", "700"))):
        for year, executed in zip((2021, 2022, 2023), spent, strict=True):
            publish_report(make_report(code, year, executed=executed))
    draft = make_report("ccc", 2023, executed="777.77")
    assert draft.status == "draft"
    errors = watch_errors(page)

    page.goto(f"{live_server.url}/portal/")
    page.get_by_role("checkbox", name="比较 合成单位aaa").first.check()
    page.get_by_role("checkbox", name="比较 合成单位bbb").first.check()
    page.get_by_role("button", name="比较所选单位").click()
    expect(page.get_by_test_id("comparison").locator("tbody tr")).to_have_count(6)
    expect_charts_drawn(page, ["cmp-score", "cmp-rate", "cmp-executed"])
    executed = page.get_by_test_id("chart-table-cmp-executed")
    expect(executed.locator("thead")).to_contain_text("合成单位aaa")
    expect(executed.locator("tbody tr").nth(1)).to_contain_text("850")
    expect(page.locator("body")).not_to_contain_text("777.77")

    page.get_by_role("link", name="开放数据下载").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="perfeval-2023.csv").click()
    content = open(download.value.path(), encoding="utf-8-sig").read()
    assert [line.split(",")[0] for line in content.splitlines()[2:]] == ["aaa", "bbb"]
    assert errors == []


def test_dashboard_and_report_page_charts_drawn(live_server, login_page, demo_report):
    page = login_page("reviewer")
    errors = watch_errors(page)
    page.goto(f"{live_server.url}/review/{demo_report.period.year}/")
    expect_charts_drawn(page, ["score-dist", "rate-dist", "errors"])
    # Nobody has submitted yet: the progress chart is its empty table and the sentence that says so.
    progress = page.get_by_test_id("chart-progress")
    expect(progress.locator("canvas")).to_have_count(0)
    expect(progress).to_contain_text("尚无单位提交")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/")
    expect_charts_drawn(page, ["project-budget"])
    table = page.get_by_test_id("chart-table-project-budget")
    expect(table.locator("tbody tr")).to_have_count(demo_report.projects.count())
    assert errors == []
