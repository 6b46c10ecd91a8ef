import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_preparer_logs_in_and_reads_the_report_with_its_three_attachments(
    live_server, login_page, demo_report
):
    page = login_page("zzxfj_preparer")
    expect(page.get_by_test_id("current-user")).to_contain_text("刘旅琴")
    page.get_by_role("link", name="查看").click()
    expect(page).to_have_url(re.compile(rf"/reports/{demo_report.pk}/$"))
    document = page.get_by_test_id("report-document")
    expect(document.locator("h2", has_text="一、部门（单位）基本情况")).to_be_visible()
    for table in ("att1", "att2", "att3"):
        expect(page.get_by_test_id(table)).to_be_visible()
    sangong = page.get_by_test_id("att1").locator("tr", has_text="三公经费")
    expect(sangong).to_contain_text("24.65")
    expect(sangong).to_contain_text("原填 24.19")


def test_wrong_password_shows_a_chinese_message_and_keeps_the_username(live_server, page, demo_report):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "zzxfj_preparer")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    expect(page.locator("#id_username")).to_have_value("zzxfj_preparer")
