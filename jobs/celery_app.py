"""Flask's Celery pattern: one Celery app whose tasks run inside the Flask app context."""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask

from marketplace.queue import celery_settings


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app from the Flask config and attach it to ``app.extensions``."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(celery_settings(app))
    celery_app.set_default()
    celery_app.autodiscover_tasks(["jobs"], related_name="tasks", force=True)
    app.extensions["celery"] = celery_app
    return celery_app
