"""Celery tasks: explicitly named, taking ids, thin wrappers over marketplace services."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="marketplace.ping", ignore_result=False)
def ping() -> str:
    """Round-trip check used by `flask jobs-status` and the worker smoke test."""
    return "pong"
