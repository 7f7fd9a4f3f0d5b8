"""Background work on Celery: the Celery app and thin tasks that call marketplace services."""
