"""Plain-text formatting shared by templates and the messages services raise."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def format_date(value: dt.date | dt.datetime | None) -> str:
    """A date as people read it: 3 Mar 2027."""
    if value is None:
        return "—"
    return f"{value.day} {value:%b %Y}"


def to_local(value: dt.datetime, zone: str) -> dt.datetime:
    """A stored (naive UTC) time as a wall-clock time in ``zone``, aware so ``%Z`` names it."""
    return value.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(zone))


def from_local(value: dt.datetime, zone: str) -> dt.datetime:
    """A wall-clock time typed in ``zone`` as it is stored: naive UTC.

    A time the clocks skip (the spring change) or repeat (autumn) is read as the earlier one
    (``fold=0``), which is what a person booking a meeting means.
    """
    return value.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.timezone.utc).replace(tzinfo=None)


def format_local_time(value: dt.datetime | None, zone: str) -> str:
    """A stored time as people there read it: 3 Mar 2027 at 10:00 GMT."""
    if value is None:
        return "—"
    local = to_local(value, zone)
    return f"{local.day} {local:%b %Y at %H:%M %Z}"
