"""Applications of employees to opportunities, and the record of every decision about them."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.employee import Employee
from marketplace.models.enums import ApplicationAction, ApplicationStatus, check_in
from marketplace.models.reasons import OverrideCode, ReasonCode

# Statuses after which nothing more happens to the application itself.
FINISHED = frozenset({
    ApplicationStatus.RELEASE_REFUSED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.OFFER_ACCEPTED,
    ApplicationStatus.OFFER_DECLINED,
    ApplicationStatus.WITHDRAWN,
})

IN_PROGRESS = tuple(s.value for s in ApplicationStatus if s not in FINISHED)


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        # One application per person and opportunity; withdrawing and re-applying reuses it.
        sa.UniqueConstraint("opportunity_id", "employee_id"),
        sa.CheckConstraint(check_in("status", ApplicationStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(sa.ForeignKey("opportunities.id"), index=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employees.id"), index=True)
    statement: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(30), default=ApplicationStatus.SUBMITTED.value, index=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    interview_at: Mapped[dt.datetime | None]
    interview_notes: Mapped[str | None] = mapped_column(sa.Text)

    opportunity = relationship("Opportunity", back_populates="applications")
    employee: Mapped[Employee] = relationship()
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", order_by="ApplicationEvent.id", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        """Still in progress: neither withdrawn nor decided for good."""
        return ApplicationStatus(self.status) not in FINISHED


class ApplicationEvent(db.Model):
    """One decision about an application: who moved it from where to where, and why."""

    __tablename__ = "application_events"
    __table_args__ = (
        sa.CheckConstraint(check_in("action", ApplicationAction), name="action"),
        sa.CheckConstraint(check_in("to_status", ApplicationStatus), name="to_status"),
        sa.CheckConstraint(check_in("reason_code", ReasonCode), name="reason_code"),
        sa.CheckConstraint(check_in("override_code", OverrideCode), name="override_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(30))
    from_status: Mapped[str | None] = mapped_column(sa.String(30))
    to_status: Mapped[str] = mapped_column(sa.String(30))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)  # None: the system
    actor_role: Mapped[str] = mapped_column(sa.String(20))  # the capacity they acted in, e.g. line_manager
    reason_code: Mapped[str | None] = mapped_column(sa.String(40))  # see models/reasons.py
    # why a host picked someone no ranking showed them (only on such picks)
    override_code: Mapped[str | None] = mapped_column(sa.String(40))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    # the decision's entry in the tamper-evident audit log (written in the same transaction)
    audit_seq: Mapped[int | None] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), sa.ForeignKey("audit_log.seq")
    )

    application: Mapped[Application] = relationship(back_populates="events")
    actor = relationship("User")

    @property
    def action_label(self) -> str:
        return ApplicationAction(self.action).label

    @property
    def reason_label(self) -> str | None:
        """The label of the recorded reason code, if any."""
        return ReasonCode(self.reason_code).label if self.reason_code else None

    @property
    def override_label(self) -> str | None:
        return OverrideCode(self.override_code).label if self.override_code else None
