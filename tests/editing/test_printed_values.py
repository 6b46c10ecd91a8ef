"""Printed figures of computed cells on the edit pages: shown as 「原填」 beside the computed one, kept by every
save, replaced only by the preparer's 「以计算值为准」; the likely wrong part is marked where the checks name it."""

from decimal import Decimal

import pytest

from perfeval.filing.models import Scorecard

from .helpers import form_data

pytestmark = pytest.mark.django_db


def test_attachment1_shows_the_printed_total_with_its_choice_and_marks_the_suspect(preparer_client, urls):
    body = preparer_client.get(urls["attachment1"]).content.decode()
    assert "保存后改为计算值" not in body
    # 三公 2023年决算数: computed 24.65, printed 24.19, with the box that lets the computed figure replace it.
    assert 'data-testid="printed-expense:sangong:final">原填 24.19</span>' in body
    assert 'value="expense:sangong:final"' in body
    # 出国经费 0.46 (budget 0, the same figure as 公务接待): with it at 0 the rows give exactly 24.19.
    assert 'data-testid="suspect-abroad-final"' in body
    assert 'data-testid="suspect-reception-final"' not in body


def test_check_page_links_the_suspect_cell(preparer_client, urls):
    body = preparer_client.get(urls["check"]).content.decode()
    assert 'data-testid="suspect-link">附件1 · 出国经费 · 2023年决算数</a>' in body
    assert f"{urls['attachment1']}#p-att1-abroad-final" in body


def test_attachment2_shows_printed_rate_and_keeps_it(preparer_client, urls):
    body = preparer_client.get(urls["attachment2"]).content.decode()
    assert 'data-testid="printed-execution_rate">原填 98%</span>' in body
    assert 'value="execution_rate"' in body


def test_attachment3_printed_total_shown_and_kept(preparer_client, urls, demo_report):
    card = Scorecard.objects.get(report=demo_report, kind="project")
    Scorecard.objects.filter(pk=card.pk).update(
        reported_funds_initial=Decimal("0"),
        reported_funds_full_year=Decimal("0"),
        reported_funds_executed=Decimal("0"),
    )
    response = preparer_client.get(urls["attachment3"])
    body = response.content.decode()
    assert 'data-testid="printed-funds_executed">原填 0</span>' in body
    data = form_data(response, "scorecard-form")
    assert preparer_client.post(urls["attachment3"], data).status_code == 302
    card.refresh_from_db()
    assert card.reported_funds_executed == Decimal("0")
    data = form_data(preparer_client.get(urls["attachment3"]), "scorecard-form")
    assert (
        preparer_client.post(urls["attachment3"], {**data, "accept_computed": ["funds_executed"]}).status_code
        == 302
    )
    card.refresh_from_db()
    assert (card.reported_funds_full_year, card.reported_funds_executed) == (Decimal("0"), None)


def test_attachment2_income_side_saved_and_checked(preparer_client, urls, demo_report):
    response = preparer_client.get(urls["attachment2"])
    assert 'data-testid="revenue-grid"' in response.content.decode()
    data = form_data(response, "scorecard-form")
    data.update({"revenue_fiscal": "1200", "revenue_carryover": "50", "revenue_other": "0"})
    assert preparer_client.post(urls["attachment2"], data).status_code == 302
    card = Scorecard.objects.get(report=demo_report, kind="department")
    assert (card.revenue_fiscal, card.revenue_carryover, card.revenue_other) == (
        Decimal("1200"), Decimal("50"), Decimal("0"),
    )  # fmt: skip
    body = preparer_client.get(urls["attachment2"]).content.decode()
    assert 'data-code="ATT2_SPENDING_EXCEEDS_INCOME"' in body
    assert "全年执行数 1286.3 &gt; 收入合计 财政拨款收入 1200 + 上年结转 50 + 其他收入 0 = 1250" in body
    assert (
        '<span id="c-revenue_total">1250.00</span>' in body
        or '<span id="c-revenue_total">1250</span>' in body
    )
