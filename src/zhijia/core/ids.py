"""Row ids as the database can hold them, and whole numbers as a page's query or form sends them."""

from __future__ import annotations

from typing import Any

MAX_ID = 2**63 - 1


def valid_id(value: Any) -> bool:
    """Whether `value` can be a row's id: a positive integer within 64 bits, not a bool. Anything else names no row
    and is answered as not found before it reaches SQL (SQLite refuses an integer parameter beyond 64 bits)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def int_from_text(value: Any) -> int | None:
    """The whole number 0..MAX_ID that a query or form value spells in the ASCII digits 0-9 (spaces around it
    allowed), or None: nothing, a sign, or other characters, among them the digits `str.isdigit` also takes (“²”,
    Arabic-Indic “٣”, full-width “３”), which `int()` refuses or reads as a number nobody typed."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None
