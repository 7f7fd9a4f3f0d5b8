"""Notification e-mails: send one (exactly once, retried with backoff) and sweep up the ones left pending."""

from __future__ import annotations

from celery import shared_task
from sqlalchemy.exc import OperationalError

from marketplace.services import notification_email


@shared_task(
    name="marketplace.send_notification_email",
    acks_late=True,
    autoretry_for=(notification_email.EmailNotSent, OperationalError),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
def send_notification_email(notification_id: int) -> str | None:
    """E-mail one notification unless it was sent already; a second delivery of the task sends nothing."""
    state = notification_email.send(notification_id)
    return state.value if state else None


@shared_task(name="marketplace.sweep_notification_emails", acks_late=True)
def sweep_notification_emails() -> int:
    """Queue e-mails whose task was lost (broker outage) or whose worker died mid-send (beat, every minute)."""
    return notification_email.sweep()
