"""Plain-text formatting shared by templates and the messages services raise."""

from __future__ import annotations

import datetime as dt


def format_date(value: dt.date | dt.datetime | None) -> str:
    """A date as people read it: 3 Mar 2027."""
    if value is None:
        return "—"
    return f"{value.day} {value:%b %Y}"
