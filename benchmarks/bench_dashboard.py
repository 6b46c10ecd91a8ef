"""The reviewer dashboard for 1,000 synthetic departments, served by gunicorn on PostgreSQL, under load.

Run: .venv/bin/python benchmarks/bench_dashboard.py [--departments 1000] [--seconds 30] [--users 8]

Steps: (re)create the database perfeval_bench on 127.0.0.1, migrate, load the demo, add N departments whose
reports are full copies of the demo report (import_report of the fixture) in a spread of statuses; start
gunicorn (3 workers as in the Dockerfile, --workers to change; 127.0.0.1 only, production settings); log a reviewer in by creating a session; time the
first (cold) request, which computes every report's summary; then run locust headless at the given
concurrency and print p50, p95 and the error count. Target on 2 cores: p50 ≤ 50 ms, p95 ≤ 200 ms, 0 errors.
"""

import argparse
import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB_NAME = "perfeval_bench"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = 8111
YEAR = 2023

SEED = """
import itertools
from django.db.models import F
from perfeval.filing.demo import load_demo, load_fixture
from perfeval.filing.models import FilingPeriod, Report
from perfeval.filing.opendata import import_report
from perfeval.orgs.models import Department
from perfeval.workflow.models import AuditEvent

load_demo()
period = FilingPeriod.objects.get(year={year}, bureau__code="zhuzhou")
payload = load_fixture()
statuses = itertools.cycle(["draft", "submitted", "submitted", "returned", "approved", "published", "draft"])
for i in range({count}):
    department = Department.objects.create(
        code=f"bench{{i:04d}}", name=f"基准测试单位{{i:04d}}", bureau=period.bureau
    )
    period.departments.add(department)
    report = Report.objects.create(department=department, period=period)
    import_report(payload, report=report)
    status = next(statuses)
    Report.objects.filter(pk=report.pk).update(status=status, version=F("version") + 1)
    if status != "draft":
        AuditEvent.objects.create(action="submit", report=report, status_from="draft", status_to="submitted")
"""

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# What a login stores in the session, made in a shell: ``SESSION_OF.format(username=…, backend=…)`` prints the
# session key; ``backend`` is a Python expression (a quoted path, or LOGIN_BACKEND: the one a real login stores,
# the first of AUTHENTICATION_BACKENDS that can load a user).
SESSION_OF = """
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.module_loading import import_string
from perfeval.orgs.models import User

user = User.objects.get(username={username!r})
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = {backend}
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""
LOGIN_BACKEND = 'next(p for p in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(p), "get_user"))'
# The reviewer as plain Django logs in (the yardstick's session, in benchmarks whose settings add ModelBackend)
# and as this server's login does (the pages').
SESSION = SESSION_OF.format(username="reviewer", backend=repr(MODEL_BACKEND))
PAGE_SESSION = SESSION_OF.format(username="reviewer", backend=LOGIN_BACKEND)

# The departments the reviewer's dashboard lists: the benchmark's and the demo's of the city's period.
LISTED = """
from perfeval.filing.models import FilingPeriod
from perfeval.orgs.models import User

reviewer = User.objects.get(username="reviewer")
print(FilingPeriod.objects.get(bureau=reviewer.bureau, year=YEAR).departments.count())
""".replace("YEAR", str(YEAR))

LOCUSTFILE = """
import os
from locust import FastHttpUser, constant, task

# FastHttpUser: the load generator shares the 2 cores with the server, so it must be light.
class Reviewer(FastHttpUser):
    wait_time = constant(0)

    @task
    def dashboard(self):
        self.client.get(os.environ["BENCH_PATH"], headers={"Cookie": "sessionid=" + os.environ["BENCH_SESSION"]},
                        name="dashboard")
"""


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def recreate_database(name=DB_NAME):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def bench_env(work: Path, database_url: str, settings_module: str = "perfeval.settings", **extra) -> dict:
    """The environment of a benchmark's server and commands: production settings on 127.0.0.1."""
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(work / "static"),
        "DJANGO_SETTINGS_MODULE": settings_module,
        **extra,
    }


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "perfeval.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip


@contextmanager
def serving(env: dict, port: int, workers: int, work: Path):
    """gunicorn on 127.0.0.1 for the block (its base URL); then it is stopped and ``work`` removed."""
    server = start_gunicorn(env, port, workers)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def print_ratios(results: dict, bare: str, width: int) -> None:
    """Each page's locust summary (``locust_stats``) and its p50 ÷ the bare view's (``results[bare]``)."""
    bare_p50 = float(results[bare]["50%"])
    for name, stats in results.items():
        p50 = float(stats["50%"])
        print(
            f"{name:{width}} p50 {p50:5.0f} ms  p95 {float(stats['95%']):5.0f} ms  "
            f"{float(stats['Requests/s']):6.1f} req/s  errors {stats['Failure Count']}  "
            f"ratio to bare p50 {p50 / bare_p50:.2f} (target ≤ 3)"
        )


def locust_stats(work: Path, env: dict, base: str, path: str, session_key: str, *, users: int, seconds: int):
    """Run locust headless on ``path`` as the session's user; its summary row (p50 as "50%" …)."""
    (work / "locustfile.py").write_text(LOCUSTFILE)
    run(
        [str(Path(PYTHON).parent / "locust"), "-f", str(work / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
         "-H", base, "--csv", str(work / "stats"), "--only-summary", "--loglevel", "WARNING"],
        {**env, "BENCH_PATH": path, "BENCH_SESSION": session_key},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(work / "stats_stats.csv", newline="") as f:
        return next(row for row in csv.DictReader(f) if row["Name"] == "dashboard")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the Dockerfile runs 3)")
    options = parser.parse_args()
    if options.seconds > 60:
        raise SystemExit("at most 60 s of load")

    work = Path(tempfile.mkdtemp(prefix="perfeval-bench-"))
    env = bench_env(work, DB_URL)
    started = time.monotonic()
    if not options.reuse:
        recreate_database()
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    run([PYTHON, "manage.py", "createcachetable"], env)  # the shared cache (CACHE_URL, default db://)
    if not options.reuse:
        run([PYTHON, "manage.py", "shell", "-c", SEED.format(year=YEAR, count=options.departments)], env)
        print(f"seeded {options.departments} departments in {time.monotonic() - started:.0f} s")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    made = run([PYTHON, "manage.py", "shell", "-c", PAGE_SESSION], env, capture_output=True, text=True)
    session_key = made.stdout.strip().splitlines()[-1]

    with serving(env, PORT, options.workers, work) as base:
        wait_for(f"{base}/accounts/login/")
        path = f"/review/{YEAR}/"
        request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session_key}"})
        t0 = time.monotonic()
        with urllib.request.urlopen(request, timeout=300) as response:
            body = response.read().decode()
        cold = time.monotonic() - t0
        counted = run([PYTHON, "manage.py", "shell", "-c", LISTED], env, capture_output=True, text=True)
        expected = int(counted.stdout.strip().splitlines()[-1])
        if f"共 {expected} 个单位" not in body:
            raise SystemExit(f"the dashboard does not list {expected} departments")
        print(f"first request (computes every stale summary): {cold * 1000:.0f} ms")

        stats = locust_stats(work, env, base, path, session_key, users=options.users, seconds=options.seconds)
        print(
            f"dashboard, {expected} departments, concurrency {options.users}, {options.seconds} s: "
            f"requests {stats['Request Count']}, p50 {stats['50%']} ms, p95 {stats['95%']} ms, "
            f"errors {stats['Failure Count']}, {float(stats['Requests/s']):.1f} req/s"
        )


if __name__ == "__main__":
    main()
