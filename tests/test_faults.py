"""Background embedding with real worker processes: an edit shows in rankings within seconds, and
work is never lost through a broker outage or a worker killed mid-task.

Each test starts `celery -A jobs.worker worker` on the test's database: SQLite with the embedded
SQLite broker, and PostgreSQL with Redis when TEST_DATABASE_URL and TEST_REDIS_URL are set (CI).
The worker embeds with the model-free test encoder (EMBEDDING_MODEL=hashing), which gives the
same vectors as the ``HashingEncoder`` this process uses.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Employee, JobRun, Role, TextEmbedding
from marketplace.queue import enqueue
from marketplace.services import embedding, vectors
from matching import HashingEncoder
from matching.scoring import texts_for
from tests import factories as f
from tests.test_profile import profile_form, skill_row
from tests.test_worker import running_worker

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"
STALE_AFTER_SECONDS = 2  # a killed worker's run is presumed dead this soon (minutes in production)
WITHIN = 40.0  # seconds to wait for a worker; generous for a busy CI machine, not a speed check


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
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.sqlite'}",
        "EMBEDDING_MODEL": "hashing",
        "JOB_STALE_AFTER_SECONDS": str(STALE_AFTER_SECONDS),
        "EMBED_CHUNK": "20",  # many small commits: a wide window to kill the worker mid-run
    }.items():
        monkeypatch.setenv(name, value)
    _use_broker(app, broker_url)
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


def _use_broker(app, broker_url: str) -> None:
    app.config["CELERY"] = {"broker_url": broker_url, "task_ignore_result": True, "broker_connection_timeout": 3}
    app.extensions.pop("celery", None)  # queue.enqueue builds it again from the config


def _wait_until(check: Callable[[], bool], what: str, log: Path, timeout: float = WITHIN) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()  # a fresh snapshot: see what the worker committed
        if check():
            return
        time.sleep(0.05)
    pytest.fail(f"Timed out after {timeout:g} s waiting until {what}.\n--- worker log ---\n{log.read_text()[-4000:]}")


def _stale(person_id: int) -> bool:
    return db.session.scalar(sa.select(Employee.embedding_stale_since).where(Employee.id == person_id)) is not None


def _missing_vectors(person_id: int) -> int:
    person = db.session.scalar(embedding.employees_query().where(Employee.id == person_id))
    texts = texts_for(embedding.person_profile(person))
    return len(texts) - len(vectors.stored_keys(HashingEncoder.model_id, texts))


class ModelMustNotRun(HashingEncoder):
    """The web process's encoder when every vector should already be stored by the worker."""

    def encode(self, texts):
        raise AssertionError(f"The web request had to embed {list(texts)!r} itself.")


def _recommendations(client) -> str:
    """The employee's recommendations page, every secondment shown (eligibility is not the point here)."""
    return client.get("/recommendations?show=all").get_data(as_text=True)


def _titles_in_order(page: str, *titles: str) -> bool:
    positions = [page.find(title) for title in titles]
    return -1 not in positions and positions == sorted(positions)


def test_a_profile_edit_shows_in_recommendations_within_seconds(app, client, stores):
    kubernetes, accounting = f.skill("Kubernetes"), f.skill("Accounting")
    host = f.employee(dept=f.department("Technology"))
    f.opportunity(host, required={kubernetes: 3}, title="Platform engineer", description="Run our Kubernetes clusters.")
    f.opportunity(host, required={accounting: 3}, title="Finance analyst", description="Close the monthly accounts.")
    account = f.user(Role.EMPLOYEE)
    person_id = account.employee_id
    db.session.commit()
    embedding.embed_stale()  # everything is embedded before the edit
    f.login(client, account)
    form = profile_form(summary="Prepares the monthly accounts.", available_from="", available_until="")
    assert client.post("/profile", data=form | skill_row("skills", 0, accounting, level="4")).status_code == 302
    embedding.embed_stale()
    assert _titles_in_order(_recommendations(client), "Finance analyst", "Platform engineer")

    with running_worker(stores.log("worker")):
        form = profile_form(summary="Runs Kubernetes clusters.", available_from="", available_until="")
        assert client.post("/profile", data=form | skill_row("skills", 0, kubernetes, level="4")).status_code == 302
        _wait_until(lambda: not _stale(person_id), "the worker embedded the edit", stores.log("worker"),
                    timeout=15)
    app.extensions["encoder"] = ModelMustNotRun()
    assert _titles_in_order(_recommendations(client), "Platform engineer", "Finance analyst")


def test_an_edit_made_while_the_broker_is_down_is_embedded_once_it_is_back(app, client, stores):
    account = f.user(Role.EMPLOYEE)
    person_id = account.employee.id
    account.employee.embedding_stale_since = None
    db.session.commit()
    f.login(client, account)

    _use_broker(app, CLOSED_PORT_BROKER)
    response = client.post("/profile", data=profile_form(summary="Runs Kubernetes clusters for the tax service."))
    assert response.status_code == 302  # the employee's edit is saved all the same
    assert client.get("/profile").status_code == 200
    assert _stale(person_id) and _missing_vectors(person_id) > 0

    _use_broker(app, stores.broker_url)  # the broker is back
    with running_worker(stores.log("worker")):
        assert enqueue("marketplace.embed_stale") is not None  # as beat sends it every minute
        _wait_until(lambda: not _stale(person_id), "the sweep embedded the stale profile", stores.log("worker"))
    assert _missing_vectors(person_id) == 0


def _many_people(count: int) -> None:
    """``count`` employees, each with two texts of their own, whose vectors are not stored yet."""
    department = f.department()
    db.session.execute(
        sa.insert(Employee),
        [
            {"employee_number": f"K{i:05d}", "name": f"Person {i}", "email": f"k{i}@example.com",
             "job_title": f"Engineer grade {i}", "summary": f"Led migration number {i}.", "department_id": department.id,
             "location": "Leeds", "grade": "G7", "start_date": dt.date(2020, 1, 1)}
            for i in range(count)
        ],
    )
    # embedded under the old model already: only the model change makes their texts missing
    db.session.execute(sa.update(Employee).values(embedding_stale_since=None))
    db.session.commit()


def _run(run_id: int) -> JobRun:
    return db.session.get(JobRun, run_id, populate_existing=True)


def test_a_worker_killed_mid_run_loses_nothing_and_embeds_each_text_once(app, stores):
    _many_people(2500)
    texts = len(embedding.texts_to_embed())
    run_id = embedding.queue_reembed().id  # a new model: every text to embed again

    with running_worker(stores.log("first")) as worker:
        _wait_until(lambda: _run(run_id).processed > 0, "the first worker stored some vectors", stores.log("first"))
        os.killpg(worker.pid, signal.SIGKILL)  # the whole worker, mid-task, without a chance to clean up
        worker.wait(10)
    db.session.rollback()
    killed = _run(run_id)
    assert killed.status == "running" and 0 < killed.processed < texts, (
        f"The run was {killed.status} at {killed.processed}/{texts} when its worker died; give it more texts."
    )
    stored_when_killed = db.session.scalar(sa.select(sa.func.count(TextEmbedding.id)))
    assert stored_when_killed >= killed.processed  # progress is committed with the vectors it counts

    time.sleep(STALE_AFTER_SECONDS + 0.5)  # the dead worker's run now looks crashed
    with running_worker(stores.log("second")):
        assert enqueue("marketplace.embed_stale") is not None  # beat's sweep re-sends the crashed run
        _wait_until(lambda: _run(run_id).is_finished, "the second worker finished the run", stores.log("second"))

    run = _run(run_id)
    assert run.status == "succeeded", run.message
    assert run.attempts == 2 and run.processed == run.total == texts
    assert run.result["embedded"] == texts  # over both attempts, each text was embedded once
    assert db.session.scalar(sa.select(sa.func.count(TextEmbedding.id))) == texts
