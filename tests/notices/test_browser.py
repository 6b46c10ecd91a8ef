"""In the browser: the reviewer sends 催报 to a late department from the dashboard, and that department's
preparer gets it by e-mail and finds it under the bell."""

import pytest
from playwright.sync_api import expect

from perfeval.notices.models import Notice
from perfeval.orgs.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_reviewer_reminds_a_late_department_and_its_preparer_sees_the_notice(
    live_server, login_page, demo_report, mailoutbox
):
    User.objects.filter(username="zzmzj_preparer").update(email="mzj@example.org")
    page = login_page("reviewer")
    page.goto(f"{live_server.url}/review/2023/?overdue=1")
    row = page.locator('tr[data-department="zzmzj"]')
    expect(row.get_by_test_id("deadline")).to_contain_text("逾期")
    row.get_by_role("checkbox").check()
    page.get_by_test_id("remind-selected").click()
    expect(page.locator(".alert-success")).to_contain_text("已向 1 个单位发送催报")
    assert page.url.endswith("/review/2023/?overdue=1")
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["mzj@example.org"], "催报：请尽快提交 2023 年度绩效自评报告")
    ]
    page.get_by_role("button", name="退出").click()

    page = login_page("zzmzj_preparer")
    expect(page.get_by_test_id("bell-count")).to_have_text("1")
    page.get_by_test_id("bell").click()
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("催报：请尽快提交 2023 年度绩效自评报告")
    expect(notice).to_contain_text("株洲市民政局的 2023 年度部门整体支出绩效自评报告尚未提交")
    notice.get_by_role("link").click()
    page.get_by_test_id("notice-open").click()
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    assert Notice.objects.get().read_at is not None

    # 株洲市信访局's preparer got nothing.
    page.get_by_role("button", name="退出").click()
    page = login_page("zzxfj_preparer")
    expect(page.get_by_test_id("bell")).to_be_visible()
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
