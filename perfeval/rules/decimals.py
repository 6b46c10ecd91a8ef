"""The one rounding helper and the number formats of finding messages. Decimal only: a float never enters."""

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
DASH = "—"  # what a ratio with a zero denominator shows, never "0"
BLANK = "空"  # what a message shows for a field left blank


def quantize(value: Decimal, places: int = 2) -> Decimal:
    """Round half up to ``places`` decimals (19.945 → 19.95), as the official tables do."""
    if not isinstance(value, Decimal):
        # A float here would already have lost the cents; refuse it rather than round garbage.
        raise TypeError(f"quantize needs a Decimal, got {type(value).__name__}")
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


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


def fmt_percent(value: Decimal | None, places: int = 2) -> str:
    """A percent number rounded half up and printed without trailing zeros: 98.13%, 100%; undefined → —."""
    if value is None:
        return DASH
    return f"{_plain(quantize(value, places))}%"
