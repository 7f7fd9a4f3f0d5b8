"""Celery tasks: explicitly named, taking ids, thin wrappers over marketplace services."""

from __future__ import annotations

import sqlalchemy as sa
from celery import shared_task

from marketplace.extensions import db

# Task modules by area; importing them registers their tasks with Celery.
from jobs import audit  # noqa: F401
from jobs import embedding  # noqa: F401
from jobs import imports  # noqa: F401
from jobs import lifecycle  # noqa: F401
from jobs import notifications  # noqa: F401
from jobs import periodic  # noqa: F401


@shared_task(name="marketplace.ping", ignore_result=False)
def ping() -> str:
    """Round trip for `flask jobs-ping`: proves a worker is consuming and can reach the database."""
    db.session.execute(sa.text("SELECT 1"))
    return "pong"
