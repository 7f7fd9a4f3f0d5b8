"""Periodic signing of the audit log's head."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="marketplace.audit_checkpoint", acks_late=True, autoretry_for=(Exception,), retry_backoff=True,
             max_retries=5)
def audit_checkpoint() -> int | None:
    """Sign the chain head if it moved since the last checkpoint; returns the signed sequence number."""
    from marketplace.services.audit import checkpoint

    row = checkpoint()
    return row.seq if row else None
