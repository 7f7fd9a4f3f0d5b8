"""The one way the web app queues background work: by task name, so it never imports jobs/."""

from __future__ import annotations

from celery import Celery
from flask import current_app


def _celery() -> Celery:
    celery_app = current_app.extensions.get("celery")
    if celery_app is None:
        celery_app = Celery(current_app.name)
        celery_app.config_from_object(current_app.config["CELERY"])
        current_app.extensions["celery"] = celery_app
    return celery_app


def enqueue(task_name: str, *args, **kwargs) -> str | None:
    """Send a task by name; returns its id, or None if the broker could not be reached."""
    try:
        result = _celery().send_task(task_name, args=args, kwargs=kwargs, retry=False)
    except Exception:  # a broker outage must never fail the web request
        current_app.logger.warning("Could not queue %s; it will be retried later.", task_name, exc_info=True)
        return None
    return result.id
