"""The public portal over a province's season (15,000 published reports), served by gunicorn on PostgreSQL,
against a bare Django view on the same server.

Run: .venv/bin/python benchmarks/bench_portal.py [--seconds 20] [--users 8] [--workers 3]

Needs the database of bench_similarity.py (perfeval_e_bench: seeded and indexed); run that first. Starts
gunicorn (127.0.0.1 only, production settings plus /bench/bare/, a view that returns "ok"), times the first
(uncached) request of each page, then runs locust headless on each path in turn at the given concurrency and
prints p50 / p95 and the ratio of each page's p50 to the bare view's. Target (issue 13): p50 ≤ 3× bare.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_dashboard import print_ratios, serving, wait_for  # this folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Another database: BENCH_PORTAL_DATABASE_URL (bench_similarity.py drops and recreates it, bench_portal.py reads it).
DB_URL = os.environ.get("BENCH_PORTAL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/perfeval_e_bench")
PORT = 8113

PATHS = {
    "bare": "/bench/bare/",
    "index": "/portal/",
    "index-filtered": "/portal/?year=2023&grade=%E5%B7%AE&sort=-total_score&page=7",
    "compare-3-departments": "/portal/compare/?d=b00001&d=b00002&d=b00003",
    "department": "/portal/departments/b00042/",
}

LOCUSTFILE = """
import os
from locust import FastHttpUser, constant, task

class Reader(FastHttpUser):
    wait_time = constant(0)

    @task
    def page(self):
        self.client.get(os.environ["BENCH_PATH"], name="page")
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the Dockerfile runs 3)")
    options = parser.parse_args()
    if options.seconds > 60:
        raise SystemExit("at most 60 s of load per page")

    work = Path(tempfile.mkdtemp(prefix="perfeval-bench-portal-"))
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": DB_URL,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(work / "static"),
        "DJANGO_SETTINGS_MODULE": "bench_portal_settings",
        "PYTHONPATH": str(ROOT / "benchmarks"),
    }
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    with serving(env, PORT, options.workers, work) as base:
        wait_for(base + PATHS["bare"], timeout=60)
        count = None
        for name, path in PATHS.items():
            t0 = time.monotonic()
            with urllib.request.urlopen(base + path, timeout=120) as response:
                body = response.read().decode()
            if name == "index":
                count = body.split("符合条件 ")[1].split(" 份")[0]
            print(f"first request {name}: {(time.monotonic() - t0) * 1000:.0f} ms")
        print(f"published reports listed by the index: {count}")
        (work / "locustfile.py").write_text(LOCUSTFILE)
        results = {}
        for name, path in PATHS.items():
            subprocess.run(
                [str(Path(PYTHON).parent / "locust"), "-f", str(work / "locustfile.py"), "--headless",
                 "-u", str(options.users), "-r", str(options.users), "-t", f"{options.seconds}s",
                 "-H", base, "--csv", str(work / name), "--only-summary", "--loglevel", "WARNING"],
                cwd=ROOT, env={**env, "BENCH_PATH": path}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
            )  # fmt: skip
            with open(work / f"{name}_stats.csv", newline="") as f:
                results[name] = next(row for row in csv.DictReader(f) if row["Name"] == "page")
        print_ratios(results, "bare", 24)


if __name__ == "__main__":
    main()
