"""Row ids as the database can hold them."""

from __future__ import annotations

from typing import Any

MAX_ID = 2**63 - 1


def valid_id(value: Any) -> bool:
    """Whether `value` can be a row's id: a positive integer within 64 bits, not a bool. Anything else names no row
    and is answered as not found before it reaches SQL (SQLite refuses an integer parameter beyond 64 bits)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID
