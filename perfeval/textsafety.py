"""User text that a spreadsheet would run: the one rule both the CSV and the xlsx exports apply."""

# Text starting with one of these is read as a formula (or a DDE payload) by Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)
