"""The report document as HTML for WeasyPrint, from the same templates as the report page: whole (one pass)
or as the parts that perfeval/publishing/pdf.py renders, caches and merges."""

import hashlib
import json

from django.template.loader import render_to_string

from perfeval.filing.presentation import report_document


def canonical_json(value) -> bytes:
    """One byte sequence per value: what the SHA-256 of a snapshot or of the open data is taken over."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_context(report, *, draft: bool) -> dict:
    """What the print templates read: the report (a live report loaded with parts, or one from a snapshot)
    and its document rows. ``draft`` puts 草稿 across every page. The text is escaped by the templates;
    nothing here marks it safe."""
    return {"report": report, "doc": report_document(report), "draft": draft, "for_pdf": True}


def document_html(report, *, draft: bool) -> str:
    """The whole print page in one document, page numbers included."""
    return render_to_string("publishing/pdf_document.html", document_context(report, draft=draft))


def document_parts(report, *, draft: bool) -> list:
    """The document as parts: the cover and 正文, 附件1, then each scorecard (附件2, every 附件3) alone, so a
    change to one figure re-renders one part and a big report spreads over several processes."""
    from perfeval.publishing.pdf import Part

    context = document_context(report, draft=draft)

    def part(name: str, kind: str, cards=()) -> Part:
        html = render_to_string("publishing/pdf_part.html", {**context, "part": kind, "cards": cards})
        return Part(name, html)

    parts = [part("封面与正文", "front"), part("附件1", "att1")]
    for card in context["doc"]["scorecards"]:
        parts.append(part(f"附件{card.number}（{card.project_name}）", "cards", [card]))
    return parts
