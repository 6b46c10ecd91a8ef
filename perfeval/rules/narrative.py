"""Reading the 正文 as the checks need it: the figures it quotes with their label, and its list numbering.

A quoted figure is a label (年初预算, 实际支出, 结余结转 …) followed, in the same clause, by an amount in 万元:
「实际支出 426.23 万元」, 「年初预算项目“信访维稳工作经费”425 万元」, 「年中追加“…”，金额 45 万元」. The reading is
deliberately narrow, because a misread figure would be a false finding on a right report:

- an amount belongs to the last label before it, and only if no sentence end (。；！？ or a line break) and no
  other amount lies between them (「实际支出 426.23 万元（含上年退单 2 万元）」: the 2 has no label);
- a comparison is not a quotation: a label right after 较/比/与/占/同, or an amount whose gap from its label holds
  a comparing word (减少, 增长, 超出 …), is skipped (「较年初预算减少 24.5 万元」 says nothing about 年初预算);
- an approximate amount is not a quotation: 约, 近, 余 anywhere in the gap skip it.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

_AMOUNT = re.compile(r"(?<![\d.])(-?\d+(?:\.\d+)?)\s*万元")
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_COMPARISON_BEFORE = frozenset("较比与占同")
_GAP_BLOCKERS = (
    "减少",
    "增加",
    "增长",
    "下降",
    "上升",
    "超出",
    "超过",
    "节约",
    "相比",
    "同比",
    "约",
    "近",
    "余",
    "多",
    "少",
)


@dataclass(frozen=True)
class QuotedFigure:
    label: str  # the key of the label map the word belongs to (never empty: see quoted_figures)
    word: str  # the word as written, e.g. "实际支出"
    value: Decimal
    quote: str  # the text from the word to 万元, for the message


def quoted_figures(text: str, labels: dict[str, str]) -> list[QuotedFigure]:
    """Every amount of ``text`` quoted with one of ``labels`` (word → label key), in order. A word mapped to ""
    takes its amount and quotes nothing: 「上年结转 2 万元」 is money carried in, not the 结余结转 a 结转 label
    would read."""
    if not text or not labels:
        return []
    words = sorted(labels, key=len, reverse=True)
    label_pattern = re.compile("|".join(re.escape(word) for word in words))
    events = [(m.start(), m.end(), "label", m) for m in label_pattern.finditer(text)]
    events += [(m.start(), m.end(), "amount", m) for m in _AMOUNT.finditer(text)]
    events.sort(key=lambda event: (event[0], event[2] != "label"))
    found, pending = [], None
    for start, end, kind, match in events:
        if kind == "label":
            if start > 0 and text[start - 1] in _COMPARISON_BEFORE:
                pending = None
                continue
            pending = match
            continue
        if pending is not None and pending.end() <= start:
            gap = text[pending.end() : start]
            if not _SENTENCE_END.search(gap) and not any(word in gap for word in _GAP_BLOCKERS):
                word = pending.group()
                if labels[word]:
                    found.append(
                        QuotedFigure(labels[word], word, Decimal(match.group(1)), text[pending.start() : end])
                    )
        pending = None
    return found


_ARABIC_ITEM = re.compile(r"(?:^|(?<=[\s。；;：:，,）)]))(\d{1,2})\s*[、.．](?!\d)")
_CHINESE_ITEM = re.compile(r"[（(]([一二三四五六七八九十]{1,3})[）)]")
_CHINESE_SHI = re.compile(r"([一二三四五六七八九十]{1,3})是")
_CHINESE_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}


def _chinese_number(text: str) -> int | None:
    if text == "十":
        return 10
    if len(text) == 1:
        return _CHINESE_DIGITS.get(text)
    if text.startswith("十"):
        return 10 + _CHINESE_DIGITS.get(text[1:], 0)
    tens = _CHINESE_DIGITS.get(text[0], 0) * 10
    return tens + (_CHINESE_DIGITS.get(text[2:], 0) if text[1:2] == "十" else 0) if tens else None


def numbering_breaks(text: str) -> list[str]:
    """Where a numbered list repeats or skips a number (「1、2、3、4、4、5」, 「一是 … 三是」), as
    「4 → 4」; each kind of numbering (1、 / （一） / 一是) is followed on its own, and a list that starts again
    at 1 is a new list."""
    breaks = []
    for pattern, convert in (
        (_ARABIC_ITEM, int),
        (_CHINESE_ITEM, _chinese_number),
        (_CHINESE_SHI, _chinese_number),
    ):
        previous = None
        for match in pattern.finditer(text or ""):
            number = convert(match.group(1))
            if number is None:
                continue
            if previous is not None and number != 1 and number != previous + 1:
                breaks.append(f"{previous} → {number}")
            previous = number
    return breaks
