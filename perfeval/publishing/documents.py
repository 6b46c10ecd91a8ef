"""The report document as a complete HTML page for WeasyPrint, from the same templates as the report page."""

import hashlib
import json

from django.template.loader import render_to_string


def canonical_json(value) -> bytes:
    """One byte sequence per value: what the SHA-256 of a snapshot or of the open data is taken over."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_html(doc: dict, *, draft: bool) -> str:
    """The print page of a document (``filing.presentation``: a live report's or a frozen one's).

    ``draft`` puts 草稿 across every page. The text is escaped by the templates; nothing here marks it safe.
    """
    return render_to_string("publishing/pdf_document.html", {"doc": doc, "draft": draft})
