"""Every page of the demo, as each role sees it, read by axe-core in Chromium: no serious or critical
violation. The 2023 demo report is approved and published (public pages, portal) and 2024 is opened from it
(a draft with every edit tab)."""

from datetime import date
from pathlib import Path

import pytest

from perfeval.filing.models import Report
from perfeval.notices.models import Notice
from perfeval.notices.reminders import send_reminders
from perfeval.orgs.models import Department
from perfeval.workflow import services
from tests.a11y import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path("/tmp/perfeval-screenshots")


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected by the test, not served


@pytest.fixture
def demo_years(settings, approved_2023, reviewer, administrator):
    """The published 2023 demo and the 2024 draft opened from it."""
    # The final PDF renders on commit; these tests read pages (the PDF is tested in publishing).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    services.publish_report(report=approved_2023, user=reviewer, published_where="株洲市财政局门户网站")
    period = services.open_period(
        user=administrator,
        year=2024,
        deadline=date(2025, 4, 30),
        rule_pack=approved_2023.period.rule_pack,
        departments=Department.objects.filter(code="zzxfj"),
        requires_head_confirmation=True,
        pack_confirmed=True,
    )
    send_reminders(today=date(2025, 5, 1), year=2024)  # the bell and the notices of the 2024 draft's people
    return approved_2023, Report.objects.get(period=period)


ROLES = ("zzxfj_preparer", "zzxfj_head", "reviewer", "admin", "anonymous")


def pages_of(role: str, published: Report, draft: Report) -> list[str]:
    old, new = f"/reports/{published.pk}/", f"/reports/{draft.pk}/"
    project = draft.projects.order_by("id").first()
    if role == "zzxfj_preparer":
        return ["/", new, f"{new}edit/", f"{new}edit/text/", f"{new}edit/attachment1/", f"{new}edit/attachment2/",
                f"{new}edit/projects/", f"{new}edit/projects/{project.pk}/attachment3/", f"{new}check/",
                f"{new}submit/", f"{new}last-year/", f"{new}excel/import/", f"{new}evidence/?section=s7",
                old, f"{old}history/", "/notices/",
                f"/notices/{Notice.objects.filter(recipient__username=role).first().pk}/"]  # fmt: skip
    if role == "zzxfj_head":
        return ["/", new, f"{new}submit/"]
    if role == "reviewer":
        return ["/", "/review/2023/", "/review/2024/", old, f"{old}history/", f"{old}copies/", new]
    if role == "admin":
        return ["/periods/", "/review/2024/"]
    return ["/accounts/login/", "/public/", "/public/zzxfj/2023/", "/portal/", "/portal/departments/zzxfj/",
            "/portal/compare/?d=zzxfj", "/portal/data/"]  # fmt: skip


def test_every_page_as_every_role_has_no_serious_axe_violation(live_server, login_page, page, demo_years):
    published, draft = demo_years
    violations = []
    for role in ROLES:
        if role != "anonymous":
            login_page(role)
        for path in pages_of(role, published, draft):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            violations += [f"{role} {line}" for line in axe_violations(page)]
        page.context.clear_cookies()
    assert not violations, "\n".join(violations)


# Elements reaching past the right edge of the window outside any box that scrolls them: what makes the page
# scroll sideways.
WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX);
  const outside = (el) => { for (let p = el.parentElement; p; p = p.parentElement) if (scrolls(p)) return false; return true; };
  const wide = [...document.body.querySelectorAll("*")].filter(
    (el) => el.getBoundingClientRect().right > width + 1 && outside(el) && el.getClientRects().length);
  // The outermost ones: a child of a wide element is reported with it.
  return wide.filter((el) => !wide.includes(el.parentElement)).slice(0, 5)
    .map((el) => [el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : ""),
                  Math.round(el.getBoundingClientRect().right - width)]);
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_pages_fit_the_screen_width(width, live_server, login_page, page, demo_years):
    """At 1366 px the grids fit beside their labels; at 390 px the page never scrolls sideways (tables scroll
    in their own box). Screenshots are kept under /tmp/perfeval-screenshots to look at."""
    published, draft = demo_years
    page.set_viewport_size({"width": width, "height": 900})
    SCREENSHOTS.mkdir(exist_ok=True)
    login_page("zzxfj_preparer")
    wide = []
    for name, path in (("report", f"/reports/{published.pk}/"), ("att2", f"/reports/{draft.pk}/edit/attachment2/"),
                       ("att1", f"/reports/{draft.pk}/edit/attachment1/"),
                       ("projects", f"/reports/{draft.pk}/edit/projects/"), ("public", "/public/zzxfj/2023/"),
                       ("portal", "/portal/")):  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png")
        wide += [(name, *element) for element in page.evaluate(WIDER_THAN_THE_SCREEN)]
        if name == "public":
            # The public reads the 「算」 marks with their legend.
            assert page.get_by_test_id("computed-legend").is_visible()
        if name == "att2" and width == 1366:
            # 规则得分 and 删除 are on screen beside the findings panel, not past the grid's right edge.
            header = page.get_by_test_id("indicator-grid").locator("thead th")
            assert [header.nth(i).inner_text() for i in (10, 11)] == ["规则得分", "删除"]
            assert header.nth(11).bounding_box()["x"] + header.nth(11).bounding_box()["width"] <= width
        for table in (
            "[data-testid=indicator-grid]",
            "[data-testid=expense-grid]",
            ".report-doc table.official",
        ):
            if page.locator(table).count():
                page.locator(table).first.scroll_into_view_if_needed()
                page.screenshot(path=SCREENSHOTS / f"{name}-table-{width}.png")
                break
    # A new indicator row: its 方向 reads 「请选择」 whole (screenshot).
    project = draft.projects.order_by("id").first()
    page.goto(f"{live_server.url}/reports/{draft.pk}/edit/projects/{project.pk}/attachment3/")
    page.locator('[data-add-row="ind-quantity"]').click()
    page.locator('[name^="ind-quantity-"][name$="-operator"]').last.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / f"att3-new-row-{width}.png")
    assert wide == []
