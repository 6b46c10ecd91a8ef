"""Documents that always render (issue 15 item 4, reproduction 6): a report too long for the PDF caps is
refused when its text is saved, imported or submitted — not discovered at approval — and export_report
failures end in one line."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from perfeval.filing.models import Indicator, Report, Status
from perfeval.workflow import services as workflow

from .conftest import payload_of

pytestmark = pytest.mark.django_db

PROSE = "我单位认真贯彻落实预算绩效管理要求，严格执行预算，规范资金使用。"


def test_text_over_the_page_cap_refused_at_save_and_kept_in_the_form(
    preparer_client, page_form, demo_report, unchanged, assert_whole, settings
):
    settings.PDF_MAX_PAGES = 20
    settings.PDF_MAX_PAGES_PER_PART = 0  # the cap is base + per part: the base alone here
    url, data = page_form(preparer_client, "text")
    for key in ("s1_intro", "s6_overall", "s7_problems", "s8_measures"):
        data[key] = (PROSE * 400)[:10_000]
    response = preparer_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 409
    assert "超过上限 20 页" in page
    assert (PROSE * 400)[:10_000] in page  # nothing typed is lost
    unchanged()
    assert_whole(demo_report)


def test_report_over_the_page_cap_cannot_be_submitted(demo_report, preparer, settings):
    settings.PDF_MAX_PAGES = 3
    settings.PDF_MAX_PAGES_PER_PART = 0  # the cap is base + per part: the base alone here
    blockers = workflow.submission_blockers(demo_report)
    assert any("超过上限 3 页" in blocker for blocker in blockers)
    with pytest.raises(workflow.WorkflowError, match="超过上限 3 页"):
        workflow.submit_report(report=demo_report, user=preparer)
    demo_report.refresh_from_db()
    assert demo_report.status == Status.DRAFT


def test_render_time_limit_checked_at_save(preparer_client, page_form, demo_report, unchanged, settings):
    settings.PDF_TIMEOUT_SECONDS = 0.5
    settings.PDF_TIMEOUT_SECONDS_PER_PART = 0
    url, data = page_form(preparer_client, "text")
    data["s7_problems"] = "改"
    response = preparer_client.post(url, data)
    assert response.status_code == 409
    assert "超过时限 0.5 秒" in response.content.decode()
    unchanged()


def test_json_import_over_the_page_cap_refused(demo_report, unchanged, tmp_path, settings):
    settings.PDF_MAX_PAGES = 20
    settings.PDF_MAX_PAGES_PER_PART = 0  # the cap is base + per part: the base alone here
    payload = payload_of(demo_report)
    for key in payload["text"]:
        payload["text"][key] = (PROSE * 400)[:10_000]
    file = tmp_path / "long.json"
    file.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="超过上限 20 页"):
        call_command("import_report", str(file), department="zzxfj", year=2023, stdout=io.StringIO())
    unchanged()


def test_export_of_a_draft_over_the_cap_is_one_line(demo_report, tmp_path, settings):
    settings.PDF_MAX_PAGES = 3
    settings.PDF_MAX_PAGES_PER_PART = 0  # the cap is base + per part: the base alone here
    with pytest.raises(CommandError) as refused:
        call_command(
            "export_report", department="zzxfj", year=2023, format="pdf", output=str(tmp_path / "x.pdf")
        )
    assert "超过上限 3 页" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not (tmp_path / "x.pdf").exists()


def test_export_failure_is_one_line(demo_report, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command(
            "export_report", department="zzxfj", year=2023, format="json", output=str(tmp_path / "no" / "x")
        )
    assert str(refused.value).startswith("导出失败：")
    assert "\n" not in str(refused.value)


def test_admin_form_refuses_hostile_values(demo_report, administrator):
    from django.contrib import admin

    indicator = Indicator.objects.filter(scorecard__report=demo_report).first()
    request = RequestFactory().get("/")
    request.user = administrator
    model_admin = admin.site._registry[Indicator]
    form_class = model_admin.get_form(request, indicator)
    data = {
        "scorecard": indicator.scorecard_id, "level1": indicator.level1, "level2": indicator.level2,
        "order": 0, "name": "指\x00" + "标" * 300, "operator": "ge", "target_value": "1E+400",
        "actual_value": "1.0000001", "weight": "12345.67", "score": "-1", "deviation_reason": "因" * 2001,
    }  # fmt: skip
    form = form_class(data, instance=indicator)
    assert not form.is_valid()
    assert set(form.errors) >= {"name", "target_value", "actual_value", "weight", "score", "deviation_reason"}
    report_form = admin.site._registry[Report].get_form(request, demo_report)(
        {"staff_quota": str(10**25)}, instance=demo_report
    )
    assert not report_form.is_valid()
    assert "staff_quota" in report_form.errors
