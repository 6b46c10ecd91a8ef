"""An edited 年度指标值 gives the same operator, value and unit through the edit form and the xlsx import."""

from decimal import Decimal

import pytest

from perfeval.excel import services as excel
from perfeval.filing.models import Indicator
from tests.excel.helpers import demo_workbook, find_cell, fresh, to_bytes

from .conftest import indicator_prefix

pytestmark = pytest.mark.django_db

ROW = "督办信访事项数量"  # 附件2, stored as ≥200 (ge, 200, "")


def _stored():
    row = Indicator.objects.get(scorecard__kind="department", name=ROW)
    return row.operator, row.target_value, row.target_unit


def _through_form(client, page_form, text: str):
    url, data = page_form(client, "attachment2")
    prefix = indicator_prefix(data, Indicator.objects.get(scorecard__kind="department", name=ROW))
    # The form posts the row's stored operator and value beside the new text, as the browser does.
    data[f"{prefix}-target_text"] = text
    # A score the form accepts whatever the target now says (the import does not check scores).
    data[f"{prefix}-score"] = "0"
    data[f"{prefix}-deviation_reason"] = "目标调整"
    response = client.post(url, data)
    assert response.status_code == 302, [
        form.errors
        for _, children in response.context["groups"]
        for _, formset in children
        for form in formset
    ]
    return _stored()


def _through_import(report, text: str):
    workbook = demo_workbook(report)
    name = find_cell(workbook["附件2"], ROW)
    name.offset(column=1).value = text  # 年度指标值 is the column right of 三级指标
    report = fresh(report)
    payload, errors = excel.read_upload(report=report, name="edited.xlsx", content=to_bytes(workbook))
    assert errors == []
    excel.apply_payload(report_id=report.pk, payload=payload, user=None, expected_version=report.version)
    return _stored()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≤50件", ("le", Decimal(50), "件")),
        ("≥100件", ("ge", Decimal(100), "件")),
        ("不超过1310.8万元", ("le", Decimal("1310.8"), "万元")),
        ("=3次", ("eq", Decimal(3), "次")),
        ("第一时间", ("qual", None, "")),
        # The text gives no operator: the one chosen beside it (stored ≥) stays.
        ("300", ("ge", Decimal(300), "")),
        ("大于300人", ("ge", Decimal(300), "人")),
        # No number the parser can read: the stored value stays, the text's operator wins.
        ("≤全年200左右", ("le", Decimal(200), "")),
    ],
)
def test_target_text_same_result_through_form_and_import(
    preparer_client, page_form, demo_report, text, expected
):
    by_form = _through_form(preparer_client, page_form, text)
    Indicator.objects.filter(name=ROW).update(operator="ge", target_value=Decimal(200), target_unit="")
    by_import = _through_import(demo_report, text)
    assert by_form == by_import == expected
