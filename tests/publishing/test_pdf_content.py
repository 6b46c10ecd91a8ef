"""The demo report's PDF read back with pypdf: every heading and figure of the seed in its place."""

import re
from io import BytesIO

import pytest

from perfeval.filing.presentation import live_document
from perfeval.publishing.documents import document_html
from perfeval.publishing.pdf import render_pdf
from perfeval.rules import catalogue
from tests.publishing.conftest import pdf_lines, pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """The demo's final PDF (rendered from its snapshot data, as the task does), its draft, and the document
    rows the template printed — rendered once for the module, inside a transaction that is rolled back."""
    from django.db import transaction

    from perfeval.filing.demo import load_demo
    from perfeval.filing.models import Report, Status
    from perfeval.filing.parts import reports_with_parts
    from perfeval.publishing.services import build_snapshot_data, frozen_document, snapshot_html

    with django_db_blocker.unblock(), transaction.atomic():
        report = reports_with_parts().get(pk=load_demo().pk)
        draft = render_pdf(document_html(live_document(report), draft=True))
        Report.objects.filter(pk=report.pk).update(status=Status.APPROVED)
        data = build_snapshot_data(reports_with_parts().get(pk=report.pk))
        final = render_pdf(snapshot_html(data))
        doc = frozen_document(data)
        transaction.set_rollback(True)
    return {"draft": draft, "final": final, "doc": doc}


@pytest.fixture
def draft_pdf(rendered):
    return rendered["draft"]


@pytest.fixture
def final_pdf(rendered):
    return rendered["final"]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_holds_cover_sections_and_attachment_titles_in_order(final_pdf):
    text = _squash("".join(pdf_pages(final_pdf)))
    headings = [
        "2023年度株洲市信访局整体支出绩效自评报告",
        "部门（单位）名称：株洲市信访局",
        "2024年4月23日",
        *(title for _key, title in catalogue.SECTIONS),
        "附件1",
        "2023年度部门（单位）整体支出绩效评价基础数据表",
        "附件2",
        "2023年度部门（单位）整体支出绩效自评表",
        "附件3",
        "2023年度项目支出绩效自评表",
    ]
    missing, position = [], 0
    for heading in headings:  # each one after the previous: in the official order
        found = text.find(_squash(heading), position)
        if found < 0:
            missing.append(heading)
        else:
            position = found
    assert missing == []


def test_pdf_attachment1_rows_carry_their_three_amounts(final_pdf):
    lines = pdf_lines(final_pdf)
    expected = {
        "三公经费 24.07 25.00 24.65",  # the computed parent (the seed typed 25 / 24.19)
        "1、公务用车购置和维护经费 24.00 24.00 23.73",
        "其中：公车购置 0.00 0.00 0.00",
        "公车运行维护 24.00 24.00 23.73",
        "2、出国经费 0.00 0.00 0.46",
        "3、公务接待 0.07 1.00 0.46",
        "项目支出： 571.76 425.00 486.16",
        "1、业务工作经费 72.04 0.00 14.93",
        "2、运行维护经费 76.87 0.00 45.00",
        "3、市级专项资金 422.85 425.00 426.23",
        "信访维稳工作经费 422.85 425.00 426.23",
        "公用经费 141.36 190.10 165.53",
        "其中：办公经费 7.60 30.00 22.16",
        "水费、电费、差旅费 1.28 6.12 3.93",
        "会议费、培训费 3.44 5.00 4.15",
        "政府采购金额 —— 171.28 120.07",
        "部门基本支出预算调整 —— 0.00 0.00",
        "32 32 100%",
        "0.00 0.00 — 0.00 0.00 —",  # 楼堂馆所: a zero denominator prints "—", never 0
    }
    assert expected - set(lines) == set()


def test_pdf_every_attachment1_row_of_the_document_is_on_one_line(rendered, final_pdf):
    doc = rendered["doc"]
    lines = set(pdf_lines(final_pdf))
    rows = [" ".join([row.label, *(cell.text for cell in row.cells)]) for row in doc["att1"]["rows"]]
    assert [row for row in rows if row not in lines] == []


def test_pdf_every_indicator_row_holds_name_target_actual_weight_score(rendered, final_pdf):
    doc = rendered["doc"]
    text = "\n".join(pdf_lines(final_pdf))
    missing = []
    for card in doc["scorecards"]:
        for row in card.rows:
            if not row.ref:
                continue
            pattern = r"\s".join(
                re.escape(part) for part in (row.name, row.target, row.actual, row.weight, row.score)
            )
            if not re.search(pattern, text):
                missing.append((card.number, row.name))
    assert missing == []
    assert "经济成本指标 预算资金控制数 425万元 426.23万元 20 18 上年退单结转2万元" in text
    assert "群众满意率 ≥80% 98% 10 10" in text


def test_pdf_budget_blocks_and_totals(final_pdf):
    lines = pdf_lines(final_pdf)
    assert (
        "年度资金总额 1310.80 1286.30 1286.30 10 100% 10.00" in lines
    )  # 附件2: computed rate, not the seed's 98%
    # 附件3: the sources, then 分值 · 执行率 · 得分 merged down the block, then the computed total.
    block = "\n".join(lines)
    assert (
        "其中：当年财政拨款 425.00 426.23 426.23\n10 100% 10.00\n上年结转资金\n其他资金\n"
        "年度资金总额 425.00 426.23 426.23"
    ) in block
    assert "总分 100.00 100.00" in lines
    assert "总分 100.00 98.00" in lines


def test_pdf_each_attachment_has_its_signature_footer(final_pdf):
    footer = "填表人：刘旅琴 填报日期：2024.4.23 联系电话：18373311611 单位负责人签字：周胜"
    assert pdf_lines(final_pdf).count(footer) == 3  # 附件1, 附件2, one 附件3 (internal record: not masked)


def test_pdf_pages_are_numbered_x_of_y_after_the_cover(final_pdf):
    pages = pdf_pages(final_pdf)
    total = len(pages)
    assert "第 1 页" not in pages[0]
    assert [f"第 {n} 页 共 {total} 页" in text for n, text in enumerate(pages, start=1)][1:] == [True] * (
        total - 1
    )


def test_pdf_attachments_are_on_landscape_pages(final_pdf):
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(final_pdf))
    shapes = [
        (
            "landscape" if page.mediabox.width > page.mediabox.height else "portrait",
            bool(re.match(r"附件 \d", text)),
        )
        for page, text in zip(reader.pages, pdf_pages(final_pdf), strict=True)
    ]
    assert shapes[0][0] == "portrait"
    assert sum(starts for _shape, starts in shapes) == 3
    assert all(shape == "landscape" for shape, starts_attachment in shapes if starts_attachment)


def test_pdf_fonts_are_embedded_and_subset(final_pdf):
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(final_pdf))
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values())
    assert all(re.match(r"^/[A-Z]{6}\+", name) for name in fonts), fonts
    assert any("CJK" in name for name in fonts)


def test_pdf_draft_is_marked_on_every_page_and_final_is_not(draft_pdf, final_pdf):
    assert all("草稿" in text for text in pdf_pages(draft_pdf))
    assert not any("草稿" in text for text in pdf_pages(final_pdf))


def test_pdf_chinese_is_real_text(final_pdf):
    assert "株洲市信访局为株洲市人民政府正处级行政单位" in _squash("".join(pdf_pages(final_pdf)))
