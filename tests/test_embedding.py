"""Embedding ahead of time: edits mark rows stale and queue them, the sweep catches up, re-embedding resumes."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace.clock import utcnow
from marketplace.cli import reembed_command
from marketplace.cli_jobs import jobs_status_command
from marketplace.config import from_environment
from marketplace.extensions import db
from marketplace.models import Employee, JobKind, JobRun, Opportunity, Role, TextEmbedding
from marketplace.services import embedding, hosting, jobs
from matching import HashingEncoder
from tests import factories as f
from tests.test_profile import profile_form

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: the broker is "down"


class FakeModel(HashingEncoder):
    """The hashing encoder under a chosen model id, counting texts and failing on request."""

    def __init__(self, model_id: str = "fake-model", fail_after: int | None = None):
        super().__init__(dimension=32)
        self.model_id = model_id
        self.calls = 0
        self.fail_after = fail_after

    def encode(self, texts):
        if self.fail_after is not None and self.calls + len(texts) > self.fail_after:
            raise RuntimeError("the model ran out of memory")
        self.calls += len(texts)
        return super().encode(texts)


@pytest.fixture
def model(app):
    fake = FakeModel()
    app.extensions["encoder"] = fake
    return fake


@pytest.fixture
def sent(monkeypatch):
    """Tasks queued by name, instead of going to the in-memory broker."""
    calls: list[tuple] = []

    def record(name, *args, **kwargs):
        calls.append((name, *args))
        return f"task-{len(calls)}"

    monkeypatch.setattr(embedding, "enqueue", record)
    monkeypatch.setattr(jobs, "enqueue", record)
    return calls


def _stored(model_id: str = "fake-model") -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(TextEmbedding.model_id == model_id))


def _people(count: int, *, stale: bool = False) -> list[Employee]:
    dept = f.department()
    people = [f.employee(dept=dept, job_title=f"Role {i}", summary=f"Worked on project {i}.") for i in range(count)]
    for person in people:
        person.embedding_stale_since = utcnow() if stale else None
    db.session.commit()
    return people


# ------------------------------------------------------------------ one row at a time


def test_a_profile_edit_marks_it_stale_and_queues_it_and_the_task_clears_it(client, model, sent):
    account = f.user(Role.EMPLOYEE)
    person = account.employee
    person.embedding_stale_since = None
    db.session.commit()
    f.login(client, account)
    assert client.post("/profile", data=profile_form(summary="Builds Kubernetes platforms.")).status_code == 302
    assert sent == [("marketplace.embed_employee", person.id)]
    db.session.refresh(person)
    assert person.embedding_stale_since is not None

    from jobs.embedding import embed_employee

    assert embed_employee.run(person.id) > 0
    db.session.refresh(person)
    assert person.embedding_stale_since is None
    calls = model.calls
    assert embed_employee.run(person.id) == 0 and model.calls == calls  # idempotent: nothing embedded twice


def test_a_profile_edit_succeeds_with_the_broker_down_and_leaves_the_row_stale(app, client, model):
    app.config["CELERY"] = {"broker_url": CLOSED_PORT_BROKER, "broker_connection_timeout": 2}
    app.extensions.pop("celery", None)
    account = f.user(Role.EMPLOYEE)
    person = account.employee
    person.embedding_stale_since = None
    db.session.commit()
    f.login(client, account)
    response = client.post("/profile", data=profile_form(summary="Edited while the broker was down."))
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.summary == "Edited while the broker was down."
    assert person.embedding_stale_since is not None


def test_publishing_or_editing_a_secondment_queues_its_embedding(model, sent):
    host = f.employee()
    draft = f.opportunity(host, required={f.skill("Python"): 2}, status="draft")
    draft.embedding_stale_since = None
    db.session.commit()
    hosting.publish_opportunity(draft)
    assert sent == [("marketplace.embed_opportunity", draft.id)]
    db.session.refresh(draft)
    assert draft.embedding_stale_since is not None and draft.status == "open"

    assert embedding.embed_opportunity(draft.id) > 0
    db.session.refresh(draft)
    assert draft.embedding_stale_since is None


def test_an_edit_made_while_embedding_keeps_the_row_stale(model, monkeypatch):
    person = _people(1, stale=True)[0]
    embed = embedding.embed_texts

    def edited_meanwhile(texts, **kwargs):
        db.session.execute(
            sa.update(Employee).where(Employee.id == person.id).values(embedding_stale_since=utcnow() + dt.timedelta(seconds=1))
        )
        return embed(texts, **kwargs)

    monkeypatch.setattr(embedding, "embed_texts", edited_meanwhile)
    embedding.embed_employee(person.id)
    assert db.session.scalar(sa.select(Employee.embedding_stale_since).where(Employee.id == person.id)) is not None


def test_new_employees_and_secondments_start_stale(app):
    person = f.employee()
    opportunity = f.opportunity(person)
    assert person.embedding_stale_since is not None and opportunity.embedding_stale_since is not None


# ------------------------------------------------------------------ the sweep


def test_the_sweep_embeds_every_stale_row_in_chunks_then_has_nothing_to_do(model, sent):
    people = _people(5, stale=True)
    fresh = _people(1)[0]
    opportunity = f.opportunity(fresh, required={f.skill("Go"): 2})
    db.session.commit()
    done = embedding.embed_stale(chunk=2)
    assert done["rows"] == 6  # five stale people and the new secondment (new rows start stale)
    assert db.session.scalar(sa.select(sa.func.count()).where(Employee.embedding_stale_since.is_not(None))) == 0
    assert db.session.get(Opportunity, opportunity.id).embedding_stale_since is None
    assert _stored() > len(people)
    calls = model.calls
    assert embedding.embed_stale()["rows"] == 0 and model.calls == calls


def test_flask_embed_stores_every_vector_and_leaves_nothing_waiting(app, model):
    _people(3, stale=True)
    result = app.test_cli_runner().invoke(args=["embed"])
    assert result.exit_code == 0, result.output
    assert "3 profiles and secondments are up to date." in result.output
    assert embedding.stale_counts()["employees"] == 0 and _stored() > 0


def test_a_sweep_with_a_spent_time_budget_leaves_the_backlog_to_the_next_one(model):
    _people(3, stale=True)
    assert embedding.embed_stale(budget_seconds=0) == {"rows": 0, "embedded": 0}
    assert embedding.embed_stale(budget_seconds=60)["rows"] == 3


def test_the_sweep_queues_one_full_run_per_model(app, model, sent):
    _people(3)
    first = embedding.sweep()["queued"]
    assert first is not None and sent == [("marketplace.reembed", first)]
    assert embedding.sweep()["queued"] is None  # one is waiting already
    assert embedding.reembed(first).status == "succeeded"
    assert embedding.sweep()["queued"] is None  # this model has embedded everything
    app.extensions["encoder"] = FakeModel("a-better-model")
    second = embedding.sweep()["queued"]
    assert second is not None and db.session.get(JobRun, second).params == {"model": "a-better-model"}


def test_the_sweep_resends_runs_nobody_is_working_on(app, model, sent):
    never_sent = JobRun(kind=JobKind.REEMBED.value, label="broker was down", task_id=None)
    crashed = JobRun(kind=JobKind.REEMBED.value, label="worker died", status="running", task_id="t",
                     heartbeat_at=utcnow() - dt.timedelta(hours=1))
    alive = JobRun(kind=JobKind.REEMBED.value, label="in hand", status="running", task_id="t", heartbeat_at=utcnow())
    db.session.add_all([never_sent, crashed, alive])
    db.session.commit()
    assert jobs.resend_stuck((JobKind.REEMBED,), stale_after=embedding.stale_after()) == [never_sent.id, crashed.id]
    assert [args for _, *args in sent] == [[never_sent.id], [crashed.id]]
    assert never_sent.task_id and crashed.heartbeat_at is None


# ------------------------------------------------------------------ re-embedding everything


def test_a_full_run_shows_progress_and_keeps_its_outcome(model):
    _people(6)
    run = embedding.queue_reembed(send_now=False)
    seen = []
    embedding.reembed(run.id, chunk=4, progress=lambda r: seen.append(r.processed))
    db.session.expire_all()
    run = db.session.get(JobRun, run.id)
    texts = len(embedding.texts_to_embed())
    assert run.status == "succeeded" and run.total == run.processed == texts
    assert seen == sorted(seen) and len(seen) > 2 and seen[-1] == texts
    assert run.result == {"model": "fake-model", "texts": texts, "embedded": texts, "already_stored": 0}
    assert f"{texts} texts under fake-model: {texts} embedded" in run.message


def test_a_failed_run_resumes_where_it_stopped_and_embeds_each_text_once(app, model):
    _people(10)
    texts = len(embedding.texts_to_embed())
    app.extensions["encoder"] = FakeModel(fail_after=8)
    run = embedding.queue_reembed(send_now=False)
    with pytest.raises(RuntimeError):
        embedding.reembed(run.id, chunk=4)
    db.session.expire_all()
    run = db.session.get(JobRun, run.id)
    assert run.status == "running" and run.heartbeat_at is None  # given back for the retry
    assert run.processed == 8 == _stored() and "ran out of memory" in run.message

    app.extensions["encoder"] = resumed = FakeModel()
    embedding.reembed(run.id, chunk=4)
    db.session.expire_all()
    run = db.session.get(JobRun, run.id)
    assert run.status == "succeeded" and run.attempts == 2
    assert resumed.calls == texts - 8  # the first attempt's vectors were kept
    assert run.result["embedded"] == texts == _stored()


def test_a_run_in_hand_elsewhere_is_not_run_twice(model):
    _people(2)
    run = embedding.queue_reembed(send_now=False)
    first = jobs.claim(run.id, stage="Embedding", stale_after=embedding.stale_after())
    assert embedding.reembed(run.id) is None and model.calls == 0  # a redelivered task: claimed, fresh
    db.session.execute(sa.update(JobRun).values(heartbeat_at=utcnow() - dt.timedelta(hours=1)))
    db.session.commit()
    assert embedding.reembed(run.id).status == "succeeded"  # the first worker is presumed dead
    with pytest.raises(jobs.LostClaim):  # ... and cannot write over its successor if it wakes up
        jobs.checkpoint(first, processed=1)


def test_a_run_that_keeps_failing_is_given_up_with_its_reason(app, model):
    _people(2)
    app.extensions["encoder"] = FakeModel(fail_after=0)
    run = embedding.queue_reembed(send_now=False)
    for _ in range(jobs.MAX_ATTEMPTS):
        with pytest.raises(RuntimeError):
            embedding.reembed(run.id)
    assert embedding.reembed(run.id) is None
    db.session.expire_all()
    run = db.session.get(JobRun, run.id)
    assert run.status == "failed" and run.message.startswith(f"Gave up after {jobs.MAX_ATTEMPTS} attempts.")
    assert "ran out of memory" in run.message


# ------------------------------------------------------------------ pages, commands and settings


def test_an_admin_starts_a_full_run_from_the_jobs_page_and_sees_its_progress(client, model, sent):
    _people(2, stale=True)
    admin = f.user(Role.ADMIN)
    db.session.commit()
    f.login(client, admin)
    page = client.get("/jobs/").get_data(as_text=True)
    assert "2 profiles and 0 secondments wait for their vectors" in " ".join(page.split())
    assert "Re-embed everything" in page
    response = client.post("/jobs/reembed")
    run = db.session.scalar(sa.select(JobRun))
    assert response.status_code == 302 and response.location.endswith(f"/jobs/{run.id}")
    assert run.created_by_id == admin.id and sent == [("marketplace.reembed", run.id)]
    assert "Re-embedding is queued" in client.get(response.location).get_data(as_text=True)
    again = client.post("/jobs/reembed", follow_redirects=True).get_data(as_text=True)
    assert "already under way" in again
    assert db.session.scalar(sa.select(sa.func.count(JobRun.id))) == 1


def test_the_talent_team_sees_waiting_rows_but_cannot_start_a_full_run(client, model):
    f.login(client, f.user(Role.TALENT))
    page = client.get("/jobs/").get_data(as_text=True)
    assert "Every profile and secondment is embedded." in page
    assert "Re-embed everything" not in page


def test_reembed_here_shows_a_progress_bar_and_the_outcome(runner, model):
    _people(3)
    result = runner.invoke(reembed_command, ["--here"])
    assert result.exit_code == 0, result.output
    texts = len(embedding.texts_to_embed())
    assert "Embedding texts" in result.output  # the bar itself draws only on a terminal
    assert f"{texts} texts under fake-model: {texts} embedded, 0 already stored." in result.output
    run = db.session.scalar(sa.select(JobRun))
    assert run.status == "succeeded" and run.processed == texts  # the jobs page shows it like any other run


def test_reembed_with_the_broker_down_keeps_the_run_and_says_what_to_do(app, runner, model):
    app.config["CELERY"] = {"broker_url": CLOSED_PORT_BROKER, "broker_connection_timeout": 2}
    _people(1)
    result = runner.invoke(reembed_command)
    assert result.exit_code != 0
    assert "Waiting for the task broker" in result.output and "flask reembed --here" in result.output
    run = db.session.scalar(sa.select(JobRun))
    assert run.status == "queued" and run.task_id is None  # the sweep sends it once the broker is back


def test_jobs_status_shows_waiting_rows_and_an_unreachable_broker(app, runner, model):
    app.config["CELERY"] = {"broker_url": CLOSED_PORT_BROKER, "broker_connection_timeout": 2}
    _people(2, stale=True)
    result = runner.invoke(jobs_status_command)
    assert result.exit_code == 0, result.output
    assert "Task broker unreachable at redis://127.0.0.1:1/0" in result.output
    assert "2 profiles and 0 secondments wait for their vectors (oldest since" in result.output


def test_celery_settings_never_lose_a_task(monkeypatch, tmp_path):
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("SECRET_KEY", "x")
    celery = from_environment(str(tmp_path))["CELERY"]
    assert celery["task_acks_late"] and celery["task_reject_on_worker_lost"]
    assert celery["worker_prefetch_multiplier"] == 1
    assert celery["broker_transport_options"]["visibility_timeout"] == 3600
    assert celery["beat_schedule"]["embed-stale"]["task"] == "marketplace.embed_stale"
    monkeypatch.setenv("CELERY_BROKER_URL", "sqla+sqlite:////tmp/broker.sqlite")
    # the SQLAlchemy transport hands its options to create_engine, which would refuse this one
    assert "broker_transport_options" not in from_environment(str(tmp_path))["CELERY"]
