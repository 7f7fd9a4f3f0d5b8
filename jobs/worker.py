"""Entry point for `celery -A jobs.worker worker` (and `beat`): the Flask app, then its Celery app."""

from jobs.celery_app import celery_init_app
from marketplace import create_app

flask_app = create_app()
celery_app = celery_init_app(flask_app)
