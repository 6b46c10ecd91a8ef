"""Every output of the demo report as text, so a refactor can be proved to change none of them (used by
``test_golden.py``)."""

import re
from datetime import date
from io import BytesIO, StringIO

# Database ids differ between runs and engines, and a page rendered from frozen data has no database ids:
# the golden files name each id by its kind and the order of its first appearance.
_ID_PATTERNS = (
    (r"(/reports/)(\d+)(/)", "R"),
    (r"(f-ind-|indicator:)(\d+)()", "I"),
    (r"(att3-|att3:)(\d+)()", "C"),
    (r"(f-att1-building)(\d+)()", "B"),
    (r"(f-att1-special|special:)(\d+)()", "S"),
)
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


def normalise_html(html: str) -> str:
    html = _CSRF.sub(r"\1CSRF\2", html)
    for pattern, kind in _ID_PATTERNS:
        names: dict[str, str] = {}

        def name(match, names=names, kind=kind):
            label = names.setdefault(match.group(2), f"{kind}{len(names)}")
            return f"{match.group(1)}{label}{match.group(3)}"

        html = re.sub(pattern, name, html)
    lines = (re.sub(r"\s+", " ", line).strip() for line in html.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(BytesIO(bytes(data))).pages]
    return "".join(f"=== page {n}\n{text.rstrip()}\n" for n, text in enumerate(pages, start=1))


def workbook_text(data: bytes) -> str:
    """Every sheet: its merged ranges, then every non-empty cell with its value and type."""
    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(data))
    out = []
    for ws in workbook.worksheets:
        out.append(f"=== {ws.title}")
        out.append("merged: " + " ".join(sorted(str(r) for r in ws.merged_cells.ranges)))
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    out.append(f"{cell.coordinate}\t{type(cell.value).__name__}\t{cell.value!r}")
    return "\n".join(out) + "\n"


def _document(html: str) -> str:
    """The page from the report document to the end of the main content (navigation and messages aside)."""
    start = html.index("<main")
    end = html.index("</main>") + len("</main>")
    return html[start:end]


def _exported(report, fmt: str, tmp_path) -> bytes:
    from django.core.management import call_command

    path = tmp_path / f"report.{fmt}"
    code, year = report.department.code, report.period.year
    call_command("export_report", department=code, year=year, format=fmt, output=str(path), stdout=StringIO())
    return path.read_bytes()


def capture(*, client, reviewer, report, on_commit, tmp_path) -> dict[str, str]:
    """Every output of ``report`` (the freshly loaded demo), then of its approved and published versions, each
    through the interface a user has: the pages, ``export_report`` and the public downloads."""
    from django.urls import reverse

    from perfeval.filing.models import Report
    from perfeval.workflow import services as workflow
    from tests.workflow.helpers import make_submittable

    out = {}
    client.force_login(report.department.users.get(username="zzxfj_preparer"))
    out["report_page.html"] = normalise_html(_document(client.get(f"/reports/{report.pk}/").content.decode()))
    out["draft_pdf.txt"] = pdf_text(_exported(report, "pdf", tmp_path))
    out["workbook.txt"] = workbook_text(_exported(report, "xlsx", tmp_path))
    out["export.json"] = _exported(report, "json", tmp_path).decode("utf-8")

    # Approved and published through the workflow, as a reviewer does it.
    make_submittable(report)
    report = Report.objects.get(pk=report.pk)
    preparer = report.department.users.get(username="zzxfj_preparer")
    with on_commit(execute=True):  # the final PDFs are rendered by tasks scheduled on commit
        workflow.submit_report(report=report, user=preparer)
        workflow.approve_report(report=Report.objects.get(pk=report.pk), user=reviewer)
        workflow.publish_report(
            report=Report.objects.get(pk=report.pk),
            user=reviewer,
            published_where="门户网站",
            public_date=date(2024, 5, 10),
        )
    version = Report.objects.get(pk=report.pk).published_versions.get()
    out["final_pdf.txt"] = pdf_text(_exported(report, "pdf", tmp_path))
    out["public_pdf.txt"] = pdf_text(version.pdf)
    base = reverse("publishing:public_version", args=[version.department_code, version.year, version.number])
    out["public_page.html"] = normalise_html(_document(client.get(base).content.decode()))
    out["public.csv"] = client.get(base + "figures.csv").content.decode("utf-8")
    out["public.json"] = client.get(base + "data.json").content.decode("utf-8")
    return out
