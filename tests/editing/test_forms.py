"""Bad input comes back with the preparer's input kept and a Chinese message next to the field."""

from decimal import Decimal

import pytest

from perfeval.filing.models import ExpenseAmount, Indicator

from .conftest import indicator_prefix

pytestmark = pytest.mark.django_db


def _errors(response, form_name, field):
    form = response.context[form_name]
    return form.errors.get(field, [])


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("二十四", "请输入数字（单位万元），例如 24.19"),
        ("-3", "「-3」不能为负数"),
        ("1.2345678", "「1.2345678」最多保留 6 位小数（不会自动舍入）"),
        ("1234567890.5", "「1234567890.5」超出范围：整数部分最多 9 位"),
        ("1E+400", "「1E+400」超出范围：整数部分最多 9 位"),
    ],
)
def test_attachment1_amount_bad_input_comes_back(preparer_client, page_form, demo_report, typed, message):
    url, data = page_form(preparer_client, "attachment1")
    data["office__final"] = typed
    response = preparer_client.post(url, data)
    assert response.status_code == 200
    assert _errors(response, "grid", "office__final") == [message]
    assert f'value="{typed}"' in response.content.decode()
    assert ExpenseAmount.objects.get(report=demo_report, item_id="office").final == Decimal("22.16")


def test_special_row_negative_amount_refused(preparer_client, page_form):
    url, data = page_form(preparer_client, "attachment1")
    data["special-0-final"] = "-1"
    response = preparer_client.post(url, data)
    assert response.context["specials"].forms[0].errors["final"] == ["「-1」不能为负数"]


def _indicator(scorecard_kind, name):
    return Indicator.objects.get(scorecard__kind=scorecard_kind, name=name)


def test_indicator_score_above_weight_refused(preparer_client, page_form):
    url, data = page_form(preparer_client, "attachment2")
    row = _indicator("department", "督办信访事项数量")
    prefix = indicator_prefix(data, row)
    data[f"{prefix}-score"] = "5"
    response = preparer_client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "得分 5 不能高于分值 4" in body
    assert f'name="{prefix}-score" value="5"' in body
    row.refresh_from_db()
    assert row.score == Decimal("4.00")


def test_indicator_score_above_rule_score_refused(preparer_client, page_form):
    url, data = page_form(preparer_client, "attachment2")
    row = _indicator("department", "督办信访事项数量")
    prefix = indicator_prefix(data, row)
    data[f"{prefix}-actual_text"] = "150"
    data[f"{prefix}-actual_value"] = "150"
    data[f"{prefix}-deviation_reason"] = "督办数量减少"
    response = preparer_client.post(url, data)
    body = response.content.decode()
    assert "得分 4 高于规则得分 3：实际 150 &lt; 目标 200，未达成：150 ÷ 200 × 4 = 3" in body
    row.refresh_from_db()
    assert row.actual_value == Decimal(220)


def test_indicator_quantitative_without_operator_refused(preparer_client, page_form):
    """A bare number does not say ≥, ≤ or =: the preparer's choice is needed."""
    url, data = page_form(preparer_client, "attachment2")
    row = _indicator("department", "督办信访事项数量")
    prefix = indicator_prefix(data, row)
    data[f"{prefix}-target_text"] = "200"
    data[f"{prefix}-operator"] = ""
    response = preparer_client.post(url, data)
    assert "定量指标须选择指标方向（≥、≤ 或 =）；定性指标请选「定性」" in response.content.decode()


def test_indicator_missing_deviation_reason_refused(preparer_client, page_form):
    url, data = page_form(preparer_client, "attachment2")
    row = _indicator("department", "督办信访事项数量")
    prefix = indicator_prefix(data, row)
    data[f"{prefix}-actual_text"] = "150"
    data[f"{prefix}-actual_value"] = "150"
    data[f"{prefix}-score"] = "3"
    response = preparer_client.post(url, data)
    body = response.content.decode()
    assert "须填写偏差原因分析及改进措施：未达成目标：实际 150，目标 ≥200；自评得分 3 &lt; 分值 4" in body
    assert f'name="{prefix}-actual_text" value="150"' in body


def test_indicator_below_rule_with_reason_saves(preparer_client, page_form):
    url, data = page_form(preparer_client, "attachment2")
    row = _indicator("department", "督办信访事项数量")
    prefix = indicator_prefix(data, row)
    data.update({f"{prefix}-actual_text": "150", f"{prefix}-actual_value": "150", f"{prefix}-score": "2.5",
                 f"{prefix}-deviation_reason": "督办数量减少"})  # fmt: skip
    response = preparer_client.post(url, data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.actual_value, row.score, row.deviation_reason) == (
        Decimal(150),
        Decimal("2.5"),
        "督办数量减少",
    )


def test_unchanged_imported_rows_save_with_their_findings_open(preparer_client, page_form):
    """Rows imported with a missing operator (a finding) do not block saving another part of the page."""
    url, data = page_form(preparer_client, "attachment2")
    data["goal_actual"] = "全年完成"
    response = preparer_client.post(url, data)
    assert response.status_code == 302
    assert _indicator("department", "信访事项及时受理率").operator is None


def test_target_text_prefills_operator_value_unit(preparer_client, page_form):
    url, data = page_form(preparer_client, "attachment2")
    row = _indicator("department", "督办信访事项数量")
    prefix = indicator_prefix(data, row)
    data.update({f"{prefix}-target_text": "≥150件", f"{prefix}-operator": "", f"{prefix}-target_value": "",
                 f"{prefix}-target_unit": ""})  # fmt: skip
    response = preparer_client.post(url, data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.operator, row.target_value, row.target_unit, row.target_text) == (
        "ge",
        Decimal(150),
        "件",
        "≥150件",
    )


def test_project_duplicate_name_refused(preparer_client, page_form):
    url, data = page_form(preparer_client, "projects")
    data["project-1-name"] = data["project-0-name"]
    response = preparer_client.post(url, data)
    assert response.status_code == 200
    assert "同一报告中项目名称须唯一" in response.content.decode()
