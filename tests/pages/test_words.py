"""Words users understand: no page a user sees shows an internal code, a hash, a payload field path or a
second word for a severity; error pages are Chinese."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from perfeval.excel.services import parse_upload
from perfeval.filing.parts import reports_with_parts
from perfeval.notices.reminders import send_reminders
from perfeval.workflow import services
from tests.excel.helpers import demo_workbook, to_bytes
from tests.workflow.helpers import make_submittable

CODE = re.compile(r"\b[A-Z][A-Z0-9]+_[A-Z0-9_]+\b")
HASH = re.compile(r"\b[0-9a-f]{64}\b")
FIELD_PATH = re.compile(
    r"\b(?:attachment[123]|footer|projects|personnel_expense|text|funds|expenses|indicators)"
    r"(?:\[[^\]]*\])?\.[a-z_]+"
)
OTHER_SEVERITY_WORDS = ("警告", "提醒", "规则包权重", "本年决算数", "SHA-256")


class _Text(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles (hidden form values are not read)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        if tag in ("input", "textarea", "option") and ("type", "hidden") not in attrs:
            # What an input shows is its value (a preparer's own text may be anything; ours is checked).
            self.parts.extend(v for k, v in attrs if k in ("value", "placeholder", "title") and v)

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def problems(text: str) -> list[str]:
    found = [m.group() for pattern in (CODE, HASH, FIELD_PATH) for m in pattern.finditer(text)]
    return found + [word for word in OTHER_SEVERITY_WORDS if word in text]


def walk(client: Client, urls: list[str]) -> dict[str, list[str]]:
    """Every HTML page of ``urls`` → what it shows that it should not (only pages that show something)."""
    bad = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404, 405), (url, response.status_code)
        if response.status_code == 405 or "html" not in response.get("Content-Type", ""):
            continue
        found = problems(visible_text(response.content.decode()))
        if found:
            bad[url] = sorted(set(found))
    return bad


def report_urls(report) -> list[str]:
    r = report.pk
    names = [
        "report_detail", "editing:overview", "editing:text", "editing:attachment1", "editing:attachment2",
        "editing:projects", "editing:check", "workflow:submit", "workflow:confirm", "workflow:last_year",
        "workflow:history", "workflow:changes", "workflow:return", "workflow:approve", "excel:upload",
        "publishing:report_pdf_status", "publishing:publish_gate", "portal:copies",
    ]  # fmt: skip
    urls = []
    for name in names:
        try:
            urls.append(reverse(name, args=[r]))
        except Exception:  # a name another branch renamed: the walk still covers the rest
            continue
    urls += [reverse("editing:attachment3", args=[r, p.pk]) for p in report.projects.all()]
    return urls


def public_urls() -> list[str]:
    return [
        reverse("publishing:public_index"), reverse("portal:index"), reverse("portal:compare"),
        reverse("portal:open_data"), reverse("portal:department", args=["zzxfj"]), reverse("login"),
        reverse("publishing:public_report", args=["zzxfj", 2023]),
        reverse("publishing:public_version", args=["zzxfj", 2023, 1]), "/no-such-page/",
    ]  # fmt: skip


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_user_pages_show_no_codes_hashes_paths_or_other_severity_words(demo_report, users):
    report = reports_with_parts().get(pk=demo_report.pk)
    preparer, head = users["zzxfj_preparer"], users["zzxfj_head"]
    reviewer, admin = users["reviewer"], users["admin"]
    upload = parse_upload(
        report=report, user=preparer, name="附表.xlsx", content=to_bytes(demo_workbook(report))
    ).upload
    preview = reverse("excel:preview", args=[report.pk, upload.pk])
    bad = {}
    # A draft with errors and warnings open, reminded of its deadline: what the department sees.
    send_reminders(today=report.period.deadline)
    for user in (preparer, head):
        notices = ["/notices/", *(f"/notices/{pk}/" for pk in user.notices.values_list("pk", flat=True))]
        bad |= {
            f"{user.username} {u}": p
            for u, p in walk(client_for(user), ["/", preview, *notices, *report_urls(report)]).items()
        }
    # Submitted: what the finance bureau sees.
    make_submittable(report)
    services.submit_report(report=report, user=preparer)
    staff_pages = [
        "/",
        reverse("workflow:dashboard_latest"),
        reverse("workflow:periods"),
        *report_urls(report),
    ]
    admin_pages = ["/admin/", f"/admin/filing/report/{report.pk}/change/", "/admin/filing/report/"]
    for user in (reviewer, admin):
        pages = staff_pages + (admin_pages if user is admin else [])
        bad |= {f"{user.username} {u}": p for u, p in walk(client_for(user), pages).items()}
    # Approved and published (the PDFs are rendered after the commit, which a test does not reach).
    services.approve_report(report=report, user=reviewer)
    services.publish_report(report=report, user=reviewer, published_where="财政局网站")
    for user in (reviewer, preparer):
        bad |= {f"{user.username} {u}": p for u, p in walk(client_for(user), report_urls(report)).items()}
    bad |= {f"anonymous {u}": p for u, p in walk(Client(), public_urls()).items()}
    assert bad == {}, "\n".join(f"{page}: {found}" for page, found in bad.items())


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/no-such-page/", 404, "页面不存在"),
        ("/reports/999999/", 404, "页面不存在"),
        ("/admin/filing/no-such-model/", 404, "页面不存在"),
    ],
)
def test_error_pages_are_chinese(client, administrator, url, status, words):
    client.force_login(administrator)
    response = client.get(url)
    assert response.status_code == status
    text = visible_text(response.content.decode())
    assert words in text
    assert "Not Found" not in text


@override_settings(DEBUG=False)
def test_forbidden_page_is_chinese_and_says_why(demo_report, users):
    client = client_for(users["reviewer"])
    response = client.get(reverse("excel:upload", args=[demo_report.pk]))
    assert response.status_code == 403
    text = visible_text(response.content.decode())
    assert "无权操作" in text and "只有本单位的填报人或单位负责人可以修改这份报告。" in text


@override_settings(DEBUG=False)
def test_bad_request_and_server_error_pages_are_chinese(rf):
    from django.views import defaults

    request = rf.get("/")
    assert "请求有误" in visible_text(defaults.bad_request(request, Exception()).content.decode())
    response = defaults.server_error(request)
    assert response.status_code == 500
    assert "系统出错" in visible_text(response.content.decode())


@override_settings(DEBUG=False)
def test_csrf_refusal_page_is_chinese(demo_report, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["zzxfj_preparer"])
    response = client.post(reverse("workflow:submit", args=[demo_report.pk]))
    assert response.status_code == 403
    assert "页面已过期" in visible_text(response.content.decode())


def test_admin_amount_columns_carry_the_tables_year(demo_report, users):
    page = client_for(users["admin"]).get(f"/admin/filing/report/{demo_report.pk}/change/").content.decode()
    text = visible_text(page)
    assert "2023年决算数" in text and "2022年决算数" in text and "本年决算数" not in text


@pytest.mark.django_db
def test_bureau_and_supervisor_pages_show_no_codes_hashes_paths_or_other_severity_words(demo_report, users):
    """The 主管部门's pages on a unit's waiting report, the bureaus' overview and a lower bureau's dashboard."""
    from tests.workflow.helpers import district_report, fill_unit_report

    unit = fill_unit_report()
    make_submittable(unit)
    district_report()
    services.submit_report(report=unit, user=users["zzsfly_preparer"])
    unit = reports_with_parts().get(pk=unit.pk)
    supervisor_pages = [
        "/",
        reverse("workflow:supervision_latest"),
        reverse("workflow:forward", args=[unit.pk]),
        *report_urls(unit),
    ]
    bad = {
        f"supervisor {u}": p for u, p in walk(client_for(users["zzmzj_supervisor"]), supervisor_pages).items()
    }
    bureau_pages = [
        "/",
        reverse("workflow:bureau_overview_latest"),
        reverse("workflow:dashboard", args=[2023]) + "?bureau=zhuzhou-lusong",
    ]
    for name in ("reviewer", "lusong_reviewer"):
        bad |= {f"{name} {u}": p for u, p in walk(client_for(users[name]), bureau_pages).items()}
    assert bad == {}, "\n".join(f"{page}: {found}" for page, found in bad.items())
