"""Every edit page, the report page and each live recompute (附件1, 附件2 and one 附件3 scored from the posted
form, as the page's htmx posts it), served by gunicorn on PostgreSQL, on the demo report and on a synthetic
report with 50 projects × 30 indicators, each against a bare Django view behind login on the same server
measured in the same run (issue 10 aims at ≤ 3×). The served counterpart of bench_edit_pages.py, which times
the views in-process through the test client.

Run: .venv/bin/python benchmarks/bench_edit_served.py [--runs 60] [--workers 3] [--users K --seconds 20]

Steps: (re)create the database perfeval_edit_bench on 127.0.0.1, migrate, create the cache table, load the demo
and the synthetic report (with its preparer, large_preparer); start gunicorn (3 workers as in the Dockerfile;
127.0.0.1 only, production settings plus the bare views of bench_portal_urls); make the sessions a login would
make: the preparers' with the backend a real login stores, the bare view's with Django's ModelBackend (plain
Django, the yardstick). For each report, time the first request of each page (it checks the report's version
once for every worker), then ``--runs`` requests of each, one client, one request at a time over plain HTTP,
the pages taken in turn so that drift in the machine's load hits them all alike; print p50, p95 and p50 ÷ the
bare view's p50. With ``--users K``, locust then loads each GET page at concurrency K for ``--seconds``.
"""

import argparse
import json
import os
import shlex
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace

from bench_dashboard import (  # this folder is on sys.path
    LOGIN_BACKEND,
    MODEL_BACKEND,
    SESSION_OF,
    bench_env,
    locust_stats,
    recreate_database,
    run,
    serving,
    wait_for,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.editing.helpers import form_data, json_form  # noqa: E402  (plain HTML parsing, no Django)

PYTHON = sys.executable
DB_NAME = "perfeval_edit_bench"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = 8115
BARE = "bare view behind login"
# Each live recompute: (the page whose form it posts, the form, the one amount typed).
RECOMPUTES = {
    "recompute att1": ("attachment1", "att1-form", "car_purchase__final"),
    "recompute att2": ("attachment2", "scorecard-form", "fund-total-executed"),
    "recompute att3": ("attachment3", "scorecard-form", "fund-current-executed"),
}

# Prints, as its last line, each report's pages (bench_edit_pages.page_urls, the same pages) as JSON.
SEED = """
import json
from django.urls import reverse
from bench_edit_pages import page_urls
from perfeval.filing.demo import load_demo
from perfeval.orgs.models import Role, User
from tests.synthetic import make_synthetic_report

demo = load_demo()
large = make_synthetic_report(period=demo.period, projects=50, indicators=30, code="large")
User.objects.create_user(username="large_preparer", password=None, role=Role.PREPARER, department=large.department)
pages = {}
for label, report in (("demo", demo), ("large", large)):
    urls = page_urls(report)
    urls["report page"] = reverse("report_detail", args=[report.pk])
    project_id = int(urls["attachment3"].rstrip("/").split("/")[-2])
    urls["recompute att1"] = reverse("editing:recompute_attachment1", args=[report.pk])
    urls["recompute att2"] = reverse("editing:recompute_attachment2", args=[report.pk])
    urls["recompute att3"] = reverse(
        "editing:recompute_attachment3", kwargs={"report_id": report.pk, "project_id": project_id}
    )
    pages[label] = urls
print(json.dumps(pages))
"""

REPORTS = {
    "demo": ("demo report (株洲市信访局 2023)", "zzxfj_preparer"),
    "large": ("synthetic report: 50 projects × 30 indicators (1530 indicators)", "large_preparer"),
}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the login page, say) is an error here, not a page


OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url, session_key, data=None, cookies="", extra=None):
    """(wall ms, body, response headers) of one request as the session's user; anything but 200 stops the run."""
    headers = {"Cookie": f"sessionid={session_key}{cookies}", **(extra or {})}
    request = urllib.request.Request(url, data=data, headers=headers)
    start = time.perf_counter()
    try:
        with OPENER.open(request, timeout=300) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{url} answered {error.code}, not 200") from None
    return (time.perf_counter() - start) * 1000, body, response.headers


def recompute_post(base, urls, session_key, recompute):
    """The body, cookie and headers of a live recompute: the form of its page as the browser's htmx posts it
    (JSON, json-enc), one amount changed, with the page's CSRF token in its header and cookie."""
    page, form, typed = RECOMPUTES[recompute]
    _, body, headers = fetch(base + urls[page], session_key)
    posted = form_data(SimpleNamespace(content=body), form)
    posted[typed] = "1.23"
    cookie = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    if "csrftoken" not in cookie or "csrfmiddlewaretoken" not in posted:
        raise SystemExit(f"the {page} page gave no CSRF token")
    headers = {
        "Content-Type": "application/json",
        "X-CSRFToken": posted["csrfmiddlewaretoken"],
        "HX-Request": "true",
    }
    return json_form(posted), f"; csrftoken={cookie['csrftoken'].value}", headers


def bench_report(base, label, urls, page_key, bare_key, runs):
    """Per page: first ms, p50 ms, p95 ms, and the p50 ÷ the bare view's; returns the largest ratio."""
    requests = {BARE: (base + "/bench/bare-login/", bare_key, None, "", None)}
    requests |= {
        name: (base + path, page_key, None, "", None) for name, path in urls.items() if name not in RECOMPUTES
    }
    first = {name: fetch(*request)[0] for name, request in requests.items()}
    for name in RECOMPUTES:
        data, csrf, headers = recompute_post(base, urls, page_key, name)
        requests[name] = (base + urls[name], page_key, data, csrf, headers)
        first[name] = fetch(*requests[name])[0]
    timings = {name: [] for name in requests}
    for _ in range(runs):
        for name, request in requests.items():
            timings[name].append(fetch(*request)[0])
    bare = statistics.median(timings[BARE])
    print(f"\n{label}")
    print(f"  {'page':<24}{'first ms':>9}{'p50 ms':>9}{'p95 ms':>9}{'× bare p50':>12}")
    ratios = {}
    for name, values in timings.items():
        p50, p95 = statistics.median(values), statistics.quantiles(values, n=20)[-1]
        ratios[name] = p50 / bare
        print(f"  {name:<24}{first[name]:>9.0f}{p50:>9.1f}{p95:>9.1f}{ratios[name]:>12.2f}")
    del ratios[BARE]
    return max(ratios.items(), key=lambda item: item[1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60, help="requests of each page, after the first")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the Dockerfile runs 3)")
    parser.add_argument(
        "--users", type=int, default=0, help="then run locust at this concurrency on each page"
    )
    parser.add_argument("--seconds", type=int, default=20, help="of locust load per page (with --users)")
    options = parser.parse_args()
    if options.seconds > 60:
        raise SystemExit("at most 60 s of load per page")

    print(f"command: {shlex.join([Path(PYTHON).name, *sys.argv])}")
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores)")
    work = Path(tempfile.mkdtemp(prefix="perfeval-bench-edit-"))
    # The project's settings and URLs, plus the bare views (and ModelBackend for the bare view's session).
    env = bench_env(work, DB_URL, "bench_portal_settings", PYTHONPATH=str(ROOT / "benchmarks"))
    started = time.monotonic()
    recreate_database(DB_NAME)
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    run([PYTHON, "manage.py", "createcachetable"], env)  # the shared cache (CACHE_URL, default db://)
    seeded = run([PYTHON, "manage.py", "shell", "-c", SEED], env, capture_output=True, text=True)
    pages = json.loads(seeded.stdout.strip().splitlines()[-1])
    print(f"seeded the demo and the 50 × 30 report in {time.monotonic() - started:.0f} s")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    sessions = [SESSION_OF.format(username=user, backend=LOGIN_BACKEND) for _, user in REPORTS.values()]
    sessions.append(SESSION_OF.format(username="zzxfj_preparer", backend=repr(MODEL_BACKEND)))
    sessions.append(f"print({LOGIN_BACKEND})")
    made = run([PYTHON, "manage.py", "shell", "-c", "\n".join(sessions)], env, capture_output=True, text=True)
    *page_keys, bare_key, login_backend = made.stdout.strip().splitlines()[-4:]
    print(
        f"sessions: the preparers' on {login_backend} (what a login stores), the bare view's on {MODEL_BACKEND}"
    )

    with serving(env, PORT, options.workers, work) as base:
        wait_for(f"{base}/bench/bare/", timeout=60)
        print(
            f"gunicorn, {options.workers} workers; {options.runs} requests of each page after the first, "
            "one at a time, pages in turn"
        )
        worst = {}
        for (key, (label, _user)), page_key in zip(REPORTS.items(), page_keys, strict=True):
            worst[key] = bench_report(base, label, pages[key], page_key, bare_key, options.runs)
        if options.users:
            for (key, (label, _user)), page_key in zip(REPORTS.items(), page_keys, strict=True):
                paths = {BARE: ("/bench/bare-login/", bare_key)}
                paths |= {
                    name: (path, page_key) for name, path in pages[key].items() if name not in RECOMPUTES
                }
                stats = {
                    name: locust_stats(
                        work, env, base, path, session, users=options.users, seconds=options.seconds
                    )
                    for name, (path, session) in paths.items()
                }
                bare = float(stats[BARE]["50%"])
                print(f"\n{label}: locust, concurrency {options.users}, {options.seconds} s per page")
                for name, row in stats.items():
                    print(
                        f"  {name:<24} p50 {float(row['50%']):5.0f} ms  p95 {float(row['95%']):5.0f} ms  "
                        f"{float(row['Requests/s']):6.1f} req/s  errors {row['Failure Count']}  "
                        f"× bare p50 {float(row['50%']) / bare:.2f}"
                    )
        print(f"\nload average after: {os.getloadavg()[0]:.1f} (2 cores)")
        for key, (name, ratio) in worst.items():
            print(f"{key}: max p50 ÷ bare p50 over pages {ratio:.2f} ({name}; target ≤ 3)")


if __name__ == "__main__":
    main()
