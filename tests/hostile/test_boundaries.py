"""The largest and the most exact values each path accepts are stored exactly and then render on every page
(issue 15 "Reports that cannot be broken"; issue 9 item 6: amounts exact to the 分 on every path)."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from perfeval.filing.bounds import NOTE_MAX, PARAGRAPH_MAX, SECTION_MAX, STAFF_MAX
from perfeval.filing.models import ExpenseAmount, Report
from perfeval.publishing.models import DraftPdf, PdfStatus
from tests.excel.helpers import demo_workbook, to_bytes

from .conftest import payload_of

pytestmark = pytest.mark.django_db

MAX = "999999999.999999"  # 9 integer digits, 6 decimals: the largest amount
FEN = "0.000001"  # one 分 in 万元


def maximal_payload(payload: dict) -> dict:
    """The demo payload with a boundary value in every kind of place."""
    payload["personnel_expense"] = MAX
    payload["text"]["s6_overall"] = "长" * SECTION_MAX
    payload["text"]["s7_problems"] = "问题\t甲\r\n乙\n" + "丙" * 100
    att1 = payload["attachment1"]
    att1["staff_quota"] = att1["staff_actual"] = STAFF_MAX
    att1["reported_control_rate"] = "9999999.99"
    att1["expenses"]["office"]["final"] = MAX
    att1["expenses"]["basic_adjustment"]["final"] = f"-{MAX}"
    att1["expenses"]["reception"]["budget"] = FEN
    att1["special_rows"][0]["name"] = "专" * 200
    att1["frugality_measures"] = "节" * PARAGRAPH_MAX
    att1["buildings"] = [
        {
            "name": "楼" * 200, "approved_area": "999999999999.99", "actual_area": "0.01",
            "budget_investment": MAX, "actual_investment": FEN,
            "reported_area_rate": None, "reported_investment_rate": "9999999.99",
        }
    ]  # fmt: skip
    project = payload["projects"][0]
    project["adjustment"] = f"-{MAX}"
    project["s6_text"] = "段" * PARAGRAPH_MAX
    card = project["attachment3"]
    card["goal_expected"] = "目" * NOTE_MAX
    card["funds"]["current"]["executed"] = MAX
    row = card["indicators"][0]
    row.update(
        name="指" * 200, target_text="≥" + "9" * 9, target_value="999999999", target_unit="个" * 20,
        actual_text="0.000001", actual_value=FEN, weight="100", score="100", deviation_reason="因" * NOTE_MAX,
    )  # fmt: skip
    card["indicators"][1].update(target_value=f"-{MAX}", actual_value=MAX, weight="0", score="0")
    return payload


def test_boundary_values_through_json_stored_exactly_and_render(demo_report, assert_whole, tmp_path):
    payload = maximal_payload(payload_of(demo_report))
    file = tmp_path / "max.json"
    file.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    call_command("import_report", str(file), department="zzxfj", year=2023, stdout=io.StringIO())
    assert payload_of(demo_report) == payload
    assert_whole(demo_report)


def test_boundary_values_through_json_render_in_the_draft_pdf(
    demo_report, preparer_client, tmp_path, django_capture_on_commit_callbacks
):
    payload = maximal_payload(payload_of(demo_report))
    file = tmp_path / "max.json"
    file.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    call_command("import_report", str(file), department="zzxfj", year=2023, stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend renders on commit
        page = preparer_client.get(
            reverse("publishing:report_pdf_draft", kwargs={"report_id": demo_report.pk})
        )
    assert page.status_code == 200
    draft = DraftPdf.objects.get(report=demo_report)
    assert (draft.status, draft.error) == (PdfStatus.DONE, "")
    response = preparer_client.get(
        reverse("publishing:report_pdf_draft_file", args=[demo_report.pk, draft.pk])
    )
    assert response["Content-Type"] == "application/pdf"


def test_boundary_values_through_the_forms_stored_exactly_and_render(
    preparer_client, page_form, demo_report, assert_whole
):
    url, data = page_form(preparer_client, "attachment1")
    data.update(
        office__final=MAX, reception__budget=FEN, basic_adjustment__final=f"-{MAX}", staff_quota=STAFF_MAX
    )
    assert preparer_client.post(url, data).status_code == 302
    url, data = page_form(preparer_client, "text")
    data.update(personnel_expense="634.613579", s6_overall="长" * SECTION_MAX)
    assert preparer_client.post(url, data).status_code == 302
    amounts = {e.item_id: e for e in ExpenseAmount.objects.filter(report=demo_report)}
    assert amounts["office"].final == Decimal(MAX)
    assert amounts["reception"].budget == Decimal(FEN)
    assert amounts["basic_adjustment"].final == Decimal(f"-{MAX}")
    report = Report.objects.get(pk=demo_report.pk)
    assert (report.personnel_expense, report.staff_quota) == (Decimal("634.613579"), STAFF_MAX)
    assert len(report.s6_overall) == SECTION_MAX
    assert_whole(demo_report)


def test_boundary_values_through_the_workbook_stored_exactly_and_render(demo_report, assert_whole, tmp_path):
    workbook = demo_workbook(demo_report)
    workbook["附件1"]["F18"] = float(MAX)  # 其中：办公经费 2023年决算数
    workbook["附件1"]["D11"] = "126.357891"  # 公务接待 2023年预算数, as text
    workbook["附件1"]["B4"] = STAFF_MAX
    workbook["附件2"]["F18"] = "0.000001"
    path = tmp_path / "max.xlsx"
    path.write_bytes(to_bytes(workbook))
    call_command("import_report", str(path), department="zzxfj", year=2023, stdout=io.StringIO())
    payload = payload_of(demo_report)
    assert payload["attachment1"]["expenses"]["office"]["final"] == MAX
    assert payload["attachment1"]["expenses"]["reception"]["budget"] == "126.357891"
    assert payload["attachment1"]["staff_quota"] == STAFF_MAX
    assert payload["attachment2"]["indicators"][0]["actual_value"] == FEN
    assert_whole(demo_report)
