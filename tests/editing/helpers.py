"""Read a rendered form the way a browser submits it, so tests post exactly what the page offers."""

import json
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, testid):
        super().__init__(convert_charrefs=True)
        self.testid, self.inside, self.template_depth = testid, False, 0
        self.fields: dict[str, str] = {}
        self._select = self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("data-testid") == self.testid:
            self.inside = True
        if not self.inside:
            return
        if tag == "template":
            self.template_depth += 1
        if self.template_depth:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind == "checkbox":
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "on")
            elif kind != "submit":
                self.fields[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "template":
            self.template_depth -= 1
        elif tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields[self._textarea] = "".join(self._text).removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_data(response, testid: str) -> dict[str, str]:
    reader = _FormReader(testid)
    reader.feed(response.content.decode())
    return reader.fields


def json_form(fields: dict[str, str]) -> bytes:
    """The body the page's htmx posts for a live recompute (its json-enc extension): the form's fields as one
    JSON object, a string per name, as the browser's JSON.stringify writes it (UTF-8, not escaped)."""
    return json.dumps(fields, ensure_ascii=False).encode()
