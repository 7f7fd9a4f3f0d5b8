"""The one way the web app queues background work: by task name, so it never imports jobs/."""

from __future__ import annotations

import contextlib
import logging
import sqlite3

from celery import Celery
from flask import Flask, current_app
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)


def celery_settings(app: Flask) -> dict:
    """The app's Celery settings; an SQLite broker or result store gets WAL and a busy timeout."""
    settings = dict(app.config["CELERY"])
    busy_timeout_s = int(app.config.get("SQLITE_BUSY_TIMEOUT_MS", 15000)) / 1000
    # kombu's SQLAlchemy transport passes its transport options to create_engine;
    # Celery's database result backend does the same with database_engine_options.
    for url_key, prefix, options_key in (
        ("broker_url", "sqla+", "broker_transport_options"),
        ("result_backend", "db+", "database_engine_options"),
    ):
        path = _sqlite_file(settings.get(url_key), prefix)
        if path:
            settings.setdefault(options_key, {"connect_args": {"timeout": busy_timeout_s}})
            _use_wal(path, busy_timeout_s)
    return settings


def _use_wal(path: str, busy_timeout_s: float) -> None:
    """Switch an SQLite file to WAL, so the web app and worker rarely wait for each other.

    WAL is stored in the file, so this is a no-op once any process has switched it on.
    """
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=busy_timeout_s)) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as exc:  # slower without WAL, still correct
        log.warning("Could not switch %s to WAL: %s", path, exc)


def _sqlite_file(url: str | None, prefix: str) -> str | None:
    """The file path of an SQLite ``url`` written with ``prefix``, or None for anything else."""
    if not url or not url.startswith(prefix + "sqlite"):
        return None
    database = make_url(url[len(prefix):]).database
    return database if database and database != ":memory:" else None


def _celery() -> Celery:
    celery_app = current_app.extensions.get("celery")
    if celery_app is None:
        celery_app = Celery(current_app.name)
        celery_app.config_from_object(celery_settings(current_app))
        _give_up_within_a_second(celery_app)
        current_app.extensions["celery"] = celery_app
    return celery_app


def _give_up_within_a_second(celery_app: Celery) -> None:
    """Sending from the web app fails within a second when the broker or result store is down.

    A request should not wait for them (kombu retries a refused connection for ~6 s, Celery's Redis
    result store for ~20 s, an unanswered connection hangs longer): the work waits for the broker
    instead, and beat's sweeps queue it once the broker is back.
    """
    conf = celery_app.conf
    options = {**(conf.broker_transport_options or {}), "max_retries": 0}
    if conf.broker_url.startswith(("redis://", "rediss://")):
        options |= {"socket_connect_timeout": 1, "socket_timeout": 1}
    conf.broker_transport_options = options
    conf.broker_connection_timeout = 1  # AMQP: seconds to open the connection
    # The Redis result store subscribes to each task's result before sending it.
    conf.redis_socket_connect_timeout = 1
    conf.result_backend_transport_options = {
        **(conf.result_backend_transport_options or {}), "retry_policy": {"max_retries": 0},
    }


def enqueue(task_name: str, *args, **kwargs) -> str | None:
    """Send a task by name; returns its id, or None if the broker could not be reached."""
    try:
        result = _celery().send_task(task_name, args=args, kwargs=kwargs, retry=False)
    except Exception:  # a broker outage must never fail the web request
        current_app.logger.warning("Could not queue %s; it will be retried later.", task_name, exc_info=True)
        return None
    return result.id


def wait_for_result(task_id: str, timeout: float):
    """Block until a queued task finishes and return its result (for CLI checks, never in a request).

    Raises ``celery.exceptions.TimeoutError`` when no worker finishes it within ``timeout`` seconds,
    and re-raises the task's own exception when it failed.
    """
    return _celery().AsyncResult(task_id).get(timeout=timeout, interval=0.2)
