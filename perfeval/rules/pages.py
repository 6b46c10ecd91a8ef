"""How long the report's PDF will be, estimated from its text lengths and row counts without laying it out.

The PDF (static/publishing/print.css) prints the 正文 on A4 portrait at 11 pt with 1.75 line spacing — about
40 characters a line, 36 lines a page — and each attachment on A4 landscape at 9 pt, where a row's height is
the line count of its widest text in its column. The figures below are those layouts' measures, rounded so
that the estimate errs long: a document estimated under the cap renders under it. Saving and submitting
refuse a report whose estimate exceeds the page cap or the render time limit, so the cap is met when the
text is typed, not discovered at approval.
"""

from dataclasses import dataclass
from math import ceil

from perfeval.rules import data

LINE_CHARS = 38  # 正文: characters a portrait line holds (166 mm at 11 pt, less the first-line indent)
PAGE_LINES = 34  # 正文: lines a portrait page holds, headings included
TABLE_PAGE_MM = 150  # landscape: height left for rows under the title and the repeated header
ROW_LINE_MM = 4.0  # 9 pt at 1.25 line height
ROW_PADDING_MM = 1.6
# Characters per line of each indicator column (column width ÷ 9 pt), narrowest first.
NAME_CHARS, VALUE_CHARS, REASON_CHARS = 13, 10, 13
TEXT_ROW_CHARS = 60  # a full-width text row of an attachment (goals, 厉行节约, 说明)
# Render time grows with pages and, more steeply, with indicator rows (benchmarks/bench_page_estimate.py:
# 50 projects × 30 rows, 109 pages, in 56 s on the loaded 2-core machine; 642 pages of 150 rows in 93 s).
SECONDS_PER_PAGE = 0.1
SECONDS_PER_ROW = 0.02
PARAGRAPH_GAP = 0.25  # a paragraph's bottom margin, in lines: 3,000 one-word lines need 3,750 lines of page


@dataclass(frozen=True)
class Estimate:
    pages: int
    seconds: float


def _lines(text: str, width: int) -> int:
    """Lines a text takes at ``width`` characters a line; every paragraph takes at least one."""
    if not text:
        return 0
    return sum(max(1, ceil(len(paragraph) / width)) for paragraph in text.splitlines() or [""])


def _paragraph_lines(text: str) -> float:
    """Lines a 正文 text takes, with the gap under each of its paragraphs."""
    return _lines(text, LINE_CHARS) + PARAGRAPH_GAP * len(text.splitlines())


def _row_mm(*cells: tuple[str, int]) -> float:
    lines = max([1, *(_lines(text, width) for text, width in cells)])
    return lines * ROW_LINE_MM + ROW_PADDING_MM


def _scorecard_mm(card: data.Scorecard) -> float:
    # Header, budget block and breakdowns: about 16 single-line rows on every scorecard.
    height = 16 * _row_mm()
    height += _row_mm((card.execution_explanation, TEXT_ROW_CHARS))
    for row in card.indicators:
        height += _row_mm(
            (row.name, NAME_CHARS),
            (row.target_text, VALUE_CHARS),
            (row.actual_text, VALUE_CHARS),
            (row.deviation_reason, REASON_CHARS),
        )
    return height


def estimate(report: data.Report, *, goals: dict[str, tuple[str, str]] | None = None) -> Estimate:
    """Pages and render seconds of the report's PDF. ``goals`` maps a scorecard ref to its (预期, 实际)
    年度总体目标 texts, which the rules' data does not carry."""
    goals = goals or {}
    text_lines = sum(_paragraph_lines(text) + 2 for text in report.sections.values())  # + the heading
    text_lines += 2 * len(report.projects)  # each project's derived figures in 二 and 六
    pages = 1 + ceil(text_lines / PAGE_LINES)  # the cover, then the 正文
    att1_mm = (20 + len(report.special_rows) + len(report.buildings)) * _row_mm()
    att1_mm += sum(_row_mm((row.name, NAME_CHARS)) - _row_mm() for row in report.special_rows)
    att1_mm += _row_mm((report.frugality_measures, TEXT_ROW_CHARS))
    pages += ceil(att1_mm / TABLE_PAGE_MM)
    cards = [c for c in (report.department_scorecard, *report.project_scorecards) if c is not None]
    rows = sum(len(card.indicators) for card in cards)
    for card in cards:
        expected, actual = goals.get(card.ref, ("", ""))
        height = _scorecard_mm(card) + _row_mm((expected, TEXT_ROW_CHARS // 2), (actual, TEXT_ROW_CHARS // 2))
        pages += ceil(height / TABLE_PAGE_MM)
    return Estimate(pages=pages, seconds=pages * SECONDS_PER_PAGE + rows * SECONDS_PER_ROW)


def too_long(report: data.Report, *, max_pages: int, max_seconds: float, goals=None) -> str | None:
    """Why the report's PDF could not be produced, in Chinese; None when it fits."""
    result = estimate(report, goals=goals)
    if result.pages > max_pages:
        return (
            f"报告内容过长：按当前文字和行数估计 PDF 约 {result.pages} 页，超过上限 {max_pages} 页。"
            "请精简正文、项目说明或指标文字后再保存。"
        )
    if result.seconds > max_seconds:
        return (
            f"报告内容过长：按当前文字和行数估计生成 PDF 约需 {result.seconds:.0f} 秒，超过时限 "
            f"{max_seconds:g} 秒。请精简正文、项目说明或指标文字后再保存。"
        )
    return None
