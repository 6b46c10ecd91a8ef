"""The copied-narrative index over a province's season, on PostgreSQL.

Run: .venv/bin/python benchmarks/bench_similarity.py [--departments 5000] [--years 2021,2022,2023] [--queries 200]

Steps: (re)create the database of BENCH_PORTAL_DATABASE_URL (default perfeval_e_bench on 127.0.0.1), migrate, seed departments × years published
reports (benchmarks/portal_seed.py: tests.synthetic payloads with ten 正文 sections of varied text), then
  1. fingerprint every section of every report (CPU only), timed;
  2. rebuild_portal's whole rebuild (key figures by the rules, texts with their bands), timed;
  3. time the detector for one report of the last year (every section of it) and for one text, over
     --queries reports whose 正文七 is another department's published text with 5 % of its characters changed,
     and count how many of these copies were found.
Targets (issue 13, 2 cores): indexing 15,000 reports × 10 sections ≤ 60 s; one detector query ≤ 50 ms.
``--reuse`` keeps the database of an earlier run (skips seeding); bench_portal.py serves the same database.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# Another database: BENCH_PORTAL_DATABASE_URL (bench_similarity.py drops and recreates it, bench_portal.py reads it).
DB_URL = os.environ.get("BENCH_PORTAL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/perfeval_e_bench")


def recreate_database():
    from urllib.parse import urlsplit

    import psycopg

    url = urlsplit(DB_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(
        url._replace(scheme="postgresql", path="/postgres").geturl(), autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup(reuse: bool):
    os.environ["DATABASE_URL"] = DB_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfeval.settings")
    if not reuse:
        recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the shared cache (CACHE_URL, default db://)


def near_copy(text: str, rng: random.Random, share: float = 0.05) -> str:
    chars = list(text)
    for i in rng.sample(range(len(chars)), round(len(chars) * share)):
        chars[i] = chr(0x4E00 + rng.randrange(0x5000))
    return "".join(chars)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=5000)
    parser.add_argument("--years", default="2021,2022,2023")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--reuse", action="store_true")
    options = parser.parse_args()
    years = tuple(int(y) for y in options.years.split(","))
    setup(options.reuse)

    from django.db import connection
    from portal_seed import seed

    from perfeval.portal.detector import find_copies
    from perfeval.portal.indexing import narrative_units, rebuild
    from perfeval.portal.models import NarrativeText, PublishedFigures
    from perfeval.publishing.models import PublishedVersion
    from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, rule_pack_from_dict
    from perfeval.rules.similarity import fingerprint

    if not options.reuse:
        started = time.monotonic()
        count = seed(departments=options.departments, years=years)
        print(f"seeded {count} published reports in {time.monotonic() - started:.0f} s")
    reports = PublishedVersion.objects.count()

    # 1. the fingerprints alone (CPU, no database): every section of every report
    started = time.monotonic()
    sections = 0
    for payload in PublishedVersion.objects.values_list("public_data", flat=True).iterator(chunk_size=500):
        sections += sum(fingerprint(unit.text) is not None for unit in narrative_units(payload))
    print(f"fingerprints: {reports} reports, {sections} texts in {time.monotonic() - started:.1f} s")

    # 2. the whole index, as rebuild_portal makes it: key figures by the rules, texts and their bands
    started = time.monotonic()
    rebuild()
    seconds = time.monotonic() - started
    texts = NarrativeText.objects.count()
    print(
        f"index (rebuild_portal): {PublishedFigures.objects.count()} reports, {texts} texts in {seconds:.1f} s "
        f"(target ≤ 60 s for 15,000 × 10)"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE portal_narrativetext")

    # 3. detector queries: a draft of the last year whose 正文七 copies another department's published text
    threshold = rule_pack_from_dict(HUNAN_ZHUZHOU_2023).copy_threshold
    rng = random.Random(7)
    year = years[-1]
    sample = list(
        PublishedVersion.objects.filter(year=year)
        .order_by("?")
        .values_list("department_code", "public_data")[: options.queries * 2]
    )
    report_times, text_times, found = [], [], 0
    for i in range(options.queries):
        code, payload = sample[2 * i]
        _, source = sample[2 * i + 1]
        copied = source["text"]["s7_problems"]
        draft = {**payload, "text": {**payload["text"], "s7_problems": near_copy(copied, rng)}}
        t0 = time.perf_counter()
        matches = find_copies(draft, department_code=code, year=year, threshold=threshold)
        report_times.append(time.perf_counter() - t0)
        found += any(m.unit.place == "s7" and m.other.text == copied for m in matches)
        single = {"text": {"s7_problems": draft["text"]["s7_problems"]}}
        t0 = time.perf_counter()
        find_copies(single, department_code=code, year=year, threshold=threshold)
        text_times.append(time.perf_counter() - t0)
    print(
        f"detector, one report (10 sections) against {texts} texts: p50 {statistics.median(report_times) * 1000:.1f} ms, "
        f"p95 {percentile(report_times, 0.95) * 1000:.1f} ms (target ≤ 50 ms)"
    )
    print(
        f"detector, one text: p50 {statistics.median(text_times) * 1000:.1f} ms, "
        f"p95 {percentile(text_times, 0.95) * 1000:.1f} ms"
    )
    print(f"copies with 5 % of characters changed found: {found} of {options.queries}")


if __name__ == "__main__":
    main()
