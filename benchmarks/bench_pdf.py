"""PDF render benchmark: the parted render (perfeval/publishing/pdf.py) against a one-pass render and against
Chromium's print of the same HTML, pairs taken in turn.

    .venv/bin/python benchmarks/bench_pdf.py [--runs 3] [--sizes 50,100,200] [--no-chromium]

Prints, in one run:
* the import time of WeasyPrint in a fresh process, as WeasyPrint loads itself and as we load it;
* the demo: one pass, parted cold, parted warm (every part stored; aim ≤ 0.5 s);
* for each size (synthetic reports, tests.synthetic): one pass, parted cold (aim ≤ 0.5× one pass at 50), after
  one indicator changes (aim ≤ 1 s), Chromium's print of the one-pass HTML (Playwright, a browser kept open;
  printed as two ratios: WeasyPrint parted cold ÷ Chromium, the issue's aim ≤ 1× at 50, and one indicator
  changed ÷ Chromium, what a preparer waits for), file sizes, and the peak RSS of the render processes
  (forked: ru_maxrss of RUSAGE_CHILDREN). Each row ends with the load average: the machine is shared, and
  under load the CPU seconds of one pass and of the parted render (all its processes) compare better than
  their wall times.
Uses a throw-away SQLite database; touches nothing else.
"""

import argparse
import os
import resource
import statistics
import subprocess
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
    # Playwright's sync API runs an event loop in this thread; the ORM calls here stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the shared cache (CACHE_URL, default db://)


def import_times(runs: int = 3) -> None:
    """Seconds to import WeasyPrint in a fresh process, and the processes it starts (ldconfig, gcc, ld from
    ctypes.util.find_library): plain, and through pdf.load_weasyprint."""
    count = (
        "import subprocess, time; started = []; init = subprocess.Popen.__init__; "
        "subprocess.Popen.__init__ = lambda self, *a, **k: started.append(a[0]) or init(self, *a, **k); "
        "t = time.perf_counter(); "
    )
    plain = count + "import weasyprint; print(time.perf_counter() - t, len(started))"
    ours = (  # Django, which pdf.py imports, is loaded before the clock starts
        "from perfeval.publishing.pdf import load_weasyprint; " + count + "load_weasyprint(); "
        "print(time.perf_counter() - t, len(started))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "perfeval.settings"}
    for label, code in (("import weasyprint", plain), ("load_weasyprint()", ours)):
        times, started = [], 0
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
            )
            seconds, started = out.stdout.split()[-2:]
            times.append(float(seconds))
        print(
            f"{label:<20} fresh process median {statistics.median(times):.3f} s, {started} processes started "
            f"(n={runs})"
        )


def pages_of(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


class Chromium:
    """Headless Chromium (Debian's, through Playwright) printing HTML with our stylesheets, page kept open."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        self._page = self._browser.new_page()

    def print(self, html: str, folder: Path) -> bytes:
        from perfeval.publishing.pdf import static_roots

        # The same stylesheets, read from disk: Chromium gets no network either.
        for root in static_roots():
            html = html.replace('href="/static/', f'href="file://{root}/')
            break
        path = folder / "chromium.html"
        path.write_text(html, encoding="utf-8")
        self._page.goto(path.as_uri())
        return self._page.pdf(prefer_css_page_size=True, print_background=True)

    def close(self):
        self._browser.close()
        self._playwright.stop()


CPU = {"last": 0.0}  # CPU seconds of the last timed() call: this process and its render processes


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function):
    """(wall seconds, result); the CPU seconds spent, render processes included, are left in CPU["last"]: on
    a shared machine the wall time of a parallel render says little, its CPU time what it needs of 2 cores."""
    start, cpu = time.perf_counter(), cpu_seconds()
    result = function()
    CPU["last"] = cpu_seconds() - cpu
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="50,100,200")
    parser.add_argument("--no-chromium", action="store_true")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    import_times()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(os.path.join(tmp, "bench.sqlite3"))
        from perfeval.filing.bounds import pdf_limits
        from perfeval.filing.demo import load_demo
        from perfeval.filing.models import Indicator, ScorecardKind
        from perfeval.filing.parts import reports_with_parts
        from perfeval.filing.presentation import live_document
        from perfeval.publishing.documents import document_html, document_parts
        from perfeval.publishing.models import PdfPart
        from perfeval.publishing.pdf import render_document, render_pdf, warm_up
        from tests.synthetic import make_synthetic_report

        warm_up()
        chromium = None if args.no_chromium else Chromium()
        demo = load_demo()

        def parted(report):
            parts = document_parts(live_document(reports_with_parts().get(pk=report.pk)), draft=False)
            timeout, max_pages = pdf_limits(len(parts))
            return render_document(parts, timeout=timeout, max_pages=max_pages)

        def one_pass(report):
            html = document_html(live_document(reports_with_parts().get(pk=report.pk)), draft=False)
            return render_pdf(html, timeout=3600, max_pages=100000)

        # The demo: pairs of one pass and parted warm, in turn.
        PdfPart.objects.all().delete()
        cold, pdf = timed(lambda: parted(demo))
        single_times, warm_times, single = [], [], b""
        for _ in range(args.runs):
            seconds, single = timed(lambda: one_pass(demo))
            single_times.append(seconds)
            warm_times.append(timed(lambda: parted(demo))[0])
        print(
            f"demo       {pages_of(pdf):4d} pages  one pass {statistics.median(single_times):6.2f} s  "
            f"parted cold {cold:6.2f} s  parted warm {statistics.median(warm_times):5.2f} s  "
            f"size {len(pdf) / 1024:6.0f} KiB = {len(pdf) / len(single):.2f}× one pass  "
            f"(load average {os.getloadavg()[0]:.2f})"
        )

        for size in [int(s) for s in args.sizes.split(",") if s]:
            report = make_synthetic_report(period=demo.period, projects=size, code=f"bench{size}")
            html = document_html(live_document(reports_with_parts().get(pk=report.pk)), draft=False)
            rows = []
            for run in range(args.runs if size <= 50 else 1):
                PdfPart.objects.all().delete()
                single_s, single = timed(lambda: one_pass(report))  # noqa: B023
                single_cpu = CPU["last"]
                cold_s, pdf = timed(lambda: parted(report))  # noqa: B023
                cold_cpu = CPU["last"]
                indicator = Indicator.objects.filter(
                    scorecard__report=report, scorecard__kind=ScorecardKind.PROJECT
                )[run]
                Indicator.objects.filter(pk=indicator.pk).update(deviation_reason=f"第{run + 1}次修改")
                changed_s, _ = timed(lambda: parted(report))  # noqa: B023
                chrome_s = timed(lambda: chromium.print(html, Path(tmp)))[0] if chromium else None  # noqa: B023
                rows.append((single_s, cold_s, changed_s, chrome_s, single_cpu, cold_cpu))
            single_s, cold_s, changed_s = (statistics.median(r[i] for r in rows) for i in range(3))
            single_cpu, cold_cpu = (statistics.median(r[i] for r in rows) for i in (4, 5))
            chrome = ""
            if chromium:
                chrome_s = statistics.median(r[3] for r in rows)
                chrome = (
                    f"  Chromium print {chrome_s:6.2f} s: WeasyPrint parted cold ÷ Chromium {cold_s / chrome_s:.2f}×, "
                    f"one indicator changed ÷ Chromium {changed_s / chrome_s:.2f}×"
                )
            print(
                f"{size:3d} proj.  {pages_of(pdf):4d} pages  one pass {single_s:6.2f} s  parted cold {cold_s:6.2f} s "
                f"({cold_s / single_s:.2f}× one pass; CPU {single_cpu:.1f} s one pass, {cold_cpu:.1f} s parted cold)  "
                f"one indicator changed {changed_s:5.2f} s{chrome}  "
                f"size {len(pdf) / 1024:6.0f} KiB = {len(pdf) / len(single):.2f}× one pass  (n={len(rows)}, "
                f"load average {os.getloadavg()[0]:.2f})"
            )
        if chromium:
            chromium.close()
        print(f"peak RSS of any render process, one-pass renders included: {peak_mb():.0f} MB")
    peak_parted(max(int(s) for s in args.sizes.split(",")))


def peak_parted(size: int) -> None:
    """The peak RSS of the parted render's processes alone, measured in a fresh process."""
    code = (
        "import sys, tempfile, os; sys.argv = ['x']; sys.path.insert(0, 'benchmarks'); import bench_pdf as b; "
        "tmp = tempfile.mkdtemp(); b.setup_django(os.path.join(tmp, 'peak.sqlite3')); "
        "from perfeval.filing.demo import load_demo; from perfeval.filing.parts import reports_with_parts; "
        "from perfeval.publishing.documents import document_parts; "
        "from perfeval.filing.presentation import live_document; "
        "from perfeval.filing.bounds import pdf_limits; from perfeval.publishing.pdf import render_document; "
        "from tests.synthetic import make_synthetic_report; "
        f"r = make_synthetic_report(period=load_demo().period, projects={size}, code='peak'); "
        "parts = document_parts(live_document(reports_with_parts().get(pk=r.pk)), draft=False); "
        "t, p = pdf_limits(len(parts)); render_document(parts, timeout=t, max_pages=p); "
        "print(f'{b.peak_mb():.0f}')"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    print(f"peak RSS of any parted render process at {size} projects: {out.stdout.split()[-1]} MB")


if __name__ == "__main__":
    main()
