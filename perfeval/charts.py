"""A chart as plain data: what ECharts draws (static/js/charts.js), the table printed beside it, and a sentence
for readers who cannot see it. Every page builds its charts here and includes templates/_chart.html, so a chart
never exists without its table.

Values are Decimal or None (未填: a gap in the chart, 「—」 in the table, never 0); they reach the browser as
strings and become numbers only for drawing.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from perfeval.rules.decimals import fmt_amount

UNFILLED = "未填"


def figure_text(value) -> str:
    """A figure as the report prints it (24.19, 425: no trailing zeros), 未填 for a blank."""
    return UNFILLED if value is None else fmt_amount(Decimal(value))


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal | int | None]


@dataclass(frozen=True)
class Chart:
    key: str  # unique on the page: the id of the element and of its data
    title: str
    kind: str  # "bar" | "line"
    categories: list[str]
    series: list[Series]
    unit: str = ""
    summary: str = ""  # the text alternative
    category_label: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"

    @property
    def spec(self) -> dict:
        """What json_script hands to charts.js."""
        return {
            "kind": self.kind,
            "unit": self.unit,
            "categories": self.categories,
            "series": [
                {"name": s.name, "values": [None if v is None else figure_text(v) for v in s.values]}
                for s in self.series
            ],
        }

    @property
    def rows(self) -> list[tuple[str, list]]:
        return [
            (category, [figure_text(s.values[i]) for s in self.series])
            for i, category in enumerate(self.categories)
        ]

    @property
    def empty(self) -> bool:
        return not self.categories


def _fmt(value, unit: str) -> str:
    return f"{figure_text(value)}{unit}"


def extremes_sentence(chart_title: str, categories: list[str], values: list, unit: str = "") -> str:
    """「…：共 N 项，最高 A（x），最低 B（y）」 over the filled values; the 未填 ones are counted apart."""
    filled = [(v, c) for c, v in zip(categories, values, strict=True) if v is not None]
    if not filled:
        return f"{chart_title}：没有可比较的数值。"
    high = max(filled, key=lambda pair: pair[0])
    low = min(filled, key=lambda pair: pair[0])
    text = f"{chart_title}：共 {len(categories)} 项，最高 {high[1]}（{_fmt(high[0], unit)}），最低 {low[1]}（{_fmt(low[0], unit)}）"
    blank = len(categories) - len(filled)
    return text + (f"，{blank} 项未填。" if blank else "。")


def histogram(values: list, edges: list[Decimal], unit: str) -> tuple[list[str], list[int]]:
    """Counts of the filled values in [edge_i, edge_i+1) and, last, at or above the highest edge; the blank
    values are not counted (they are not 0)."""
    categories = [f"{edges[i]}–{edges[i + 1]}{unit}" for i in range(len(edges) - 1)] + [f"≥{edges[-1]}{unit}"]
    counts = [0] * len(edges)
    for value in values:
        if value is None or value < edges[0]:
            continue
        counts[max(i for i, edge in enumerate(edges) if value >= edge)] += 1
    return categories, counts
