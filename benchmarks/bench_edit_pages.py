"""Render time and query count of every edit page, the report page and each live recompute (附件1, 附件2 and
one 附件3 scored from the posted form), on the demo report and on a synthetic report with 50 projects × 30
indicators, through the Django test client against a real (throw-away test) database, with the ratio of each
to a bare Django view behind login measured in the same run through the same middleware (issue 10 aims at
≤ 3×).

Run: .venv/bin/python benchmarks/bench_edit_pages.py [runs]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/perfeval_bench .venv/bin/python benchmarks/bench_edit_pages.py
Prints the median of ``runs`` (default 7) requests per page, and the save of 附件2 / one 附件3.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfeval.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks.bare_view import bare_client, run_in_process  # noqa: E402
from tests.editing.helpers import form_data, json_form  # noqa: E402

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
PAGES = ("overview", "text", "attachment1", "attachment2", "projects", "attachment3", "check")


def page_urls(report):
    from perfeval.filing.models import Project

    project = Project.objects.filter(report=report, scorecard__isnull=False).order_by("order", "id").first()
    kwargs = {"report_id": report.pk}
    urls = {name: reverse(f"editing:{name}", kwargs=kwargs) for name in PAGES if name != "attachment3"}
    urls["attachment3"] = reverse("editing:attachment3", kwargs={**kwargs, "project_id": project.pk})
    return {name: urls[name] for name in PAGES}


def measure(client, method, url, runs, data=None, expected=None, json=False):
    """(median wall ms, median CPU ms of this process, queries of the last request). The test client, the
    views and SQLite all run in this process, so its CPU time is the request's work even while other programs
    share the cores; the wall time is what a user would wait on an idle machine."""
    timings, cpu, queries = [], [], 0
    # Encoded by the browser, not timed.
    body = None if method != "post" else json_form(data) if json else urlencode(data, doseq=True)
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = (
                # As htmx posts the form for a recompute (JSON, its json-enc extension), and the browser a
                # plain form (urlencoded, not multipart).
                client.post(url, body, content_type=JSON if json else FORM, headers={"HX-Request": "true"})
                if method == "post"
                else client.get(url)
            )
            cpu.append((time.process_time() - start_cpu) * 1000)
            timings.append((time.perf_counter() - start) * 1000)
        expected = expected or (302 if method == "post" else 200)
        assert response.status_code == expected, (url, response.status_code)
        queries = len(captured)
    return statistics.median(timings), statistics.median(cpu), queries


def bench_report(label, report, user, runs):
    client = Client()
    client.force_login(user)
    urls = page_urls(report)
    print(f"\n{label}")
    print(
        f"  {'page':<16}{'wall ms':>9}{'CPU ms':>9}{'queries':>9}{'× bare':>8}  first request (checks the version)"
    )
    bare_ms, bare_cpu, bare_queries = measure(bare_client(user), "get", "/bench/bare/", runs * 3)
    print(f"  {'bare view':<16}{bare_ms:>9.1f}{bare_cpu:>9.2f}{bare_queries:>9}{1:>8.1f}")
    urls["report page"] = reverse("report_detail", args=[report.pk])
    for name, url in urls.items():
        # The first request of a version checks the whole report once (filing.checked) for every page of every
        # server; the median is of the requests after it. The ratio is of CPU times.
        first, first_cpu, _ = measure(client, "get", url, 1)
        wall, cpu, queries = measure(client, "get", url, runs)
        print(
            f"  {name:<16}{wall:>9.1f}{cpu:>9.2f}{queries:>9}{cpu / bare_cpu:>8.1f}"
            f"  {first:.0f} ms (CPU {first_cpu:.0f} ms)"
        )
    project_id = int(urls["attachment3"].rstrip("/").split("/")[-2])
    recomputes = {  # (url, the page whose form it posts, the form, the one amount typed)
        "att1": (reverse("editing:recompute_attachment1", args=[report.pk]), "attachment1", "att1-form",
                 "car_purchase__final"),
        "att2": (reverse("editing:recompute_attachment2", args=[report.pk]), "attachment2", "scorecard-form",
                 "fund-total-executed"),
        "att3": (reverse("editing:recompute_attachment3", kwargs={"report_id": report.pk, "project_id": project_id}),
                 "attachment3", "scorecard-form", "fund-current-executed"),
    }  # fmt: skip
    for name, (recompute, page, form, typed) in recomputes.items():
        posted = form_data(client.get(urls[page]), form)
        posted[typed] = "1.23"
        wall, cpu, queries = measure(client, "post", recompute, runs, posted, expected=200, json=True)
        print(f"  {'recompute ' + name:<16}{wall:>9.1f}{cpu:>9.2f}{queries:>9}{cpu / bare_cpu:>8.1f}")
    for name in ("attachment2", "attachment3"):
        timings, cpus, queries = [], [], 0
        for _ in range(runs):
            data = form_data(client.get(urls[name]), "scorecard-form")
            data["goal_actual"] = f"第 {time.perf_counter_ns()} 次保存"
            wall, cpu, queries = measure(client, "post", urls[name], 1, data)
            timings.append(wall)
            cpus.append(cpu)
        print(
            f"  {'save ' + name:<16}{statistics.median(timings):>9.1f}{statistics.median(cpus):>9.2f}{queries:>9}"
        )


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    run_in_process()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from perfeval.filing.demo import load_demo
        from perfeval.orgs.models import Role, User
        from tests.synthetic import make_synthetic_report

        demo = load_demo()
        preparer = User.objects.get(username="zzxfj_preparer")
        large = make_synthetic_report(period=demo.period, projects=50, indicators=30, code="large")
        large_user = User.objects.create_user(
            username="large_preparer", password="x", role=Role.PREPARER, department=large.department
        )
        print(f"database: {connection.vendor}; median of {runs} runs per page")
        bench_report("demo report (株洲市信访局 2023)", demo, preparer, runs)
        bench_report(
            "synthetic report: 50 projects × 30 indicators (1530 indicators)", large, large_user, runs
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
