"""A workbook export in a real browser: the button leads to the job's status page, which shows the wait, then
the download once the worker has made the file; the downloaded file is the report's workbook."""

import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_export_page_shows_the_wait_then_the_download(live_server, login_page, demo_report, settings):
    from perfeval.filing.jobs import run_job
    from perfeval.filing.models import Job

    # A queue that keeps the task until the test runs it, as a busy worker would later.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = login_page("zzxfj_preparer")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/")
    page.get_by_test_id("excel-download").click()
    status = page.get_by_test_id("job-status")
    expect(status).to_have_attribute("data-status", "pending")
    expect(status).to_contain_text("正在处理，请稍候")
    [job] = Job.objects.filter(report=demo_report, kind="excel.export")
    assert run_job(job.pk) == "done"
    # htmx's next poll swaps the block for the finished one: no reload, the same page.
    download_link = page.get_by_test_id("job-download")
    expect(download_link).to_be_visible(timeout=10000)
    assert page.url.endswith(f"/jobs/{job.pk}/")
    with page.expect_download() as caught:
        download_link.click()
    download = caught.value
    assert download.suggested_filename == "2023年度株洲市信访局绩效自评附表.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert workbook.sheetnames == ["附件1", "附件2", "附件3-1 信访维稳工作经费"]
