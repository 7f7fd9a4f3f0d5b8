"""Background embedding with real worker processes: an edit shows in rankings within seconds, and
work is never lost through a broker outage or a worker killed mid-task.

Each test starts `celery -A jobs.worker worker` on the test's database and broker (``tests.workers``).
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa

from marketplace.config import from_environment
from marketplace.extensions import db
from marketplace.models import Employee, JobRun, Role, TextEmbedding
from marketplace.queue import enqueue
from marketplace.services import embedding, vectors
from matching import HashingEncoder
from matching.scoring import texts_for
from tests import factories as f
from tests.test_profile import profile_form, skill_row
from tests.workers import STALE_AFTER_SECONDS, kill, running_worker, stores, use_broker, wait_until  # noqa: F401  (fixture)

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


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
        wait_until(lambda: not _stale(person_id), "the worker embedded the edit", stores.log("worker"),
                    timeout=15)
    app.extensions["encoder"] = ModelMustNotRun()
    assert _titles_in_order(_recommendations(client), "Platform engineer", "Finance analyst")


def test_an_edit_made_while_the_broker_is_down_is_embedded_once_it_is_back(app, client, stores):
    account = f.user(Role.EMPLOYEE)
    person_id = account.employee.id
    account.employee.embedding_stale_since = None
    db.session.commit()
    f.login(client, account)

    use_broker(app, CLOSED_PORT_BROKER)
    response = client.post("/profile", data=profile_form(summary="Runs Kubernetes clusters for the tax service."))
    assert response.status_code == 302  # the employee's edit is saved all the same
    assert client.get("/profile").status_code == 200
    assert _stale(person_id) and _missing_vectors(person_id) > 0

    use_broker(app, stores.broker_url)  # the broker is back
    with running_worker(stores.log("worker")):
        assert enqueue("marketplace.embed_stale") is not None  # as beat sends it every minute
        wait_until(lambda: not _stale(person_id), "the sweep embedded the stale profile", stores.log("worker"))
    assert _missing_vectors(person_id) == 0


@pytest.mark.parametrize("broker_url", [CLOSED_PORT_BROKER, "amqp://guest:guest@127.0.0.1:1//"])
def test_a_write_does_not_wait_for_a_broker_that_is_down(app, client, broker_url, monkeypatch):
    """Production shape, broker and result store both down: the edit is saved, the sweep embeds it later."""
    account = f.user(Role.EMPLOYEE)
    person_id = account.employee.id
    account.employee.embedding_stale_since = None
    db.session.commit()
    f.login(client, account)
    monkeypatch.setenv("CELERY_BROKER_URL", broker_url)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", "redis://127.0.0.1:1/1")
    app.config["CELERY"] = from_environment(app.instance_path)["CELERY"]
    app.extensions.pop("celery", None)

    started = time.monotonic()
    response = client.post("/profile", data=profile_form(summary="Runs Kubernetes clusters."))
    waited = time.monotonic() - started
    assert response.status_code == 302
    assert waited < 2.5, f"saving a profile waited {waited:.1f} s for the broker"  # a bound, not a benchmark
    assert _stale(person_id)  # left for the sweep


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
        wait_until(lambda: _run(run_id).processed > 0, "the first worker stored some vectors", stores.log("first"))
        kill(worker)  # mid-task
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
        wait_until(lambda: _run(run_id).is_finished, "the second worker finished the run", stores.log("second"))

    run = _run(run_id)
    assert run.status == "succeeded", run.message
    assert run.attempts == 2 and run.processed == run.total == texts
    assert run.result["embedded"] == texts  # over both attempts, each text was embedded once
    assert db.session.scalar(sa.select(sa.func.count(TextEmbedding.id))) == texts
