"""Secondments agreed from an accepted offer, and hosts' invitations to apply."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.employee import Employee
from marketplace.models.enums import InvitationStatus, SecondmentEndReason, SecondmentStatus, check_in

# A person in one of these is not free for another secondment.
CURRENT = (SecondmentStatus.PLANNED, SecondmentStatus.AGREEMENT_SIGNED, SecondmentStatus.ACTIVE)


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
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    application = relationship("Application")
    opportunity = relationship("Opportunity")
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    home_manager: Mapped[Employee | None] = relationship(foreign_keys=[home_manager_id])
    host_manager: Mapped[Employee] = relationship(foreign_keys=[host_manager_id])


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
