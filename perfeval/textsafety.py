"""User text that a spreadsheet would run: the one rule both the CSV and the xlsx exports apply."""

import re

# Text starting with one of these is read as a formula (or a DDE payload) by Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters an xlsx cell cannot hold


def set_cell_value(cell, value) -> None:
    """Write a value into a spreadsheet cell (openpyxl's) so that user text is never a formula: such text
    becomes a string cell (data_type "s")."""
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        cell.value = value
        if looks_like_formula(value):
            cell.data_type = "s"
        return
    cell.value = value
