"""Celery tasks: explicitly named, taking ids, thin wrappers over marketplace services."""

from __future__ import annotations

import sqlalchemy as sa
from celery import shared_task

from marketplace.extensions import db


@shared_task(name="marketplace.ping", ignore_result=False)
def ping() -> str:
    """Round trip for `flask jobs-ping`: proves a worker is consuming and can reach the database."""
    db.session.execute(sa.text("SELECT 1"))
    return "pong"


@shared_task(
    name="marketplace.embed_employee",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def embed_employee(employee_id: int) -> int:
    """Embed one employee's changed profile texts, so their next ranking needs no model call."""
    from marketplace.services import matching

    return matching.embed_employee(employee_id)


from jobs import lifecycle  # noqa: E402,F401 - registers the selection tasks with the worker
