"""The bounds of every stored value, and the one check every path puts a value through before writing it.

A place is ``"Model.field"`` of perfeval.filing.models. Its bounds come from the model field: the digits and
decimals of a DecimalField, the validators' minimum and maximum, a text field's ``max_length``. The edit
forms, the JSON import, the workbook import, the admin (through the model fields' validators) and the commands
all ask :func:`problem`, so no source can store what a page cannot show, and no value reaches the database
that the database would refuse (a DataError on PostgreSQL) or keep but not read back (SQLite).
"""

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

# 万元 to six decimals is exactly the 分 (1 万元 = 1,000,000 分). Fifteen significant digits is what SQLite
# keeps exactly (it stores a DecimalField as REAL), so amounts go up to 999,999,999.999999 万元 — above any
# budget a department files — and read back unchanged on both databases.
MONEY_DIGITS, MONEY_PLACES = 15, 6
STAFF_MAX = 1_000_000  # 编制数 / 在职人数: more than any department has
WEIGHT_MAX = Decimal(100)  # 分值 and 得分: a scorecard's weights add up to 100

# Free texts. A real report's longest section (the seed's 六（一）) has 1,564 characters; the limits leave
# several times that, while the page estimate (perfeval/rules/pages.py) bounds the document as a whole.
SECTION_MAX = 10_000  # each 正文 field
PARAGRAPH_MAX = 5_000  # a project's 六（二） paragraph, 厉行节约保障措施
NOTE_MAX = 2_000  # 年度总体目标, 执行率说明, 偏差原因, 未填附件3的原因, explanations

# Line breaks and tabs are text; every other control character, a lone surrogate (not encodable: PostgreSQL
# refuses it) and the bidirectional overrides that make a name display as something else are refused.
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}
_BIDI_OVERRIDES = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def bad_character(text: str) -> str | None:
    """The first character a stored text may not contain, or None."""
    for char in text:
        if char in _ALLOWED_CONTROLS:
            continue
        if unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI_OVERRIDES:
            return char
    return None


def _character_message(char: str) -> str:
    return f"含有不允许的控制字符（U+{ord(char):04X}），请删除后再保存"


def printable(value) -> None:
    """Model-field validator (admin and model forms): no control characters."""
    char = bad_character(str(value))
    if char is not None:
        raise ValidationError(_character_message(char), code="control_character")


@dataclass(frozen=True)
class Bound:
    label: str
    kind: str  # "decimal" | "integer" | "text" | "choice"
    max_digits: int | None = None
    decimal_places: int | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    max_length: int | None = None
    choices: frozenset | None = None


def _validator_limit(field, kind):
    for validator in field.validators:
        if isinstance(validator, kind):
            limit = validator.limit_value
            return limit() if callable(limit) else limit
    return None


@cache
def bound(place: str) -> Bound:
    """The bounds of ``"Model.field"`` (a filing model) or ``"app.Model.field"`` (an app above filing, looked up
    by name so filing imports nothing of it), read from the model field."""
    from django.apps import apps
    from django.db import models

    app_label, model_name, field_name = (
        place.split(".") if place.count(".") == 2 else ("filing", *place.split("."))
    )
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    label = str(field.verbose_name)
    if field.choices:
        return Bound(label, "choice", choices=frozenset(key for key, _ in field.choices))
    if isinstance(field, models.DecimalField):
        minimum = _validator_limit(field, MinValueValidator)
        if model_name == "ExpenseAmount":
            minimum = Decimal(0)  # signed columns for one row's sake: that row passes ``signed=True``
        return Bound(
            label,
            "decimal",
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            minimum=minimum,
            maximum=_validator_limit(field, MaxValueValidator),
        )
    if isinstance(field, models.IntegerField):
        return Bound(
            label,
            "integer",
            minimum=_validator_limit(field, MinValueValidator),
            maximum=_validator_limit(field, MaxValueValidator),
        )
    if isinstance(field, models.CharField | models.TextField):
        return Bound(label, "text", max_length=field.max_length)
    raise LookupError(f"no bounds for {place}")


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}…（共 {len(text)} 字）"


def _decimal_problem(spec: Bound, value, signed: bool, rounded: bool) -> str | None:
    if isinstance(value, bool):
        return f"「{value}」不是数字"
    if isinstance(value, float):
        value = Decimal(repr(value))
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return f"「{_shown(value)}」不是数字"
    if not number.is_finite():
        return f"「{_shown(value)}」不是有限数字"
    # Counted from the digits, never quantized or normalized: both round (and 1E+400 raises) under the
    # context precision. Trailing zeros are not decimals: 1.500000000 is 1.5.
    _, digits, exponent = number.as_tuple()
    significant = "".join(map(str, digits)).rstrip("0")
    places = max(0, -(exponent + len(digits) - len(significant))) if significant else 0
    if places > spec.decimal_places and not rounded:
        return f"「{_shown(value)}」最多保留 {spec.decimal_places} 位小数（不会自动舍入）"
    minimum = None if signed else spec.minimum
    if minimum is not None and number < minimum:
        return f"「{_shown(value)}」不能为负数" if minimum == 0 else f"「{_shown(value)}」不能小于 {minimum}"
    if spec.maximum is not None and number > spec.maximum:
        return f"「{_shown(value)}」不能大于 {spec.maximum}"
    whole = spec.max_digits - spec.decimal_places
    if abs(number) >= Decimal(10) ** whole:
        return f"「{_shown(value)}」超出范围：整数部分最多 {whole} 位"
    return None


def _integer_problem(spec: Bound, value) -> str | None:
    if isinstance(value, bool):
        return f"「{value}」不是整数"
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return f"「{_shown(value)}」不是整数"
    if not number.is_finite() or number != number.to_integral_value():
        return f"「{_shown(value)}」不是整数"
    low, high = spec.minimum or 0, spec.maximum
    if number < low or (high is not None and number > high):
        return f"「{_shown(value)}」超出范围（{low}–{high}）"
    return None


def _text_problem(spec: Bound, value) -> str | None:
    if not isinstance(value, str):
        return f"「{_shown(value)}」不是文字"
    if spec.max_length is not None and len(value) > spec.max_length:
        return f"长度 {len(value)} 字，超过上限 {spec.max_length} 字"
    char = bad_character(value)
    return _character_message(char) if char is not None else None


def problem(place: str, value, *, signed: bool = False, rounded: bool = False) -> str | None:
    """Why ``value`` cannot be stored at ``place`` (``"Model.field"``), in Chinese; None when it can.

    ``None`` and "" are blank and always fit. ``signed`` lifts a lower bound of 0 (部门基本支出预算调整 is the
    one 附件1 row that may be a reduction). ``rounded`` skips the count of decimals for a value the caller
    rounds by a stated rule (a rate as a document printed it, compared and kept at 2 dp). The caller names the place in its own terms (``附件1!D8：``, the form
    field, a JSON path) before the message.
    """
    if value is None or value == "":
        return None
    spec = bound(place)
    if spec.kind == "decimal":
        return _decimal_problem(spec, value, signed, rounded)
    if spec.kind == "integer":
        return _integer_problem(spec, value)
    if spec.kind == "choice":
        return (
            None if isinstance(value, str) and value in spec.choices else f"「{_shown(value)}」不是可选的值"
        )
    return _text_problem(spec, value)


class BoundValidator:
    """A form-field validator that asks :func:`problem` (the edit forms use it for every field)."""

    def __init__(self, place: str, *, signed: bool = False):
        self.place, self.signed = place, signed

    def __call__(self, value):
        message = problem(self.place, value, signed=self.signed)
        if message is not None:
            raise ValidationError(message, code="bounds")


def pdf_limits(parts: int) -> tuple[float, int]:
    """(time limit in seconds, page cap) of a document of ``parts`` parts (one per 附件3, plus the cover and 正文,
    附件1 and 附件2): base + per part, so that an honest report meets neither limit at any size while a runaway
    text (a field pasted a thousand times) is still stopped. A 附件3 takes one or two landscape pages and about
    a third of a second of one core; the allowance per part is several times that."""
    from django.conf import settings

    timeout = (
        float(getattr(settings, "PDF_TIMEOUT_SECONDS", 60))
        + float(getattr(settings, "PDF_TIMEOUT_SECONDS_PER_PART", 2)) * parts
    )
    max_pages = (
        int(getattr(settings, "PDF_MAX_PAGES", 100))
        + int(getattr(settings, "PDF_MAX_PAGES_PER_PART", 5)) * parts
    )
    return timeout, max_pages


def document_problem(report) -> str | None:
    """Why ``report`` (loaded with ``parts.reports_with_parts``) could not be printed within the page cap and
    the render time limit (``PDF_MAX_PAGES``, ``PDF_TIMEOUT_SECONDS``), in Chinese; None when it fits."""

    from perfeval.filing.opendata import rules_data
    from perfeval.rules.pages import too_long

    plain = rules_data(report)
    cards = (plain.department_scorecard, *plain.project_scorecards)
    goals = {card.ref: (card.goal_expected, card.goal_actual) for card in cards if card is not None}
    max_seconds, max_pages = pdf_limits(3 + len(plain.project_scorecards))
    return too_long(plain, max_pages=max_pages, max_seconds=max_seconds, goals=goals)
