"""The report document as HTML for WeasyPrint, from the same templates as the report page: whole (one pass)
or as the parts that perfeval/publishing/pdf.py renders, caches and merges."""

import hashlib
import json

from django.template.loader import render_to_string


def canonical_json(value) -> bytes:
    """One byte sequence per value: what the SHA-256 of a snapshot or of the open data is taken over."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_context(doc: dict, *, draft: bool) -> dict:
    """What the print templates read: a document's rows (``filing.presentation``: a live report's or a frozen
    one's). ``draft`` puts 草稿 across every page. The text is escaped by the templates; nothing here marks it
    safe."""
    return {"doc": doc, "draft": draft, "for_pdf": True}


def document_html(doc: dict, *, draft: bool) -> str:
    """The whole print page in one document, page numbers included."""
    return render_to_string("publishing/pdf_document.html", document_context(doc, draft=draft))


def document_parts(doc: dict, *, draft: bool) -> list:
    """The document as parts: the cover and 正文, 附件1, then each scorecard (附件2, every 附件3) alone, so a
    change to one figure re-renders one part and a big report spreads over several processes."""
    from perfeval.publishing.pdf import Part

    context = document_context(doc, draft=draft)

    def part(name: str, kind: str, cards=()) -> Part:
        html = render_to_string("publishing/pdf_part.html", {**context, "part": kind, "cards": cards})
        return Part(name, html)

    if doc.get("project_only"):
        # A project-only filing: its cover, then each project's table.
        parts = [part("封面", "project_front")]
        for card in doc["scorecards"]:
            parts.append(part(f"项目支出绩效自评表（{card.header[0][0][1]}）", "cards", [card]))
        return parts
    parts = [part("封面与正文", "front"), part("附件1", "att1")]
    for card in context["doc"]["scorecards"]:
        name = card.header[0][0][1]  # 附件2: the department's name; 附件3: the project's
        parts.append(part(f"附件{card.number}（{name}）", "cards", [card]))
    return parts
