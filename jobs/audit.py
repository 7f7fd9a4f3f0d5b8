"""Signing the audit log's head, every few minutes (beat) and after every AUDIT_CHECKPOINT_EVERY entries."""

from __future__ import annotations

from celery import shared_task

from jobs.retrying import RETRIED


@shared_task(name="marketplace.audit_checkpoint", **RETRIED)
def audit_checkpoint() -> int | None:
    """Sign and witness the chain head if it moved since the last checkpoint; returns the signed sequence number."""
    from marketplace.services.audit import checkpoint

    row = checkpoint()
    return row.seq if row else None
