"""Secondments agreed from an accepted offer, and hosts' invitations to apply."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.employee import Employee
from marketplace.models.enums import (
    CheckInFrequency,
    InvitationStatus,
    SecondmentEndReason,
    SecondmentParty,
    SecondmentStatus,
    check_in,
)

# A person in one of these is not free for another secondment.
CURRENT = (SecondmentStatus.PLANNED, SecondmentStatus.AGREEMENT_SIGNED, SecondmentStatus.ACTIVE)
IS_CURRENT = "status IN ({})".format(", ".join(f"'{s.value}'" for s in CURRENT))


class Secondment(db.Model):
    """One person's secondment to one opportunity; the agreement and check-ins attach here."""

    __tablename__ = "secondments"
    __table_args__ = (
        sa.CheckConstraint(check_in("status", SecondmentStatus), name="status"),
        sa.CheckConstraint(
            f"end_reason IS NULL OR {check_in('end_reason', SecondmentEndReason)}", name="end_reason"
        ),
        sa.CheckConstraint("(status = 'ended') = (end_reason IS NOT NULL)", name="ended_has_reason"),
        sa.CheckConstraint("end_date > start_date", name="dates_order"),
        sa.CheckConstraint(check_in("check_in_frequency", CheckInFrequency), name="check_in_frequency"),
        # one current secondment per person, held by the database too: two accepts at the same moment
        # cannot both plan one (selection locks the person's row on PostgreSQL; SQLite has no row locks,
        # and there this index is what refuses the second)
        sa.Index(
            "uq_secondments_one_current_per_employee", "employee_id", unique=True,
            sqlite_where=sa.text(IS_CURRENT), postgresql_where=sa.text(IS_CURRENT),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), unique=True)
    opportunity_id: Mapped[int] = mapped_column(sa.ForeignKey("opportunities.id"), index=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employees.id"), index=True)
    home_manager_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employees.id"))
    host_manager_id: Mapped[int] = mapped_column(sa.ForeignKey("employees.id"))
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    status: Mapped[str] = mapped_column(sa.String(20), default=SecondmentStatus.PLANNED.value, index=True)
    end_reason: Mapped[str | None] = mapped_column(sa.String(20))
    ended_on: Mapped[dt.date | None]
    # set from the signed agreement; check-ins fall due on this rhythm while the secondment runs
    check_in_frequency: Mapped[str] = mapped_column(
        sa.String(20), default=CheckInFrequency.MONTHLY.value, server_default=CheckInFrequency.MONTHLY.value
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    application = relationship("Application")
    opportunity = relationship("Opportunity")
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    home_manager: Mapped[Employee | None] = relationship(foreign_keys=[home_manager_id])
    host_manager: Mapped[Employee] = relationship(foreign_keys=[host_manager_id])
    events: Mapped[list[SecondmentEvent]] = relationship(
        back_populates="secondment", order_by="SecondmentEvent.id", cascade="all, delete-orphan"
    )

    @property
    def people(self) -> dict[SecondmentParty, int | None]:
        """The employee who takes part as each named party (the talent team is a role, not a person)."""
        return {SecondmentParty.EMPLOYEE: self.employee_id, SecondmentParty.HOME_MANAGER: self.home_manager_id,
                SecondmentParty.HOST_MANAGER: self.host_manager_id}


class SecondmentEvent(db.Model):
    """One decision or step in a secondment (signature, check-in, termination, return...), with its audit entry.

    ``action`` is an open vocabulary: each part of the lifecycle names its own steps
    (``agreement.signed``, ``check_in.recorded``, ``ended.terminated_early``...).
    """

    __tablename__ = "secondment_events"
    __table_args__ = (sa.CheckConstraint(check_in("actor_role", SecondmentParty) + " OR actor_role = 'system'",
                                         name="actor_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    secondment_id: Mapped[int] = mapped_column(sa.ForeignKey("secondments.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(sa.String(40))
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str | None] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)  # None: the system
    actor_role: Mapped[str] = mapped_column(sa.String(20))  # a SecondmentParty, or "system"
    reason_code: Mapped[str | None] = mapped_column(sa.String(40))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    summary: Mapped[str] = mapped_column(sa.String(300), default="")  # what the timeline shows
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    audit_seq: Mapped[int | None] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), sa.ForeignKey("audit_log.seq")
    )

    secondment: Mapped[Secondment] = relationship(back_populates="events")
    actor = relationship("User")


class Invitation(db.Model):
    """A host asks someone from their ranked list to apply; accepting starts an application."""

    __tablename__ = "invitations"
    __table_args__ = (
        sa.UniqueConstraint("opportunity_id", "employee_id"),
        sa.CheckConstraint(check_in("status", InvitationStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(sa.ForeignKey("opportunities.id"), index=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employees.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=InvitationStatus.PENDING.value)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[dt.datetime | None]

    opportunity = relationship("Opportunity")
    employee: Mapped[Employee] = relationship()
    invited_by = relationship("User")
