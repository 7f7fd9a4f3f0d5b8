"""Long-running background jobs (imports, full re-embedding) and the progress people watch."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.enums import JobKind, JobStatus, check_in


class JobRun(db.Model):
    """One run of a long job: who started it, how far it got, and how it ended.

    The row is written by the worker as it goes, in its own short transactions, so the
    talent team's page and the CLI can show progress while the job runs and the outcome after.
    """

    __tablename__ = "job_runs"
    __table_args__ = (
        sa.CheckConstraint(check_in("kind", JobKind), name="kind"),
        sa.CheckConstraint(check_in("status", JobStatus), name="status"),
        sa.CheckConstraint("processed >= 0 AND rejected >= 0", name="counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=JobStatus.QUEUED.value, index=True)
    label: Mapped[str] = mapped_column(sa.String(300))  # what the job works on, e.g. the file name
    total: Mapped[int | None]  # items to process, once known
    processed: Mapped[int] = mapped_column(default=0)  # items done so far, rejected ones included
    rejected: Mapped[int] = mapped_column(default=0)  # items refused with a reason
    stage: Mapped[str | None] = mapped_column(sa.String(100))  # e.g. "Loading rows", "Embedding"
    message: Mapped[str | None] = mapped_column(sa.Text)  # the outcome in words, or the error
    result: Mapped[dict | None] = mapped_column(sa.JSON)  # counts of the outcome, by name
    params: Mapped[dict | None] = mapped_column(sa.JSON)  # what the job needs to resume
    task_id: Mapped[str | None] = mapped_column(sa.String(200))
    attempts: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[dt.datetime | None]
    heartbeat_at: Mapped[dt.datetime | None]  # last progress write; old while running = stuck
    finished_at: Mapped[dt.datetime | None]

    created_by = relationship("User")

    @property
    def percent(self) -> int | None:
        """Share of the work done, 0-100, or None while the total is unknown."""
        if not self.total:
            return None if self.total is None else 100
        return min(100, round(100 * self.processed / self.total))

    @property
    def kind_label(self) -> str:
        return JobKind(self.kind).label

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
