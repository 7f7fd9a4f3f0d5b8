"""Periodic tasks that beat runs (schedule: marketplace.config.BEAT_SCHEDULE); each is idempotent."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from jobs.retrying import RETRIED

from marketplace.services import deadlines


@shared_task(
    name="marketplace.close_expired_opportunities",
    **RETRIED,
)
def close_expired_opportunities() -> int:
    """Close open opportunities past their closing date and tell their hosts and applicants."""
    return deadlines.close_expired_opportunities()


@shared_task(
    name="marketplace.send_reminders",
    **RETRIED,
)
def send_reminders(on: str | None = None) -> dict[str, int]:
    """Remind line managers of pending releases, everyone of secondments starting or ending soon, and of check-ins."""
    from marketplace.services import reminders

    return reminders.send_due(dt.date.fromisoformat(on) if on else None)
