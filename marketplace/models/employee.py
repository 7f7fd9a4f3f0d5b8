"""Employees: the people who go on secondment, with their skills and goals."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.organisation import Department
from marketplace.models.skill import Skill


class Employee(db.Model):
    __tablename__ = "employees"
    __table_args__ = (
        sa.CheckConstraint("capacity_percent BETWEEN 1 AND 100", name="capacity_range"),
        sa.CheckConstraint(
            "available_until IS NULL OR available_from IS NULL OR available_until >= available_from",
            name="availability_order",
        ),
        sa.CheckConstraint("manager_id IS NULL OR manager_id <> id", name="not_own_manager"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    job_title: Mapped[str] = mapped_column(sa.String(200))
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    location: Mapped[str] = mapped_column(sa.String(120))
    grade: Mapped[str] = mapped_column(sa.String(40))
    start_date: Mapped[dt.date]
    manager_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employees.id"), index=True)
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    available_from: Mapped[dt.date | None]
    available_until: Mapped[dt.date | None]
    capacity_percent: Mapped[int] = mapped_column(default=100)
    open_to_remote: Mapped[bool] = mapped_column(default=True)
    open_to_relocation: Mapped[bool] = mapped_column(default=False)
    open_to_international: Mapped[bool] = mapped_column(default=False)
    # bumped by every profile change, so cached rankings know when to rebuild
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=sa.func.current_timestamp())
    # set when the profile texts change (new rows start stale), cleared once their vectors are stored;
    # a timestamp rather than a flag, so a worker clears only the change it embedded
    embedding_stale_since: Mapped[dt.datetime | None] = mapped_column(default=utcnow, index=True)

    department: Mapped[Department] = relationship()
    manager: Mapped[Employee | None] = relationship(remote_side=[id], back_populates="reports")
    reports: Mapped[list[Employee]] = relationship(back_populates="manager", order_by="Employee.name")
    skills: Mapped[list[EmployeeSkill]] = relationship(
        back_populates="employee", cascade="all, delete-orphan"
    )
    development_goals: Mapped[list[DevelopmentGoal]] = relationship(
        back_populates="employee", cascade="all, delete-orphan", order_by="DevelopmentGoal.id"
    )

    def months_of_service(self, on: dt.date) -> int:
        """Whole months between the start date and ``on``."""
        return whole_months(self.start_date, on)

    def __repr__(self) -> str:
        return f"<Employee {self.employee_number} {self.name}>"


class EmployeeSkill(db.Model):
    __tablename__ = "employee_skills"
    __table_args__ = (sa.CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),)

    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id"), primary_key=True, index=True)
    level: Mapped[int]

    employee: Mapped[Employee] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()


class DevelopmentGoal(db.Model):
    """A skill or a broader area the employee wants to grow into."""

    __tablename__ = "development_goals"
    __table_args__ = (
        sa.CheckConstraint("skill_id IS NOT NULL OR length(area) > 0", name="skill_or_area"),
        sa.UniqueConstraint("employee_id", "skill_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int | None] = mapped_column(sa.ForeignKey("skills.id"))
    area: Mapped[str] = mapped_column(sa.String(300), default="")

    employee: Mapped[Employee] = relationship(back_populates="development_goals")
    skill: Mapped[Skill | None] = relationship()

    @property
    def label(self) -> str:
        return self.skill.name if self.skill else self.area


def whole_months(start: dt.date, on: dt.date) -> int:
    """Whole months from ``start`` to ``on`` (0 when ``on`` comes first)."""
    months = (on.year - start.year) * 12 + on.month - start.month
    if on.day < start.day:
        months -= 1
    return max(months, 0)
