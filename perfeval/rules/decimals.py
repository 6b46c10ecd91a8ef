"""The one rounding helper and the number formats of finding messages. Decimal only: a float never enters."""

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
DASH = "—"  # what a ratio with a zero denominator shows, never "0"
BLANK = "空"  # what a message shows for a field left blank


def quantize(value: Decimal, places: int = 2, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round to ``places`` decimals, half up unless a rule pack says otherwise (19.945 → 19.95)."""
    if not isinstance(value, Decimal):
        # A float here would already have lost the cents; refuse it rather than round garbage.
        raise TypeError(f"quantize needs a Decimal, got {type(value).__name__}")
    return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def decimal_text(value: Decimal | None) -> str | None:
    """The canonical text of a Decimal in the payload and the frozen figures: exact, no exponent, no trailing
    zeros ("425", "24.19", "0.07"); None stays None."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def percent(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator ÷ denominator as a percent number (98.13 for 98.13%), unrounded; None when undefined."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator * HUNDRED / denominator


def _plain(value: Decimal) -> str:
    # normalize() drops trailing zeros but writes 100 as 1E+2; format "f" undoes the exponent.
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def fmt_amount(value: Decimal | None) -> str:
    """An amount as the seed prints it: 24.19, 425, 0.46; blank shows as 「空」."""
    if value is None:
        return BLANK
    return _plain(value)


def fmt_percent(value: Decimal | None, places: int = 2, rounding: str = ROUND_HALF_UP) -> str:
    """A percent number rounded (half up unless told) and printed without trailing zeros: 98.13%, 100%;
    undefined → —."""
    if value is None:
        return DASH
    return f"{_plain(quantize(value, places, rounding))}%"
