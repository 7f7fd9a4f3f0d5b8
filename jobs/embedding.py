"""Embedding tasks: one row after an edit, the periodic sweep, and everything after a model change.

All are idempotent (vectors are cached by model and text, stale marks are cleared conditionally),
acknowledged late and retried with backoff, so a lost worker or a broker restart loses nothing.
"""

from __future__ import annotations

from celery import shared_task

from jobs.retrying import RETRIED
from marketplace.services import embedding


@shared_task(name="marketplace.embed_employee", **RETRIED)
def embed_employee(employee_id: int) -> int:
    """Embed one employee's changed profile texts, so their next ranking needs no model call."""
    return embedding.embed_employee(employee_id)


@shared_task(name="marketplace.embed_opportunity", **RETRIED)
def embed_opportunity(opportunity_id: int) -> int:
    """Embed a created, edited or published secondment's texts."""
    return embedding.embed_opportunity(opportunity_id)


@shared_task(name="marketplace.reembed", **RETRIED)
def reembed(run_id: int) -> None:
    """Embed every text under the current model as job run ``run_id``, resuming where it stopped."""
    embedding.reembed(run_id)


@shared_task(name="marketplace.embed_stale", acks_late=True)  # the next sweep is its retry
def embed_stale() -> dict:
    """Beat: re-send runs lost with their worker, queue a re-embedding after a model change, embed stale rows."""
    return embedding.sweep()
