"""Long-running jobs: queue a run, record its progress as it goes, and keep its outcome visible."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import JobKind, JobRun, JobStatus, User
from marketplace.queue import enqueue

# Task names of the jobs, by kind; each task takes the run id first.
TASKS = {
    JobKind.IMPORT_EMPLOYEES: "marketplace.import_employees",
    JobKind.REEMBED: "marketplace.reembed",
}

WAITING_FOR_BROKER = "Waiting for the task broker; the job starts once it is reachable."


def queue_job(kind: JobKind, label: str, *, user: User | None = None, params: dict | None = None) -> JobRun:
    """Record a new run and send it to the workers; the run is kept even when the broker is down."""
    run = JobRun(kind=kind.value, label=label[:300], params=params or {}, created_by=user)
    db.session.add(run)
    db.session.commit()  # the worker must find the row when the task arrives
    send(run)
    return run


def send(run: JobRun) -> bool:
    """Queue the task of ``run`` (again); False, with a note on the run, if the broker is unreachable."""
    task_id = enqueue(TASKS[JobKind(run.kind)], run.id)
    run.task_id = task_id
    run.message = None if task_id else WAITING_FOR_BROKER
    db.session.commit()
    return task_id is not None


def begin(run: JobRun, *, stage: str, total: int | None = None) -> None:
    """Mark ``run`` as running (again, after a crash or retry); the caller commits."""
    now = utcnow()
    run.status = JobStatus.RUNNING.value
    run.started_at = run.started_at or now
    run.heartbeat_at = now
    run.attempts += 1
    run.stage = stage
    run.message = None
    if total is not None:
        run.total = total


def advance(run: JobRun, *, processed: int, rejected: int | None = None, stage: str | None = None,
            total: int | None = None) -> None:
    """Record progress; written with the work it describes, so a resumed run starts where this left off."""
    run.processed = processed
    if rejected is not None:
        run.rejected = rejected
    if stage is not None:
        run.stage = stage
    if total is not None:
        run.total = total
    run.heartbeat_at = utcnow()


def succeed(run: JobRun, message: str, result: dict | None = None) -> None:
    """Finish ``run`` with its outcome in words and in counts; the caller commits."""
    run.status = JobStatus.SUCCEEDED.value
    run.message = message
    run.result = result
    run.stage = None
    run.finished_at = run.heartbeat_at = utcnow()


def fail(run_id: int, message: str) -> None:
    """Mark a run failed with ``message``, in a transaction of its own (the job's may have rolled back)."""
    db.session.rollback()
    run = db.session.get(JobRun, run_id)
    if run is None:
        return
    run.status = JobStatus.FAILED.value
    run.message = message[:2000]
    run.finished_at = run.heartbeat_at = utcnow()
    db.session.commit()


def get_run(run_id: int) -> JobRun | None:
    return db.session.get(JobRun, run_id)


def run_page(page: int, per_page: int, kind: JobKind | None = None) -> Pagination:
    """Runs, newest first."""
    query = sa.select(JobRun).order_by(JobRun.created_at.desc(), JobRun.id.desc())
    if kind is not None:
        query = query.where(JobRun.kind == kind.value)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def unfinished_runs() -> list[JobRun]:
    """Runs queued or running, oldest first."""
    query = sa.select(JobRun).where(JobRun.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]))
    return list(db.session.scalars(query.order_by(JobRun.id)))


def failed_runs(since: dt.datetime) -> list[JobRun]:
    """Runs that failed since ``since``, newest first."""
    query = sa.select(JobRun).where(JobRun.status == JobStatus.FAILED.value, JobRun.finished_at >= since)
    return list(db.session.scalars(query.order_by(JobRun.id.desc())))


def progress(run: JobRun) -> dict:
    """The run's progress as plain data, for the page that polls it and for the CLI."""
    return {
        "id": run.id,
        "kind": run.kind,
        "status": run.status,
        "stage": run.stage,
        "total": run.total,
        "processed": run.processed,
        "rejected": run.rejected,
        "percent": run.percent,
        "message": run.message,
        "result": run.result,
        "finished": run.is_finished,
    }
