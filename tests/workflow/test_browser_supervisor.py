"""Review through the 主管部门, in the browser: a unit uploads its 满意度 survey as 佐证材料 and submits to its
主管部门, whose reviewer sees it among the units' figures, opens the survey and forwards it with an opinion; the
city bureau approves; the district bureau's reviewer neither finds the report listed nor opens it or its
survey (404)."""

import re

import pytest
from playwright.sync_api import expect

from perfeval.evidence.models import Evidence
from perfeval.filing.models import Report
from tests.evidence import files
from tests.workflow.helpers import district_report, fill_unit_report, make_submittable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def logout(page):
    page.get_by_role("button", name="退出").click()


def test_unit_submits_to_its_supervisor_which_forwards_and_the_city_approves(
    live_server, login_page, demo_report
):
    unit = fill_unit_report()
    make_submittable(unit)
    district_report()
    report_url = f"{live_server.url}/reports/{unit.pk}/"

    # The unit's preparer uploads the survey for the whole report, then submits: to the 主管部门.
    page = login_page("zzsfly_preparer")
    page.goto(report_url)
    page.get_by_test_id("evidence-upload-link").click()
    page.set_input_files(
        "#evidence-files",
        files=[{"name": "满意度调查.pdf", "mimeType": "application/pdf", "buffer": files.pdf()}],
    )
    page.get_by_test_id("evidence-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("已上传 1 个佐证材料：满意度调查.pdf")
    survey = Evidence.objects.get(report_id=unit.pk)
    survey_url = f"{report_url}evidence/{survey.pk}/"
    page.goto(report_url)
    expect(page.get_by_test_id("report-evidence")).to_contain_text("满意度调查.pdf")
    page.get_by_test_id("open-submit").click()
    page.get_by_test_id("submit").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已提交，等待主管部门审核")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("report-list").locator("tr", has_text="株洲市社会福利院")).to_contain_text(
        "主管部门审核中"
    )
    logout(page)

    # The 主管部门's reviewer finds it among the units' figures and forwards it with an opinion.
    login_page("zzmzj_supervisor")
    page.get_by_role("link", name="所属单位").click()
    row = page.get_by_test_id("unit-figures").locator('tr[data-department="zzsfly"]')
    expect(row).to_contain_text("株洲市社会福利院")
    expect(row).to_contain_text("主管部门审核中")
    expect(page.get_by_test_id("unit-sums")).to_contain_text("合计（1 个单位）")
    row.get_by_role("link", name="查看").click()
    expect(page.get_by_test_id("report-evidence")).to_contain_text("满意度调查.pdf")
    survey_response = page.request.get(survey_url)
    assert survey_response.status == 200 and survey_response.body() == files.pdf()
    expect(page.get_by_test_id("approve")).to_have_count(0)
    page.get_by_test_id("forward").click()
    page.get_by_label("主管部门审核意见").fill("经主管部门审核，数据属实，同意报送。")
    page.get_by_label("我已核对以上内容，确认执行").check()
    page.get_by_test_id("forward-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已报送财政部门审核")
    expect(page.get_by_test_id("forward")).to_have_count(0)
    logout(page)

    # The city bureau's reviewer approves.
    login_page("reviewer")
    page.goto(report_url)
    page.get_by_test_id("approve").click()
    page.get_by_label("审核意见").fill("同意")
    page.get_by_label("我已核对以上内容，确认执行").check()
    page.get_by_test_id("approve-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已审核通过")
    expect(page).to_have_url(re.compile(rf"/reports/{unit.pk}/$"))
    page.get_by_test_id("open-history").click()
    history = page.get_by_test_id("history")
    actions = history.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.action)")
    assert actions == ["evidence_add", "submit", "opened", "forward", "opened", "approve"]
    expect(history.locator('tr[data-action="forward"]')).to_contain_text(
        "经主管部门审核，数据属实，同意报送。"
    )
    assert Report.objects.get(pk=unit.pk).status == "approved"
    logout(page)

    # The district bureau's reviewer: not listed, and 404 at its address.
    login_page("lusong_reviewer")
    expect(page.get_by_test_id("report-list")).to_contain_text("株洲市芦淞区教育局")
    expect(page.get_by_test_id("report-list")).not_to_contain_text("株洲市社会福利院")
    response = page.goto(report_url)
    assert response.status == 404
    assert page.request.get(survey_url).status == 404
    page.goto(f"{live_server.url}/review/2023/")
    expect(page.get_by_test_id("dashboard")).not_to_contain_text("株洲市社会福利院")
    assert page.goto(f"{live_server.url}/review/2023/?bureau=zhuzhou").status == 404
