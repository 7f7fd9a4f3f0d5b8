"""A real Celery worker process answers `flask jobs-ping` over each broker we support."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from marketplace import create_app
from marketplace.cli_jobs import jobs_ping_command
from tests.workers import running_worker

ANSWER_WITHIN = "60"  # seconds; generous for a cold worker on a busy CI machine, not a speed check


@pytest.fixture
def worker_env(tmp_path, monkeypatch):
    """Environment shared by this test's app and its worker: the embedded SQLite stores by default."""
    instance = tmp_path / "instance"
    env = {
        "MARKETPLACE_INSTANCE_PATH": str(instance),
        "SECRET_KEY": "worker-test-secret-0123456789abcdefghijklmnop",  # production shape on PostgreSQL: no weak key
        "AUDIT_CREATE_KEY": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite'}",
        "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
        "CELERY_RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.sqlite'}",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def _ping(timeout: str):
    app = create_app({"TESTING": True})
    return app.test_cli_runner().invoke(jobs_ping_command, ["--timeout", timeout])


def _assert_pong(result, log_path: Path) -> None:
    assert result.exit_code == 0, f"{result.output}\n--- worker log ---\n{log_path.read_text()[-3000:]}"
    assert "'pong'" in result.output


def test_worker_answers_over_embedded_sqlite_broker(worker_env, tmp_path):
    log_path = tmp_path / "worker.log"
    with running_worker(log_path):
        result = _ping(ANSWER_WITHIN)
    _assert_pong(result, log_path)
    broker = tmp_path / "broker.sqlite"
    assert _journal_mode(broker) == "wal"


def test_ping_without_worker_fails_with_clear_message(worker_env):
    result = _ping("1")
    assert result.exit_code != 0
    assert "No worker answered" in result.output
    assert "celery -A jobs.worker worker" in result.output


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="set TEST_REDIS_URL to test the Redis broker")
def test_worker_answers_over_redis(worker_env, tmp_path, monkeypatch):
    """Production shape: Redis broker and results, PostgreSQL app database when TEST_DATABASE_URL is set."""
    import redis

    url = os.environ["TEST_REDIS_URL"]
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        pytest.fail(f"TEST_REDIS_URL={url} is set but Redis does not answer: {exc}")
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", url)
    if os.environ.get("TEST_DATABASE_URL"):
        monkeypatch.setenv("DATABASE_URL", os.environ["TEST_DATABASE_URL"])

    log_path = tmp_path / "worker.log"
    with running_worker(log_path):
        result = _ping(ANSWER_WITHIN)
    _assert_pong(result, log_path)


def _journal_mode(path: Path) -> str:
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
