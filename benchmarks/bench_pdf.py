"""PDF render benchmark: the demo report and a synthetic 50-project report.

    .venv/bin/python benchmarks/bench_pdf.py [--runs 5]

Prints seconds (median of warm runs), pages, pages per second and the peak memory of the render process
(each render runs in a forked child; ru_maxrss of the children). Targets on the 2-core machine: demo ≤ 1 s,
50 projects ≤ 10 s within 600 MB. Uses a throw-away SQLite database; touches nothing else.
"""

import argparse
import copy
import os
import resource
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfeval.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def synthetic(data: dict, projects: int) -> dict:
    """The demo snapshot with ``projects`` projects, each with its own 附件3 (a copy of the demo's), and the
    figures computed for them, as approval would freeze them."""
    from perfeval.filing.opendata import without_refs
    from perfeval.rules.packs import rule_pack_from_dict
    from perfeval.rules.payload import report_data
    from perfeval.rules.results import results

    data = copy.deepcopy(data)
    data["report"] = without_refs(data["report"])
    template = next(p for p in data["report"]["projects"] if p.get("attachment3"))
    data["report"]["projects"] = []
    for n in range(1, projects + 1):
        project = copy.deepcopy(template)
        project["name"] = f"合成项目第{n}号"
        data["report"]["projects"].append(project)
    pack = rule_pack_from_dict(data["rule_pack"]["definition"])
    data["computed"] = results(report_data(data["report"]), pack)
    return data


def measure(label: str, html: str, runs: int) -> None:
    from pypdf import PdfReader

    from perfeval.publishing.pdf import render_pdf

    render_pdf(html)  # warm: the parent has loaded WeasyPrint and the fonts; forked children inherit them
    times, pdf = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        pdf = render_pdf(html)
        times.append(time.perf_counter() - start)
    pages = len(PdfReader(BytesIO(pdf)).pages)
    median = statistics.median(times)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{label:<14} median {median:6.2f} s  (min {min(times):.2f}, max {max(times):.2f}, n={runs})  "
        f"{pages:4d} pages  {pages / median:6.1f} pages/s  {len(pdf) / 1024:7.0f} KiB  "
        f"peak child RSS so far {peak_mb:5.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--projects", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(os.path.join(tmp, "bench.sqlite3"))
        from perfeval.filing.demo import load_demo
        from perfeval.filing.models import Report, Status
        from perfeval.filing.parts import reports_with_parts
        from perfeval.publishing.services import build_snapshot_data, snapshot_html

        report = load_demo()
        Report.objects.filter(pk=report.pk).update(status=Status.APPROVED)
        data = build_snapshot_data(reports_with_parts().get(pk=report.pk))
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        measure("demo", snapshot_html(data), args.runs)
        start = time.perf_counter()
        html = snapshot_html(synthetic(data, args.projects))
        print(f"{args.projects}-project HTML built in {time.perf_counter() - start:.2f} s")
        measure(f"{args.projects} projects", html, max(1, min(args.runs, 3)))


if __name__ == "__main__":
    main()
