"""Check-ins held while a secondment runs: progress against each objective and everyone's feedback.

A row exists once the host has recorded a check-in. Whether a scheduled one is due, overdue or no
longer due follows from the secondment's dates and frequency (services/check_ins.py), so it cannot
go stale when the dates change by an extension or an early end.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.enums import CheckInRating, ObjectiveStatus, check_in
from marketplace.models.secondment import Secondment


class CheckIn(db.Model):
    """One held check-in: recorded by the host, then the secondee's feedback and the home manager's note."""

    __tablename__ = "check_ins"
    __table_args__ = (
        sa.UniqueConstraint("secondment_id", "due_on"),
        sa.CheckConstraint(check_in("rating", CheckInRating), name="rating"),
        sa.CheckConstraint("(secondee_feedback IS NULL) = (secondee_feedback_at IS NULL)", name="feedback_dated"),
        sa.CheckConstraint("(home_manager_note IS NULL) = (home_manager_note_at IS NULL)", name="note_dated"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the unique (secondment_id, due_on) constraint is the index by secondment
    secondment_id: Mapped[int] = mapped_column(sa.ForeignKey("secondments.id", ondelete="CASCADE"))
    due_on: Mapped[dt.date]  # the scheduled date this check-in answers
    held_on: Mapped[dt.date]
    rating: Mapped[str] = mapped_column(sa.String(20))  # a CheckInRating: red, amber, green
    host_feedback: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    secondee_feedback: Mapped[str | None] = mapped_column(sa.Text)
    secondee_feedback_at: Mapped[dt.datetime | None]
    home_manager_note: Mapped[str | None] = mapped_column(sa.Text)
    home_manager_note_at: Mapped[dt.datetime | None]

    secondment: Mapped[Secondment] = relationship()
    recorded_by = relationship("User")
    objectives: Mapped[list[ObjectiveProgress]] = relationship(
        back_populates="check_in", order_by="ObjectiveProgress.position", cascade="all, delete-orphan"
    )


class ObjectiveProgress(db.Model):
    """Progress against one objective at a check-in; the objective's words are kept as they were then."""

    __tablename__ = "check_in_objectives"
    __table_args__ = (sa.CheckConstraint(check_in("status", ObjectiveStatus), name="status"),)

    check_in_id: Mapped[int] = mapped_column(sa.ForeignKey("check_ins.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    objective: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(20))
    progress: Mapped[str] = mapped_column(sa.Text, default="")

    check_in: Mapped[CheckIn] = relationship(back_populates="objectives")
