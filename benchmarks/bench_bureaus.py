"""The pages that list many bureaus' reports, scoped through perfeval.filing.access: the bureaus' overview, the
home list, a bureau's own dashboard and a lower bureau's, for the city bureau's reviewer above 9 district
bureaus and for one district's reviewer, with the ratio of each to a bare Django view behind login measured in
the same run through the same middleware (test client, throw-away test database).

Run: .venv/bin/python benchmarks/bench_bureaus.py [--bureaus 10] [--departments 100] [--runs 7]
     DATABASE_URL=postgres://…/perfeval_<you> .venv/bin/python benchmarks/bench_bureaus.py
Each bureau gets ``--departments`` departments with a blank draft (the skeleton a new period gives); the
dashboard's summaries are computed by a first request, so the medians are of warm pages.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfeval.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.bare_view import bare_client, run_in_process  # noqa: E402


def measure(client, url, runs, *, uncached=False):
    timings, queries = [], 0
    client.get(url)  # summaries computed, templates loaded
    for _ in range(runs):
        if uncached:
            cache.clear()  # the dashboard's table is cached per state: measure its rendering too
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(timings), queries


def seed(bureaus: int, departments: int):
    from perfeval.filing.creation import complete_skeletons
    from perfeval.filing.demo import load_demo
    from perfeval.filing.models import FilingPeriod, Report
    from perfeval.orgs.models import BureauLevel, Department, FinanceBureau, Role, User

    demo = load_demo()
    city = demo.period.bureau
    pack = demo.period.rule_pack
    reviewers = {}
    for b in range(bureaus):
        if b == 0:
            bureau, period = city, demo.period
        else:
            bureau = FinanceBureau.objects.create(
                code=f"district{b}", name=f"区县财政局{b}", level=BureauLevel.COUNTY, parent=city, region=""
            )
            period = FilingPeriod.objects.create(
                bureau=bureau, year=2023, deadline=date(2024, 4, 30), rule_pack=pack
            )
            reviewers[bureau.code] = User.objects.create_user(
                username=f"reviewer{b}", password="x", role=Role.REVIEWER, bureau=bureau
            )
        made = Department.objects.bulk_create(
            [
                Department(code=f"b{b}d{i:04d}", name=f"基准单位{b}-{i}", bureau=bureau)
                for i in range(departments)
            ]
        )
        period.departments.add(*made)
        reports = Report.objects.bulk_create([Report(department=d, period=period) for d in made])
        complete_skeletons(report_ids=[r.pk for r in reports])
    return User.objects.get(username="reviewer"), reviewers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bureaus", type=int, default=10)
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    run_in_process()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        start = time.perf_counter()
        city, districts = seed(args.bureaus, args.departments)
        total = args.bureaus * args.departments
        print(
            f"database: {connection.vendor}; {args.bureaus} bureaus × {args.departments} departments "
            f"({total} drafts) seeded in {time.perf_counter() - start:.1f} s; median of {args.runs} runs"
        )
        district = next(iter(districts.values()), None)
        cases = [
            ("city: bureaus' overview", city, "/review/2023/bureaus/", False),
            ("city: home list", city, "/", False),
            ("city: own dashboard", city, "/review/2023/", True),
            ("city: a district's dashboard", city, "/review/2023/?bureau=district1", True),
        ]
        if district is not None:
            cases += [
                ("district: home list", district, "/", False),
                ("district: own dashboard", district, "/review/2023/", True),
            ]
        print(f"  {'page':<30}{'median ms':>10}{'queries':>9}{'× bare':>8}")
        clients = {}
        for _label, user, _url, _uncached in cases:
            if user.pk not in clients:
                clients[user.pk] = Client()
                clients[user.pk].force_login(user)
        bare_ms, bare_queries = measure(bare_client(city), "/bench/bare/", args.runs * 3)
        print(f"  {'bare view':<30}{bare_ms:>10.1f}{bare_queries:>9}{1:>8.1f}")
        for label, user, url, uncached in cases:
            median, queries = measure(clients[user.pk], url, args.runs, uncached=uncached)
            print(f"  {label:<30}{median:>10.1f}{queries:>9}{median / bare_ms:>8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
