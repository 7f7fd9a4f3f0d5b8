"""Embedding ahead of time, so that rankings rarely wait for the model, and no change is ever missed.

A profile or secondment whose texts change is marked stale in the same transaction and queued for
embedding; if the broker is down the mark stays, and the periodic sweep embeds every stale row once
it is back. A model change re-embeds everything as a resumable job run. Vectors live in the
``text_embeddings`` cache, keyed by model and text, so every step here is safe to repeat.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from flask import current_app

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import Employee, JobKind, JobRun, JobStatus, Opportunity, OpportunityStatus
from marketplace.queue import enqueue
from marketplace.services import jobs, vectors
from marketplace.services.matching import (
    employees_query,
    opportunities_in,
    opportunities_query,
    opportunity_profile,
    person_profile,
)
from matching.encoder import text_key
from matching.scoring import texts_for, texts_for_opportunity

STALE_ROWS_CHUNK = 200  # rows embedded and cleared per transaction by the sweep
RETRY_FAILED_FULL_RUN_AFTER = dt.timedelta(hours=6)


# ------------------------------------------------------------------ marking and queueing


def mark_stale(row: Employee | Opportunity) -> None:
    """Note that the texts of ``row`` changed; the caller commits it with the change."""
    row.embedding_stale_since = utcnow()


def queue_employee(employee_id: int) -> None:
    """Embed one employee's profile in the background; if no broker answers, the sweep does it later."""
    enqueue("marketplace.embed_employee", employee_id)


def opportunity_changed(opportunity: Opportunity) -> None:
    """Mark a created, edited or published secondment stale and queue its embedding; commits."""
    db.session.execute(
        sa.update(Opportunity)
        .where(Opportunity.id == opportunity.id)
        .values(embedding_stale_since=utcnow(), updated_at=Opportunity.updated_at)  # not an edit of the post
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    enqueue("marketplace.embed_opportunity", opportunity.id)


# ------------------------------------------------------------------ embedding rows


def texts_to_embed() -> list[str]:
    """Every text the rankings will need: all employees and all open or draft secondments."""
    texts: list[str] = []
    for employee in db.session.scalars(employees_query().order_by(Employee.id)):
        texts.extend(texts_for(person_profile(employee)))
    for opportunity in opportunities_in(OpportunityStatus.OPEN, OpportunityStatus.DRAFT):
        texts.extend(texts_for_opportunity(opportunity_profile(opportunity)))
    return list(dict.fromkeys(texts))


def embed_texts(texts: Sequence[str], *, batch: int = 512, progress: Callable[[int], None] | None = None) -> int:
    """Embed and store the texts not yet cached, in batches; returns how many were new."""
    new = 0
    for start in range(0, len(texts), batch):
        chunk = list(texts[start : start + batch])
        cached = vectors.cached_encoder(chunk)
        cached.encode(chunk)
        new += vectors.save(cached)
        if progress:
            progress(len(chunk))
    return new


def _texts_of(row: Employee | Opportunity) -> list[str]:
    if isinstance(row, Employee):
        return texts_for(person_profile(row))
    return texts_for_opportunity(opportunity_profile(row))


def _embed_rows(model: type[Employee] | type[Opportunity], rows: Sequence[Employee | Opportunity]) -> int:
    """Store the vectors of ``rows`` and clear their stale marks; returns how many vectors were new.

    A mark is cleared only if it is still the one read with the texts: a row edited meanwhile
    stays stale, and its own task or the next sweep embeds the newer texts.
    """
    marks = [{"row_id": row.id, "since": row.embedding_stale_since} for row in rows if row.embedding_stale_since]
    new = embed_texts(list(dict.fromkeys(t for row in rows for t in _texts_of(row))))
    if marks:
        table = model.__table__
        clear = (
            sa.update(table)
            .where(table.c.id == sa.bindparam("row_id"), table.c.embedding_stale_since == sa.bindparam("since"))
            .values(embedding_stale_since=None)
        )
        if model is Opportunity:
            clear = clear.values(updated_at=table.c.updated_at)  # storing vectors is not an edit of the post
        db.session.connection().execute(clear, marks)
        db.session.commit()
    return new


def embed_employee(employee_id: int) -> int:
    """Embed one employee's profile texts (after an edit); returns how many vectors were new."""
    employee = db.session.scalar(employees_query().where(Employee.id == employee_id))
    return 0 if employee is None else _embed_rows(Employee, [employee])


def embed_opportunity(opportunity_id: int) -> int:
    """Embed one secondment's texts (after it was created, edited or published); returns how many were new."""
    opportunity = db.session.scalar(opportunities_query().where(Opportunity.id == opportunity_id))
    return 0 if opportunity is None else _embed_rows(Opportunity, [opportunity])


def embed_stale(*, chunk: int = STALE_ROWS_CHUNK, budget_seconds: float | None = None) -> dict[str, int]:
    """Embed rows marked stale, ``chunk`` rows per transaction; returns rows done and new vectors.

    With ``budget_seconds`` it stops starting chunks after that long, so that a backlog (say after
    a large import) is worked off by successive sweeps instead of by several at once.
    """
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
    done = {"rows": 0, "embedded": 0}
    # secondments first: few, and each one appears in every employee's recommendations
    for model, query in ((Opportunity, opportunities_query), (Employee, employees_query)):
        last_id = 0
        while deadline is None or time.monotonic() < deadline:
            # keyset pages: a row edited again during the sweep is left for the next one
            rows = db.session.scalars(
                query().where(model.embedding_stale_since.is_not(None), model.id > last_id).order_by(model.id).limit(chunk)
            ).all()
            if not rows:
                break
            done["embedded"] += _embed_rows(model, rows)
            done["rows"] += len(rows)
            last_id = rows[-1].id  # committed rows are only weakly held by the session: memory stays bounded
    return done


def stale_counts() -> dict[str, int | dt.datetime | None]:
    """How many profiles and secondments wait for their vectors, and since when the oldest has."""
    counts: dict[str, int | dt.datetime | None] = {}
    oldest = []
    for name, model in (("employees", Employee), ("opportunities", Opportunity)):
        count, since = db.session.execute(
            sa.select(sa.func.count(model.id), sa.func.min(model.embedding_stale_since)).where(
                model.embedding_stale_since.is_not(None)
            )
        ).one()
        counts[name] = count
        if since is not None:
            oldest.append(since)
    counts["oldest"] = min(oldest, default=None)
    return counts


# ------------------------------------------------------------------ everything, after a model change


def stale_after() -> dt.timedelta:
    """How old a running job's last progress may be before it is taken to have crashed."""
    return dt.timedelta(seconds=current_app.config["JOB_STALE_AFTER_SECONDS"])


def unfinished_reembed() -> JobRun | None:
    """The re-embedding run queued or running, if any (there is never reason for two)."""
    return db.session.scalar(
        sa.select(JobRun)
        .where(JobRun.kind == JobKind.REEMBED.value, JobRun.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]))
        .order_by(JobRun.id)
        .limit(1)
    )


def queue_reembed(*, user=None, model_id: str | None = None, send_now: bool = True) -> JobRun:
    """Queue a run that embeds every text under the current model, or return the one already unfinished."""
    existing = unfinished_reembed()
    if existing is not None:
        return existing
    model_id = model_id or vectors.encoder().model_id
    return jobs.queue_job(JobKind.REEMBED, f"Every profile and secondment under {model_id}", user=user,
                          params={"model": model_id}, send_now=send_now)


def queue_reembed_if_model_changed() -> JobRun | None:
    """Queue a full run when the current model has never embedded everything (a new model, a new install).

    Nothing is queued while a run is unfinished, once one has succeeded for this model, or soon after
    one failed (someone should read why first).
    """
    model_id = vectors.encoder().model_id
    if db.session.scalar(sa.select(sa.func.count(Employee.id))) == 0:
        return None
    if unfinished_reembed() is not None:
        return None
    recent_failure = sa.and_(
        JobRun.status == JobStatus.FAILED.value, JobRun.finished_at > utcnow() - RETRY_FAILED_FULL_RUN_AFTER
    )
    done_for_model = sa.select(JobRun.id).where(
        JobRun.kind == JobKind.REEMBED.value,
        JobRun.params["model"].as_string() == model_id,
        sa.or_(JobRun.status == JobStatus.SUCCEEDED.value, recent_failure),
    )
    if db.session.scalar(done_for_model.limit(1)) is not None:
        return None
    return queue_reembed(model_id=model_id)


def reembed(run_id: int, *, chunk: int | None = None, progress: Callable[[JobRun], None] | None = None) -> JobRun | None:
    """Embed every text missing under the current model, committing vectors and progress per chunk.

    A run restarted after a crash resumes: texts already stored are counted as done and skipped.
    Returns the run, or None when it was finished or another worker has it.
    """
    run = jobs.claim(run_id, stage="Collecting texts", stale_after=stale_after())
    if run is None:
        return None
    try:
        _reembed(run, chunk or current_app.config["EMBED_CHUNK"], progress)
    except jobs.LostClaim:
        return None
    except Exception as exc:  # give the run back for the task's retry, then let Celery retry
        jobs.release(run, repr(exc))
        raise
    return run


def _reembed(run: JobRun, chunk: int, progress: Callable[[JobRun], None] | None) -> None:
    model_id = vectors.encoder().model_id
    texts = texts_to_embed()
    stored = vectors.stored_keys(model_id, texts)
    missing = [t for t in texts if text_key(model_id, t) not in stored]
    embedded = (run.result or {}).get("embedded", 0)  # by earlier attempts of this run
    done = len(texts) - len(missing)
    jobs.checkpoint(run, total=len(texts), processed=done, stage="Embedding",
                    result={"model": model_id, "embedded": embedded})
    db.session.commit()
    for start in range(0, len(missing), chunk):
        part = missing[start : start + chunk]
        cached = vectors.cached_encoder(part)  # texts stored meanwhile by a sweep are not embedded again
        cached.encode(part)
        embedded += len(cached.unsaved)
        done += len(part)
        jobs.checkpoint(run, processed=done, result={"model": model_id, "embedded": embedded})
        vectors.save(cached)  # one commit: these vectors and the progress that counts them
        db.session.commit()
        if progress:
            progress(run)
    outcome = {"model": model_id, "texts": len(texts), "embedded": embedded, "already_stored": len(texts) - embedded}
    now = utcnow()
    jobs.checkpoint(
        run, status=JobStatus.SUCCEEDED.value, stage=None, result=outcome, finished_at=now, heartbeat_at=now,
        message=f"{len(texts):,} texts under {model_id}: {embedded:,} embedded, {len(texts) - embedded:,} already stored.",
    )
    db.session.commit()
    if progress:
        progress(run)


def sweep() -> dict:
    """The periodic safety net: re-send runs lost with their worker, re-embed after a model change, embed stale rows."""
    resent = jobs.resend_stuck(jobs.RESUMABLE, stale_after=stale_after())
    queued = queue_reembed_if_model_changed()
    budget = 0.75 * current_app.config["EMBED_SWEEP_SECONDS"]  # done before beat sends the next sweep
    return {"resent": resent, "queued": queued.id if queued else None, **embed_stale(budget_seconds=budget)}
