"""Every denied request is on record (issue 15, reproduction 11): a 403, a 404 for another department's report,
an anonymous attempt at a report's URL, a non-staff request to the admin. Allowed requests record nothing."""

from django.test import Client
from django.urls import reverse

from perfeval.workflow.models import AuditAction, AuditEvent


def _denials():
    return list(
        AuditEvent.objects.filter(action=AuditAction.DENIED)
        .order_by("id")
        .values_list("actor__username", "report_id", "path", "ip", "reason", "details")
    )


def test_403_of_a_department_user_on_a_reviewer_page_is_recorded(demo_report, preparer):
    client = Client(REMOTE_ADDR="127.0.0.8")
    client.force_login(preparer)
    url = reverse("workflow:return", args=[demo_report.pk])
    assert client.get(url).status_code == 403
    assert _denials() == [
        (
            "zzxfj_preparer",
            demo_report.pk,
            url,
            "127.0.0.8",
            "无权执行此操作（403）",
            {"method": "GET", "status": 403, "denial": "forbidden"},
        )
    ]


def test_403_outside_report_pages_is_recorded_too(demo_report, preparer_client):
    assert preparer_client.get(reverse("workflow:dashboard", args=[2023])).status_code == 403
    assert [(user, report, path) for user, report, path, *_ in _denials()] == [
        ("zzxfj_preparer", None, "/review/2023/")
    ]


def test_anonymous_attempt_at_a_report_url_is_recorded(demo_report):
    client = Client(REMOTE_ADDR="127.0.0.9")
    for name in ("report_detail", "workflow:history", "publishing:report_pdf_draft"):
        url = reverse(name, args=[demo_report.pk])
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert [
        (user, report, ip, reason, details["denial"]) for user, report, _, ip, reason, details in _denials()
    ] == [(None, demo_report.pk, "127.0.0.9", "未登录访问报告页面", "anonymous")] * 3


def test_anonymous_attempt_at_a_missing_report_is_recorded_without_a_report(db):
    assert Client().post("/reports/987654/submit/").status_code == 302
    assert [(report, path, details) for _, report, path, _, _, details in _denials()] == [
        (None, "/reports/987654/submit/", {"method": "POST", "status": 302, "denial": "anonymous"})
    ]


def test_non_staff_at_the_admin_is_recorded(demo_report, preparer_client):
    assert preparer_client.get("/admin/").status_code == 302
    assert preparer_client.get("/admin/filing/report/").status_code == 302
    anonymous = Client()
    assert anonymous.get("/admin/filing/report/").status_code == 302
    assert [(user, path, reason) for user, _, path, _, reason, _ in _denials()] == [
        ("zzxfj_preparer", "/admin/", "非管理人员访问管理后台"),
        ("zzxfj_preparer", "/admin/filing/report/", "非管理人员访问管理后台"),
        (None, "/admin/filing/report/", "非管理人员访问管理后台"),
    ]


def test_allowed_requests_and_the_login_pages_record_no_denial(demo_report, preparer_client, reviewer_client):
    preparer_client.get(reverse("report_detail", args=[demo_report.pk]))
    reviewer_client.get(reverse("workflow:dashboard", args=[2023]))
    Client().get("/accounts/login/")
    Client().get("/admin/login/")
    Client().get("/public/")
    assert _denials() == []
