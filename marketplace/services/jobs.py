"""Long-running jobs: queue a run, record its progress as it goes, and keep its outcome visible."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import JobKind, JobRun, JobStatus, User
from marketplace.queue import enqueue

# Task names of the jobs, by kind; each task takes the run id first.
TASKS = {
    JobKind.IMPORT_EMPLOYEES: "marketplace.import_employees",
    JobKind.REEMBED: "marketplace.reembed",
}
# Kinds whose task claims its run (see `claim`), so a run lost with its worker may safely be sent again.
RESUMABLE = (JobKind.IMPORT_EMPLOYEES, JobKind.REEMBED)

WAITING_FOR_BROKER = "Waiting for the task broker; the job starts once it is reachable."
MAX_ATTEMPTS = 5  # claims of one run (retries and re-sends after crashes) before it is given up


class LostClaim(Exception):
    """Another worker has taken over this run (ours was presumed dead); stop without writing."""


def queue_job(kind: JobKind, label: str, *, user: User | None = None, params: dict | None = None,
              send_now: bool = True) -> JobRun:
    """Record a new run and send it to the workers; the run is kept even when the broker is down.

    ``send_now=False`` records a run that this process will claim and run itself (`--here` in the CLI).
    """
    run = JobRun(kind=kind.value, label=label[:300], params=params or {}, created_by=user)
    db.session.add(run)
    db.session.commit()  # the worker must find the row when the task arrives
    if send_now:
        send(run)
    return run


def send(run: JobRun) -> bool:
    """Queue the task of ``run`` (again); False, with a note on the run, if the broker is unreachable."""
    task_id = enqueue(TASKS[JobKind(run.kind)], run.id)
    run.task_id = task_id
    if run.status == JobStatus.QUEUED:
        run.heartbeat_at = utcnow()  # when it was last sent: a queued run never picked up is sent again
    run.message = None if task_id else WAITING_FOR_BROKER
    db.session.commit()
    return task_id is not None


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


def claim(run_id: int, *, stage: str, stale_after: dt.timedelta) -> JobRun | None:
    """Start or resume ``run_id`` unless it is finished or another worker is on it; None if not ours.

    One conditional UPDATE decides, so two workers handed the same run (a redelivered task, a re-send
    after a crash) never both work on it. The claimed run's ``attempts`` is the fencing token that
    :func:`checkpoint` checks: a worker presumed dead that wakes up cannot overwrite its successor.
    """
    now = utcnow()
    free = sa.or_(
        JobRun.status == JobStatus.QUEUED.value,
        sa.and_(
            JobRun.status == JobStatus.RUNNING.value,
            sa.or_(JobRun.heartbeat_at.is_(None), JobRun.heartbeat_at < now - stale_after),
        ),
    )
    claimed = db.session.execute(
        sa.update(JobRun)
        .where(JobRun.id == run_id, free, JobRun.attempts < MAX_ATTEMPTS)
        .values(status=JobStatus.RUNNING.value, attempts=JobRun.attempts + 1, heartbeat_at=now, stage=stage,
                started_at=sa.func.coalesce(JobRun.started_at, now), message=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    run = db.session.get(JobRun, run_id, populate_existing=True)
    if claimed == 1:
        return run
    if run is not None and not run.is_finished and run.attempts >= MAX_ATTEMPTS and run.heartbeat_at is None:
        fail(run_id, f"Gave up after {run.attempts} attempts. {run.message or ''}".strip())
    return None


def checkpoint(run: JobRun, **values) -> None:
    """Write progress (or the outcome) of a claimed run in the caller's transaction; the caller commits.

    Raises :class:`LostClaim`, after rolling back, when another worker has claimed the run since.
    """
    values.setdefault("heartbeat_at", utcnow())
    written = db.session.execute(
        sa.update(JobRun)
        .where(JobRun.id == run.id, JobRun.attempts == run.attempts, JobRun.status == JobStatus.RUNNING.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if written != 1:
        db.session.rollback()
        raise LostClaim(f"Job #{run.id} was taken over by another worker.")
    for name, value in values.items():
        set_committed_value(run, name, value)


def release(run: JobRun, error: str) -> None:
    """Give a claimed run back after an error, so its retry (or the sweep's re-send) may claim it at once."""
    db.session.rollback()
    try:
        checkpoint(run, heartbeat_at=None, message=f"Attempt {run.attempts} failed: {error}"[:2000])
        db.session.commit()
    except LostClaim:
        pass


def resend_stuck(kinds: tuple[JobKind, ...], *, stale_after: dt.timedelta) -> list[int]:
    """Send again the runs of ``kinds`` that nobody is working on: never sent, lost, or whose worker died.

    Only for kinds whose task claims its run (:func:`claim`), so that a run still in hand is never run twice.
    """
    cutoff = utcnow() - stale_after
    stuck = db.session.scalars(
        sa.select(JobRun).where(
            JobRun.kind.in_([k.value for k in kinds]),
            sa.or_(
                sa.and_(JobRun.status == JobStatus.QUEUED.value, JobRun.task_id.is_(None)),
                sa.and_(
                    JobRun.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
                    sa.or_(JobRun.heartbeat_at.is_(None), JobRun.heartbeat_at < cutoff),
                ),
            ),
        ).order_by(JobRun.id)
    ).all()
    for run in stuck:
        if run.status == JobStatus.RUNNING:
            run.heartbeat_at = None  # presumed dead: free for the next claim
        send(run)
    return [run.id for run in stuck]


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
