"""The policy cap on how long a secondment may last in total, extensions included (``SECONDMENT_MAX_MONTHS``)."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from marketplace.services.check_ins import add_months


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end``, counting a started month as a month.

    1 March to 1 September is 6; 1 March to 2 September is 7: a cap of six months is passed
    by a single day over.
    """
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) < end:
        months += 1
    return max(months, 0)


def cap_months() -> int:
    """The installation's cap in months."""
    return current_app.config["SECONDMENT_MAX_MONTHS"]


def cap_warning(start: dt.date, end: dt.date, *, cap: int | None = None) -> str | None:
    """A sentence for the people deciding when ``start``..``end`` passes the cap, else None."""
    cap = cap_months() if cap is None else cap
    months = months_between(start, end)
    if months <= cap:
        return None
    return (f"This makes the secondment {months} months long in total, past the policy cap of {cap} months: "
            "the talent team will ask why, and a longer move may need to become a permanent transfer.")
