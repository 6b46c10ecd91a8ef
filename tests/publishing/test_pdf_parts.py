"""The PDF rendered in parts (perfeval/publishing/pdf.py) read back with pypdf: the same text as a one-pass
render with the right page numbers, unchanged parts reused, every font embedded once, the file small."""

import re
from io import BytesIO
from pathlib import Path

import pytest

from perfeval.filing.bounds import pdf_limits
from perfeval.filing.models import Indicator, Report, ScorecardKind
from perfeval.filing.parts import reports_with_parts
from perfeval.filing.presentation import live_document
from perfeval.publishing.documents import document_html, document_parts
from perfeval.publishing.models import PdfPart
from perfeval.publishing.pdf import render_document, render_parts, render_pdf
from tests.publishing.conftest import pdf_pages
from tests.publishing.test_pdf_security import assert_no_leak, hostile, trap_server  # noqa: F401

pytestmark = pytest.mark.django_db


def _render(report, *, draft=False) -> tuple[bytes, list]:
    parts = document_parts(live_document(reports_with_parts().get(pk=report.pk)), draft=draft)
    timeout, max_pages = pdf_limits(len(parts))
    return render_document(parts, timeout=timeout, max_pages=max_pages), parts


def _fonts(data: bytes) -> dict:
    """Font program object → the faces whose descriptors point at it; every program a readable OpenType font
    holding outlines (not a part's stub)."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    programs: dict = {}
    for page in PdfReader(BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            face = str(descriptor["/FontName"]).split("+", 1)[-1]
            program = descriptor.raw_get("/FontFile3")
            font_file = TTFont(BytesIO(program.get_object().get_data()))
            assert (
                font_file.sfntVersion == "OTTO"
                and len(font_file["CFF "].cff.topDictIndex[0].CharStrings) > 100
            )
            programs.setdefault(program.idnum, set()).add(face)
    return programs


def test_parted_pdf_text_equals_the_one_pass_render_page_by_page(demo_report):
    parted, parts = _render(demo_report)
    single = render_pdf(
        document_html(live_document(reports_with_parts().get(pk=demo_report.pk)), draft=False)
    )
    assert len(parts) == 4  # 封面与正文, 附件1, 附件2 and the demo's one 附件3
    assert pdf_pages(parted) == pdf_pages(single)


def test_parted_pdf_numbers_every_page_but_the_cover_across_parts(demo_report):
    pages = pdf_pages(_render(demo_report)[0])
    numbers = [re.findall(r"第 (\d+) 页 共 (\d+) 页", text) for text in pages]
    assert numbers == [[]] + [[(str(n), str(len(pages)))] for n in range(2, len(pages) + 1)]


def test_parted_pdf_after_one_figure_changes_renders_only_that_part(demo_report):
    _render(demo_report)
    indicator = Indicator.objects.filter(
        scorecard__report=demo_report, scorecard__kind=ScorecardKind.PROJECT
    )[0]
    Indicator.objects.filter(pk=indicator.pk).update(deviation_reason="改动后的偏差原因说明")
    parts = document_parts(live_document(reports_with_parts().get(pk=demo_report.pk)), draft=False)
    timeout, max_pages = pdf_limits(len(parts))
    rendered = render_parts(parts, timeout=timeout, max_pages=max_pages)
    data = render_document(parts, timeout=timeout, max_pages=max_pages)
    assert rendered == 1
    assert "改动后的偏差原因说明" in "".join(pdf_pages(data))
    # The changed part again and the page-number layer; the rows of pages=0 are merged font programs.
    assert PdfPart.objects.filter(pages__gt=0).count() == len(parts) + 2


def test_parted_pdf_embeds_one_program_per_font_face(demo_report):
    data = _render(demo_report)[0]
    programs = _fonts(data)
    faces = sorted(face for faces in programs.values() for face in faces)
    assert faces == ["Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"]


def test_parted_pdf_is_at_most_half_again_the_one_pass_size(demo_report):
    parted = _render(demo_report)[0]
    single = render_pdf(
        document_html(live_document(reports_with_parts().get(pk=demo_report.pk)), draft=False)
    )
    assert len(parted) <= 1.5 * len(single)


def test_parted_pdf_keeps_each_parts_outline(demo_report):
    from pypdf import PdfReader

    def titles(items):
        return [t for item in items for t in (titles(item) if isinstance(item, list) else [item.title])]

    outline = titles(PdfReader(BytesIO(_render(demo_report)[0])).outline)
    assert outline[:2] == ["2023年度株洲市信访局整体支出绩效自评报告"] * 2
    assert [t for t in outline if t.startswith("2023年度") and "表" in t] == [
        "2023年度部门（单位）整体支出绩效评价基础数据表",
        "2023年度部门（单位）整体支出绩效自评表",
        "2023年度项目支出绩效自评表",
    ]


def test_parted_pdf_of_hostile_text_fetches_nothing(demo_report, trap_server):  # noqa: F811
    url, hits = trap_server
    payload = hostile(url)
    Report.objects.filter(pk=demo_report.pk).update(s7_problems=payload, frugality_measures=payload)
    Indicator.objects.filter(scorecard__report=demo_report).update(deviation_reason=payload)
    data = _render(demo_report, draft=True)[0]
    assert hits == []
    assert_no_leak(data)
    assert 'img src="file:///etc/passwd"' in "".join(pdf_pages(data)).replace("\n", "")


def test_limits_grow_with_the_number_of_parts(settings):
    settings.PDF_TIMEOUT_SECONDS, settings.PDF_TIMEOUT_SECONDS_PER_PART = 60, 2
    settings.PDF_MAX_PAGES, settings.PDF_MAX_PAGES_PER_PART = 100, 5
    assert [pdf_limits(n) for n in (4, 203)] == [(68.0, 120), (466.0, 1115)]


REFERENCE = Path(__file__).parent / "reference"


def _ink(image):
    """Where a grey page image has ink: 255 there, 0 elsewhere."""
    return image.convert("L").point(lambda value: 255 if value < 250 else 0)


def _ink_missing_nearby(image, other) -> float:
    """The share of ``image``'s ink with no ink of ``other`` within one pixel."""
    from PIL import ImageChops, ImageFilter

    ink, near = _ink(image), _ink(other).filter(ImageFilter.MaxFilter(3))
    missing = ImageChops.subtract(ink, near)
    return sum(1 for value in missing.get_flattened_data() if value) / max(
        1, sum(1 for value in ink.get_flattened_data() if value)
    )


def test_parted_pdf_pages_look_like_the_one_pass_pages_before_the_leaner_layout(demo_report, tmp_path):
    """The demo's pages at 30 dpi against reference/demo-page-N.png, made with ``pdftoppm -r 30 -gray
    -aaVector no -png`` from the one-pass render with collapsed table borders (commit c261ddf). Collapsed
    borders are stroked and separate ones filled, so a 0.6 pt line comes out in another grey; the comparison
    is of where the ink is: all but 0.5% of each page's ink within one pixel of ink on the other."""
    import subprocess

    from PIL import Image

    (tmp_path / "demo.pdf").write_bytes(_render(demo_report)[0])
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", "-aaVector", "no", "-png", "demo.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    rendered = sorted(tmp_path.glob("page-*.png"))
    references = sorted(REFERENCE.glob("demo-page-*.png"))
    assert len(rendered) == len(references) == 9
    worst = []
    for page, reference in zip(rendered, references, strict=True):
        new, old = Image.open(page), Image.open(reference)
        assert new.size == old.size
        worst.append(max(_ink_missing_nearby(new, old), _ink_missing_nearby(old, new)))
    assert max(worst) <= 0.005, worst


def test_render_many_returns_each_document_in_order_from_fewer_processes():
    from perfeval.publishing.pdf import render_many

    def pages(n: int) -> str:
        return "".join(f'<p style="break-after: page">第{i}页</p>' for i in range(n))

    htmls = [pages(1), pages(3), pages(2), pages(1)]
    rendered = render_many(htmls, timeout=120, max_pages=10, workers=2)
    assert [count for _pdf, count in rendered] == [1, 3, 2, 1]
    assert [len(pdf_pages(pdf)) for pdf, _count in rendered] == [1, 3, 2, 1]
    assert "第2页" in pdf_pages(rendered[1][0])[2]
