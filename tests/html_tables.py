"""Reading a rendered page the way a person reads it: tables as grids (merged cells fill every row they span)
and the document's text, with white space removed."""

import re
from decimal import Decimal
from html.parser import HTMLParser

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def squash(text: str) -> str:
    """Drop white space and unify the parentheses the seed mixes."""
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def numbers(text: str) -> set[Decimal]:
    return {Decimal(match) for match in NUMBER.findall(text.replace(",", ""))}


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[dict]]] = {}
        self.text: list[str] = []
        self._stack: list[tuple[str, list]] = []
        self._cell: dict | None = None
        self._in_doc = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article" and "report-doc" in (attrs.get("class") or ""):
            self._in_doc += 1
        if tag == "table":
            self._stack.append((attrs.get("data-testid") or f"table{len(self.tables)}", []))
        elif tag == "tr" and self._stack:
            self._stack[-1][1].append([])
        elif tag in ("td", "th") and self._stack:
            self._cell = {
                "text": "",
                "rowspan": int(attrs.get("rowspan", 1)),
                "colspan": int(attrs.get("colspan", 1)),
            }
            self._stack[-1][1][-1].append(self._cell)

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._cell = None
        elif tag == "table" and self._stack:
            name, rows = self._stack.pop()
            key = name
            while key in self.tables:
                key += "+"
            self.tables[key] = rows
        elif tag == "article" and self._in_doc:
            self._in_doc -= 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        if self._in_doc:
            self.text.append(data)


def grid(rows: list[list[dict]]) -> list[list[str]]:
    """Rows of cell texts where a rowspan cell appears in every row it covers."""
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows left)
    result = []
    for row in rows:
        out: list[str] = []
        cells = iter(row)
        column = 0
        while True:
            if column in pending:
                text, left = pending[column]
                out.append(text)
                pending[column] = (text, left - 1)
                if left - 1 == 0:
                    del pending[column]
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            for _ in range(cell["colspan"]):
                out.append(cell["text"])
                if cell["rowspan"] > 1:
                    pending[column] = (cell["text"], cell["rowspan"] - 1)
                column += 1
        while column in pending:  # spans that reach past the row's own last cell
            text, left = pending.pop(column)
            out.append(text)
            if left > 1:
                pending[column] = (text, left - 1)
            column += 1
        result.append(out)
    return result


def read_page(html: str) -> tuple[dict[str, list[list[str]]], str]:
    parser = _Tables()
    parser.feed(html)
    return {name: grid(rows) for name, rows in parser.tables.items()}, squash("".join(parser.text))
