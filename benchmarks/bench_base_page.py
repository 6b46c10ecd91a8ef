"""What every page of the site costs beyond a bare Django view behind login: the base template (navbar, bell,
the user's department or bureau, messages, CSRF token), measured in one process through the same middleware
with the same session and user, in CPU time, with the query count; and what one ORM query costs by itself.

Run: .venv/bin/python benchmarks/bench_base_page.py [runs]
     DATABASE_URL=postgres://perfeval:perfeval@127.0.0.1:5432/perfeval_bench .venv/bin/python benchmarks/bench_base_page.py
Prints the median of ``runs`` (default 51) requests per page for a department's preparer and a bureau's reviewer:
the bare view; base.html with no content; the same without the bell's COUNT (unread count given as 0); the
notice list (a small page of the site). Then the CPU time of single queries (the ORM's own cost dominates).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfeval.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.db import connection  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402

from benchmarks.bare_view import bare, bare_client, run_in_process  # noqa: E402


@login_required
def base_page(request):
    return render(request, "base.html", {})


@login_required
def base_page_without_bell(request):
    return render(request, "base.html", {"unread_notices": 0})


# This module is the URLconf of the run: the project's URLs plus the views above.
urlpatterns = [
    path("bench/bare/", bare),
    path("bench/base/", base_page),
    path("bench/base-without-bell/", base_page_without_bell),
    path("", include("perfeval.urls")),
]

PAGES = {
    "bare view": "/bench/bare/",
    "base.html, empty": "/bench/base/",
    "  without the bell": "/bench/base-without-bell/",
    "notice list": "/notices/",
}


def cpu_ms(function, runs):
    timings = []
    for _ in range(runs):
        start = time.process_time()
        function()
        timings.append((time.process_time() - start) * 1000)
    return statistics.median(timings)


def bench_user(user, runs):
    client = Client()
    client.force_login(user)
    print(f"\n{user.username} ({user.get_role_display()})")
    print(f"  {'page':<22}{'CPU ms':>8}{'queries':>9}{'× bare':>8}")
    bare_ms = None
    plain = bare_client(user)  # the yardstick logs in as plain Django does
    for name, url in PAGES.items():
        page_client = plain if url == "/bench/bare/" else client
        assert page_client.get(url).status_code == 200, url
        ms = cpu_ms(lambda url=url, c=page_client: c.get(url), runs)
        with CaptureQueriesContext(connection) as captured:
            page_client.get(url)
        bare_ms = bare_ms or ms
        print(f"  {name:<22}{ms:>8.2f}{len(captured):>9}{ms / bare_ms:>8.1f}")


def bench_queries(user, runs):
    from perfeval.filing import access
    from perfeval.notices.models import Notice
    from perfeval.orgs.models import User

    def raw():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    queries = {
        "the user by pk (ORM)": lambda: User.objects.get(pk=user.pk),
        "user + department + bureau (ORM join)": lambda: User.objects.select_related(
            "department", "bureau"
        ).get(pk=user.pk),
        "the bell's COUNT (ORM)": lambda: access.notices_visible_to(
            user, Notice.objects.filter(read_at__isnull=True)
        ).count(),
        "SELECT 1 (cursor, no ORM)": raw,
    }
    print("\none query, CPU µs")
    for name, query in queries.items():
        print(f"  {name:<40}{cpu_ms(query, runs * 5) * 1000:>6.0f}")


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 51
    run_in_process(__name__)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from perfeval.filing.demo import load_demo
        from perfeval.orgs.models import User

        load_demo()
        print(f"database: {connection.vendor}; median of {runs} runs; load average {os.getloadavg()[0]:.1f}")
        preparer = User.objects.get(username="zzxfj_preparer")
        bench_user(preparer, runs)
        bench_user(User.objects.get(username="reviewer"), runs)
        bench_queries(preparer, runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
