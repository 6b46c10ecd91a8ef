"""A season of 10 finance bureaus with 1,000 departments on PostgreSQL: the reminder job over all of them, and
the reviewer dashboard under gunicorn against a bare Django view behind login on the same server.

Run: .venv/bin/python benchmarks/bench_notices.py [--departments 1000] [--bureaus 10] [--seconds 20] [--users 8]
     [--workers 3] [--full]

Steps: (re)create the database perfeval_notices_bench on 127.0.0.1, migrate, load the demo (株洲市财政局 and
芦淞区财政局 below it) and add county bureaus under the city up to ``--bureaus``, each with its 2023 period;
spread N departments evenly over the bureaus, each with a preparer and a head (with e-mail addresses) and a
draft report (empty, or with ``--full`` a full copy of the demo report). Then the reminder job, as the worker
and ``send_reminders`` run it (e-mails built by Django's in-memory backend, not delivered): the first run sends
every department its 逾期催报 (timed), the second skips them all (timed); ``send_reminders --format json``
prints the third. Then the reports are put in a spread of statuses, gunicorn starts (3 workers as in the
Dockerfile; 127.0.0.1 only, production settings plus the bare views of bench_portal_urls), a city reviewer's
session is made, the first (cold) request of each page is timed, and locust runs each path in turn at the
given concurrency: the bare view behind login, the city's own dashboard, a county's dashboard through the
bureau filter (read-only, with a status filter) and its xlsx, and the notice list (a small page of the site, for
what any page with the base template costs). Prints p50 / p95 and each page's p50 ÷ the bare view's. Targets (issue 12): the dashboard p50 ≤ 3× bare; the reminder job for 1,000 departments ≤ 10 s.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_dashboard import (  # this folder is on sys.path
    PAGE_SESSION,
    SESSION,
    bench_env,
    locust_stats,
    print_ratios,
    recreate_database,
    serving,
    wait_for,
)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB_NAME = "perfeval_notices_bench"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = 8114
YEAR = 2023

SEED = """
import time
from perfeval.filing.demo import CITY, load_demo, load_fixture
from perfeval.filing.models import FilingPeriod, Report
from perfeval.filing.opendata import import_report
from perfeval.orgs.models import BureauLevel, Department, FinanceBureau, Role, User

t0 = time.monotonic()
load_demo()
city = FinanceBureau.objects.get(code=CITY)
demo_period = FilingPeriod.objects.get(bureau=city, year={year})
for i in range(FinanceBureau.objects.count(), {bureaus}):
    FinanceBureau.objects.create(
        code=f"county{{i:02d}}", name=f"基准县区{{i:02d}}财政局", level=BureauLevel.COUNTY, parent=city,
        region="湖南省株洲市",
    )
bureaus = list(FinanceBureau.objects.order_by("pk"))
periods = {{
    b.pk: FilingPeriod.objects.get_or_create(
        bureau=b, year={year}, defaults={{"deadline": demo_period.deadline, "rule_pack": demo_period.rule_pack}}
    )[0]
    for b in bureaus
}}
departments = Department.objects.bulk_create(
    [
        Department(code=f"bench{{i:04d}}", name=f"基准单位{{i:04d}}", bureau=bureaus[i % len(bureaus)])
        for i in range({count})
    ]
)
for bureau in bureaus:
    periods[bureau.pk].departments.add(*[d for d in departments if d.bureau_id == bureau.pk])
User.objects.bulk_create(
    [
        User(username=f"{{d.code}}_{{role}}", role=role, department=d, email=f"{{d.code}}.{{role}}@example.org",
             password="!")
        for d in departments
        for role in (Role.PREPARER, Role.HEAD)
    ]
)
reports = Report.objects.bulk_create(
    [Report(department=d, period=periods[d.bureau_id]) for d in departments]
)
if {full}:
    payload = load_fixture()
    for report in reports:
        import_report({{**payload, "department": {{"code": report.department.code, "name": report.department.name}}}},
                      report=report)
print(f"seeded {{len(bureaus)}} bureaus, {count} departments, {{2 * {count}}} people in {{time.monotonic() - t0:.0f}} s")
"""

REMIND = """
import time
from datetime import timedelta
from django.core import mail
from perfeval.filing.models import FilingPeriod
from perfeval.notices.reminders import send_reminders
from perfeval.workflow.models import AuditEvent

today = FilingPeriod.objects.filter(year={year}).first().deadline + timedelta(days=2)
for run in ("first", "second"):
    t0 = time.monotonic()
    outcome = send_reminders(today=today)
    took = time.monotonic() - t0
    print(f"reminder job, {{run}} run: {{took:.2f}} s — sent {{len(outcome.sent)}}, skipped {{len(outcome.skipped)}}, "
          f"notices {{outcome.notices}}, e-mails {{len(getattr(mail, 'outbox', []))}} (target ≤ 10 s)")
print("audit events:", AuditEvent.objects.filter(action="remind").count())
"""

STATUSES = """
import itertools
from django.db.models import F
from perfeval.filing.models import Report
from perfeval.workflow.models import AuditEvent

statuses = itertools.cycle(["draft", "submitted", "submitted", "returned", "approved", "published", "draft"])
events = []
for report in Report.objects.filter(department__code__startswith="bench").order_by("pk"):
    status = next(statuses)
    Report.objects.filter(pk=report.pk).update(status=status, version=F("version") + 1)
    if status != "draft":
        events.append(AuditEvent(action="submit", report=report, status_from="draft", status_to="submitted"))
AuditEvent.objects.bulk_create(events)
"""

# name: (path, what the first answer must hold)
BARE = "bare view behind login"
PATHS = {
    BARE: ("/bench/bare-login/", b"ok"),
    # A small page of the site: the base template, the session, the user, the bell (what every page costs).
    "notice list (a small page)": ("/notices/", "通知".encode()),
    "dashboard, own bureau": (f"/review/{YEAR}/", "基准单位".encode()),
    "dashboard, county via filter": (f"/review/{YEAR}/?bureau=county05&status=draft", "基准单位".encode()),
    "dashboard xlsx, county": (f"/review/{YEAR}/export.xlsx?bureau=county05&status=draft", b"PK"),
}


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=1000)
    parser.add_argument("--bureaus", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the Dockerfile runs 3)")
    parser.add_argument(
        "--full", action="store_true", help="full copies of the demo report, not empty drafts"
    )
    options = parser.parse_args()
    if options.seconds > 60:
        raise SystemExit("at most 60 s of load per page")

    work = Path(tempfile.mkdtemp(prefix="perfeval-bench-notices-"))
    env = bench_env(
        work,
        DB_URL,
        "bench_portal_settings",  # the project's settings and URLs, plus the bare views
        PYTHONPATH=str(ROOT / "benchmarks"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores)")
    recreate_database(DB_NAME)
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    run([PYTHON, "manage.py", "createcachetable"], env)  # the shared cache (CACHE_URL, default db://)
    seed = SEED.format(year=YEAR, bureaus=options.bureaus, count=options.departments, full=options.full)
    run([PYTHON, "manage.py", "shell", "-c", seed], env)
    run([PYTHON, "manage.py", "shell", "-c", REMIND.format(year=YEAR)], env)
    made = run(
        [PYTHON, "manage.py", "send_reminders", "--format", "json"], env, capture_output=True, text=True
    )
    print(f"send_reminders --format json (third run): {made.stdout.strip()}")
    run([PYTHON, "manage.py", "shell", "-c", STATUSES], env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    # The bare view's session as plain Django makes it (ModelBackend: the user row alone); the pages' as a login
    # on this server stores it (its backend also brings the navbar's department, bureau and unread count).
    made = run([PYTHON, "manage.py", "shell", "-c", SESSION], env, capture_output=True, text=True)
    bare_key = made.stdout.strip().splitlines()[-1]
    made = run([PYTHON, "manage.py", "shell", "-c", PAGE_SESSION], env, capture_output=True, text=True)
    session_key = made.stdout.strip().splitlines()[-1]
    sessions = {name: bare_key if name == BARE else session_key for name in PATHS}

    with serving(env, PORT, options.workers, work) as base:
        wait_for(f"{base}/bench/bare/", timeout=60)
        for name, (path, expected) in PATHS.items():
            t0 = time.monotonic()
            cookie = {"Cookie": f"sessionid={sessions[name]}"}
            with urllib.request.urlopen(
                urllib.request.Request(base + path, headers=cookie), timeout=300
            ) as r:
                body = r.read()
            if expected not in body:
                raise SystemExit(f"{path} does not answer what it should ({expected!r})")
            print(f"first request {name}: {(time.monotonic() - t0) * 1000:.0f} ms")
        results = {
            name: locust_stats(
                work, env, base, path, sessions[name], users=options.users, seconds=options.seconds
            )
            for name, (path, _expected) in PATHS.items()
        }
        print_ratios(results, BARE, 30)
        print(f"load average after: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
