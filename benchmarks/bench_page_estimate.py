"""The page estimate against real renders: for each document, the estimate (perfeval/rules/pages.py), the pages
WeasyPrint lays out, and the estimate's cost.

    .venv/bin/python benchmarks/bench_page_estimate.py

The estimate must never be below the real count (a document estimated under the cap renders under it) and
should stay within about 1.5× of it. Documents: the demo; 10,000-character 正文 sections; many projects;
indicators with texts at their length limits. Uses a throw-away SQLite database; touches nothing else.
"""

import copy
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def variants(base: dict) -> dict[str, dict]:
    from perfeval.filing.bounds import NOTE_MAX, PARAGRAPH_MAX, SECTION_MAX
    from tests.synthetic import synthetic_payload

    prose = "我单位认真贯彻落实预算绩效管理要求，严格执行预算，规范资金使用。"
    long_sections = copy.deepcopy(base)
    for key in long_sections["text"]:
        long_sections["text"][key] = (prose * 400)[:SECTION_MAX]
    short_lines = copy.deepcopy(base)
    short_lines["text"]["s7_problems"] = "\n".join(["问题"] * 3000)[:SECTION_MAX]
    wide_rows = synthetic_payload(projects=5, indicators=30, code="wide")
    for project in wide_rows["projects"]:
        project["s6_text"] = (prose * 200)[:PARAGRAPH_MAX]
        card = project["attachment3"]
        card["goal_expected"] = card["goal_actual"] = (prose * 100)[:NOTE_MAX]
        for row in card["indicators"]:
            row["name"] = ("指标名称" * 60)[:200]
            row["deviation_reason"] = (prose * 100)[:NOTE_MAX]
    return {
        "demo": base,
        "正文 10,000 字 × 12": long_sections,
        "3,000 short lines": short_lines,
        "50 projects × 30": synthetic_payload(projects=50, indicators=30, code="many"),
        "5 projects, texts at limits": wide_rows,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        from bench_pdf import setup_django

        setup_django(f"{tmp}/bench.sqlite3")
        from pypdf import PdfReader

        from perfeval.filing.bounds import document_problem
        from perfeval.filing.demo import load_demo
        from perfeval.filing.models import Report
        from perfeval.filing.opendata import export_report, import_report
        from perfeval.filing.opendata import rules_data as report_data
        from perfeval.filing.parts import reports_with_parts
        from perfeval.orgs.models import Department
        from perfeval.publishing.documents import document_html
        from perfeval.publishing.pdf import render_pdf
        from perfeval.rules.pages import estimate

        demo = load_demo()
        base = export_report(reports_with_parts().get(pk=demo.pk))
        print(
            f"{'document':<28} {'estimate':>8} {'rendered':>8} {'ratio':>6} {'estimate ms':>11} {'render s':>8}"
        )
        for index, (label, payload) in enumerate(variants(base).items()):
            department = Department.objects.create(code=f"bench{index}", name=f"测试单位{index}")
            report = Report.objects.create(department=department, period=demo.period)
            import_report(payload, report=report, check_document=False)
            report = reports_with_parts().get(pk=report.pk)
            start = time.perf_counter()
            estimated = estimate(report_data(report)).pages
            document_problem(report)
            cost = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            pdf = render_pdf(document_html(report, draft=True), max_pages=10_000, timeout=600)
            seconds = time.perf_counter() - start
            pages = len(PdfReader(BytesIO(pdf)).pages)
            print(
                f"{label:<28} {estimated:>8} {pages:>8} {estimated / pages:>6.2f} {cost:>11.1f} {seconds:>8.1f}"
            )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "benchmarks"))
    main()
