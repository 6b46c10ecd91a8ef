"""Personal numbers out of the public version: 18373311611 → 183****1611, an ID number keeps its first six and
last four characters. The internal record (the snapshot) keeps the real text; only the copy the public sees is
masked. The patterns are the ones the PERSONAL_NUMBER check flags, so what the check finds is what is masked.
"""

from perfeval.rules.checks import ID_NUMBER, MOBILE_NUMBER


def _mask_mobile(match) -> str:
    number = match.group()
    return f"{number[:3]}****{number[-4:]}"


def _mask_id(match) -> str:
    number = match.group()
    return f"{number[:6]}{'*' * 8}{number[-4:]}"


def mask_text(text: str) -> str:
    """The text with every personal mobile and ID number masked (a landline such as 0731-28680000 stays)."""
    if not text:
        return text
    return MOBILE_NUMBER.sub(_mask_mobile, ID_NUMBER.sub(_mask_id, text))


def mask_value(value):
    """Every string inside a JSON value masked; numbers and keys unchanged."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [mask_value(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    return value
