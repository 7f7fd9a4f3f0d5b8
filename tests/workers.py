"""Real worker processes for fault tests: start `celery -A jobs.worker worker`, share the test's stores, wait.

The ``stores`` fixture points this test's app and the workers it starts at the same database and
broker: SQLite with the embedded SQLite broker, and PostgreSQL with Redis when TEST_DATABASE_URL
and TEST_REDIS_URL are set (CI), where an unreachable Redis fails the test rather than skipping it.
Workers embed with the model-free test encoder (EMBEDDING_MODEL=hashing), which gives the same
vectors as the ``HashingEncoder`` the test process uses.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from marketplace.extensions import db
from matching import HashingEncoder

ROOT = Path(__file__).resolve().parents[1]
STALE_AFTER_SECONDS = 2  # a killed worker's run is presumed dead this soon (minutes in production)
WITHIN = 40.0  # seconds to wait for a worker; generous for a busy CI machine, not a speed check


@contextlib.contextmanager
def running_worker(log_path: Path):
    """Start `celery -A jobs.worker worker` in its own process group; stop the whole group afterwards."""
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "jobs.worker", "worker", "--pool=solo",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
            cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        yield proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """Stop a process group started with start_new_session: TERM, then KILL after a grace period."""
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def kill(proc: subprocess.Popen) -> None:
    """The machine dies mid-task: the whole worker, without a chance to clean up."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


@dataclass
class Stores:
    """Where the worker and this process meet: the broker URL, and the worker's log."""

    broker_url: str
    log_dir: Path

    def log(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"


@pytest.fixture
def stores(app, database_url, tmp_path, monkeypatch) -> Stores:
    """Point this app and the workers it starts at the same database and broker."""
    broker_url = f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"
    redis_url = os.environ.get("TEST_REDIS_URL")
    if redis_url and database_url.startswith("postgresql"):
        broker_url = redis_url
        _flush_redis(redis_url)  # a killed worker's unacknowledged task must not reach a later test
    for name, value in {
        "MARKETPLACE_INSTANCE_PATH": str(tmp_path / "worker-instance"),
        "SECRET_KEY": "worker-test-secret-0123456789abcdefghijklmnop",  # production shape on PostgreSQL: no weak key
        "AUDIT_CREATE_KEY": "1",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.sqlite'}",
        "EMBEDDING_MODEL": "hashing",
        "JOB_STALE_AFTER_SECONDS": str(STALE_AFTER_SECONDS),
        "EMBED_CHUNK": "20",  # many small commits: a wide window to kill the worker mid-run
    }.items():
        monkeypatch.setenv(name, value)
    use_broker(app, broker_url)
    app.config["JOB_STALE_AFTER_SECONDS"] = STALE_AFTER_SECONDS
    app.extensions["encoder"] = HashingEncoder()  # what EMBEDDING_MODEL=hashing gives the worker
    yield Stores(broker_url, tmp_path)
    if broker_url == redis_url:
        _flush_redis(redis_url)


def _flush_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).flushdb()
    except redis.RedisError as exc:
        pytest.fail(f"TEST_REDIS_URL={url} is set but Redis does not answer: {exc}")


def use_broker(app, broker_url: str) -> None:
    """Send this app's tasks to ``broker_url`` from now on."""
    app.config["CELERY"] = {"broker_url": broker_url, "task_ignore_result": True, "broker_connection_timeout": 3}
    app.extensions.pop("celery", None)  # queue.enqueue builds it again from the config


def wait_until(check: Callable[[], bool], what: str, log: Path, timeout: float = WITHIN) -> None:
    """Poll ``check`` on fresh snapshots until it holds; fail with the worker's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()  # a fresh snapshot: see what the worker committed
        if check():
            return
        time.sleep(0.05)
    pytest.fail(f"Timed out after {timeout:g} s waiting until {what}.\n--- worker log ---\n{log.read_text()[-4000:]}")
