"""Printed figures of computed cells and 附件2 收入, on the report page and in the real draft PDF (pypdf): the draft
shows 「原填」 beside the computed figure; the final and public PDFs print the official table alone."""

from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse

from perfeval.filing.models import Report, Scorecard
from perfeval.filing.parts import reports_with_parts
from perfeval.filing.presentation import live_document
from perfeval.publishing.documents import document_html
from perfeval.publishing.pdf import render_pdf
from tests.publishing.conftest import pdf_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def printed_demo(demo_report):
    """The demo with a 附件3 that printed 年度资金总额 全年执行数 0, 附件2 printed 等级 良, and 附件2's 收入."""
    Scorecard.objects.filter(report=demo_report, kind="project").update(reported_funds_executed=Decimal("0"))
    Scorecard.objects.filter(report=demo_report, kind="department").update(
        reported_grade="良",
        revenue_fiscal=Decimal("1200"),
        revenue_carryover=Decimal("50"),
        revenue_other=Decimal("0"),
    )
    # Every write moves the version on (the cached rules data and findings are per version).
    Report.objects.filter(pk=demo_report.pk).update(version=F("version") + 1)
    return reports_with_parts().get(pk=demo_report.pk)


def test_page_shows_printed_total_grade_and_income(preparer_client, printed_demo):
    body = preparer_client.get(reverse("report_detail", args=[printed_demo.pk])).content.decode()
    assert "原填 0.00</span>" in body
    assert "等级原填 良</span>" in body
    assert 'data-testid="att2-revenue"' in body and "财政拨款收入：1200" in body


def test_pdf_prints_printed_total_grade_and_income(printed_demo):
    text = "".join(pdf_lines(render_pdf(document_html(live_document(printed_demo), draft=True))))
    squashed = "".join(text.split())
    assert "原填0.00" in squashed
    assert "等级原填良" in squashed
    assert "收入合计1250" in squashed and "财政拨款收入：1200" in squashed
