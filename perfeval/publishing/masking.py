"""Personal numbers out of the public version: 18373311611 → 183****1611, 138-0013-8000 → 138-****-8000, an ID
number keeps its first six and last four digits. The internal record (the snapshot) keeps the real text; only the
copy the public sees (its page, PDF, CSV and JSON are all made from it) is masked. The numbers are those the
PERSONAL_NUMBER check flags (rules.checks.personal_numbers), so what the gate lists is what is masked.
"""

from perfeval.rules.checks import personal_numbers

# Which digits of the national number are hidden: the middle four of a mobile, the birth date of an ID.
_HIDDEN = {"mobile": slice(3, 7), "id": slice(6, 14)}


def mask_text(text: str) -> str:
    """The text with every personal mobile and ID number masked (a landline such as 0731-28680000 stays: it is
    the unit's office number)."""
    if not text:
        return text
    characters = list(text)
    for number in personal_numbers(text):
        hidden = _HIDDEN.get(number.kind)
        if hidden is not None:
            for position in number.positions[hidden]:
                characters[position] = "*"
    return "".join(characters)


def mask_value(value):
    """Every string inside a JSON value masked; numbers and keys unchanged."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [mask_value(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    return value
