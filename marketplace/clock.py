"""The one place the app asks what time it is (naive UTC, as stored)."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """Current UTC time without tzinfo, the form stored in the database."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def today() -> dt.date:
    """Today's date in UTC."""
    return utcnow().date()
