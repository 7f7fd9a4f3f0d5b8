"""What the database can hold: values beyond it are the sender's mistake (a 4xx), never the server's (a 500)."""

from __future__ import annotations

import datetime as dt

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL's integer, the type of every id and count column
# Dates people may type: wide enough for any start date or period, narrow enough that date arithmetic
# (a closing date plus a day, a start plus 24 months) never leaves Python's years 1 to 9999.
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
NOT_ALLOWED = "\x00"  # PostgreSQL text cannot hold a NUL byte, and no person types one
NOT_ALLOWED_MESSAGE = "contains a character that is not allowed"


def whole_number(value: object) -> int | None:
    """An id or page number sent as text (``"17"``), or None when it is not one the database could hold."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= INT_MAX else None


def in_int_range(number: int) -> bool:
    """True when ``number`` fits a PostgreSQL integer column."""
    return INT_MIN <= number <= INT_MAX
