"""The draft PDF preview in a real browser: the status page polls the render task and opens the PDF."""

import re

import pytest
from playwright.sync_api import expect

from tests.publishing.conftest import pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_draft_pdf_page_shows_the_wait_then_opens_the_pdf(live_server, login_page, demo_report, settings):
    from perfeval.publishing.models import DraftPdf
    from perfeval.publishing.tasks import render_draft_pdf

    # A queue that keeps the task (in the server's thread) until the test runs it, as a worker would later.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = login_page("zzxfj_preparer")
    page.goto(f"{live_server.url}/reports/{demo_report.pk}/")
    page.get_by_test_id("pdf-draft").click()
    status = page.get_by_test_id("draft-pdf-status")
    expect(status).to_contain_text("草稿 PDF 正在生成")
    expect(status).to_contain_text(re.compile(r"已等待 \d+ 秒"))
    [draft] = DraftPdf.objects.filter(report=demo_report)
    render_draft_pdf.call(draft.pk)
    # The next poll sees it done and opens the PDF in this tab (shown or downloaded, as the browser does).
    expect(page).to_have_url(re.compile(rf"/pdf/draft/{draft.pk}/draft\.pdf$"), timeout=20000)
    pdf = page.request.get(page.url).body()
    assert len(pdf_pages(pdf)) == 9 and all("草稿" in text for text in pdf_pages(pdf))
