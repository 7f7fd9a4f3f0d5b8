"""Applications of employees to opportunities."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.employee import Employee
from marketplace.models.enums import ApplicationStatus, check_in


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
    status: Mapped[str] = mapped_column(sa.String(30), default=ApplicationStatus.SUBMITTED.value)
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    opportunity = relationship("Opportunity", back_populates="applications")
    employee: Mapped[Employee] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status != ApplicationStatus.WITHDRAWN
