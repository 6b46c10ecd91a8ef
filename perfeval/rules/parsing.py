"""Turn the free text of 年度指标值 / 实际完成值 into operator + number + unit (domain.md §4 rule 2).

The seed writes targets as "≥10000", "≤1310.8万元", "100%", "第一时间". Rules:

- an explicit operator (≥ >= 不低于 大于等于 …, ≤ <= 不高于 不超过 小于等于 …, = 等于) → that operator;
- a bare number with an optional unit ("100%", "425万元") → operator None: the preparer must choose,
  because "100%" may mean ≥ or = and guessing would score the indicator on a rule nobody chose;
- a strict ">" / "<" → operator None too: the scoring rules only know ≥, ≤ and =, so the preparer decides;
- no digit at all ("第一时间", "促进") → "qual" (定性);
- anything else (digits inside prose, an operator without a number) → operator and/or value None, which the
  checks report as unparseable.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class ParsedValue:
    operator: str | None  # "ge" | "le" | "eq" | "qual" | None
    value: Decimal | None
    unit: str
    text: str  # the original text, untouched


# Longest first, so "大于等于" wins over a shorter prefix of it.
_PREFIXES = tuple(
    sorted(
        (
            *(
                (word, "ge")
                for word in ("≥", ">=", "=>", "不低于", "不少于", "不小于", "大于等于", "大于或等于")
            ),
            *(
                (word, "le")
                for word in (
                    "≤",
                    "<=",
                    "=<",
                    "不高于",
                    "不超过",
                    "不多于",
                    "不大于",
                    "小于等于",
                    "小于或等于",
                )
            ),
            *((word, "eq") for word in ("==", "=", "等于")),
            *((word, None) for word in (">", "<", "大于", "小于", "高于", "低于")),
        ),
        key=lambda pair: -len(pair[0]),
    )
)
_SUFFIXES = (("及以上", "ge"), ("以上", "ge"), ("及以下", "le"), ("以下", "le"), ("以内", "le"))
# NFKC folds full-width digits, ％, ＞, ＝; these relational signs it leaves alone.
_SIGNS = str.maketrans({"≧": "≥", "⩾": "≥", "≦": "≤", "⩽": "≤", "，": ","})
_NUMBER = re.compile(r"([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(.*)")
_DIGIT = re.compile(r"\d")
_SIGN_CHARS = "≥≤=<>"


def _normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_SIGNS)
    return "".join(folded.split())


def _split_operator(text: str) -> tuple[str | None, str]:
    """(operator, the rest of the text)."""
    for word, operator in _PREFIXES:
        if text.startswith(word):
            return operator, text[len(word) :]
    for word, operator in _SUFFIXES:
        if text.endswith(word):
            return operator, text[: -len(word)]
    return None, text


def _number(text: str) -> tuple[Decimal | None, str]:
    match = _NUMBER.fullmatch(text)
    if match is None or _DIGIT.search(match.group(2)):
        return None, ""
    try:
        return Decimal(match.group(1).replace(",", "")), match.group(2)
    except InvalidOperation:  # pragma: no cover - the pattern only lets valid numbers through
        return None, ""


def parse_target(text: str) -> ParsedValue:
    """Parse a 年度指标值."""
    normalized = _normalize(text or "")
    if not normalized:
        return ParsedValue(None, None, "", text or "")
    operator, rest = _split_operator(normalized)
    if not _DIGIT.search(normalized):
        # A sign with no number ("≥") is a half-typed target; words ("不低于上年", "良好以上") are 定性.
        if normalized[0] in _SIGN_CHARS:
            return ParsedValue(operator, None, "", text)
        return ParsedValue("qual", None, "", text)
    value, unit = _number(rest)
    if value is None:
        return ParsedValue(operator, None, "", text)
    return ParsedValue(operator, value, unit, text)


def parse_actual(text: str) -> ParsedValue:
    """Parse a 实际完成值 the same way; its operator, if any, is informational only."""
    return parse_target(text)


def resolve_target(text: str, *, operator: str | None, value: Decimal | None, unit: str) -> ParsedValue:
    """Operator, value and unit of an edited 年度指标值, given the ones chosen beside it (the edit form's fields;
    the stored row's for an import). The one precedence of every path: the text is the truth as far as it
    parses — its operator, number and unit win; a choice fills only what the text does not say (a bare
    "100%" has no operator; prose has no number). A text without any digit is 定性."""
    parsed = parse_target(text)
    if parsed.operator == "qual":
        return parsed
    if parsed.value is None:
        return ParsedValue(parsed.operator or operator, value, unit, parsed.text)
    return ParsedValue(parsed.operator or operator, parsed.value, parsed.unit, parsed.text)


def resolve_actual(text: str, *, value: Decimal | None) -> Decimal | None:
    """The value of an edited 实际完成值, by the same precedence: the number the text holds, none for a text
    without digits (定性), else the value given beside it."""
    parsed = parse_actual(text)
    if parsed.operator == "qual":
        return None
    return value if parsed.value is None else parsed.value
