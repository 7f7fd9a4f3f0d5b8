"""Secondment opportunities posted by host managers."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.employee import Employee
from marketplace.models.enums import (
    Funding,
    OpportunityStatus,
    OpportunityType,
    RemotePolicy,
    SkillRequirement,
    StretchTolerance,
    check_in,
)
from marketplace.models.organisation import Department, Organisation
from marketplace.models.skill import Skill


class Opportunity(db.Model):
    __tablename__ = "opportunities"
    __table_args__ = (
        sa.CheckConstraint(check_in("type", OpportunityType), name="type"),
        sa.CheckConstraint(check_in("status", OpportunityStatus), name="status"),
        sa.CheckConstraint(check_in("remote_policy", RemotePolicy), name="remote_policy"),
        sa.CheckConstraint(check_in("funding", Funding), name="funding"),
        sa.CheckConstraint(check_in("stretch", StretchTolerance), name="stretch"),
        sa.CheckConstraint("end_date > start_date", name="dates_order"),
        sa.CheckConstraint("closing_date IS NULL OR closing_date <= start_date", name="closes_before_start"),
        sa.CheckConstraint("time_commitment_percent BETWEEN 1 AND 100", name="time_commitment_range"),
        sa.CheckConstraint("openings >= 1", name="openings_positive"),
        sa.CheckConstraint("min_service_months >= 0", name="service_non_negative"),
        sa.CheckConstraint(
            "(funding = 'host_recharges' AND recharge_percent BETWEEN 1 AND 100)"
            " OR (funding = 'home_pays' AND recharge_percent IS NULL)",
            name="recharge_matches_funding",
        ),
        sa.Index("ix_opportunities_status_closing", "status", "closing_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text)
    type: Mapped[str] = mapped_column(sa.String(30))
    status: Mapped[str] = mapped_column(sa.String(20), default=OpportunityStatus.DRAFT.value)
    host_organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    host_department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    host_manager_id: Mapped[int] = mapped_column(sa.ForeignKey("employees.id"), index=True)
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    time_commitment_percent: Mapped[int] = mapped_column(default=100)
    location: Mapped[str] = mapped_column(sa.String(120))
    remote_policy: Mapped[str] = mapped_column(sa.String(20), default=RemotePolicy.HYBRID.value)
    openings: Mapped[int] = mapped_column(default=1)
    closing_date: Mapped[dt.date | None]
    min_service_months: Mapped[int] = mapped_column(default=0)
    requires_release: Mapped[bool] = mapped_column(default=True)
    funding: Mapped[str] = mapped_column(sa.String(20), default=Funding.HOME_PAYS.value)
    recharge_percent: Mapped[int | None]
    stretch: Mapped[str] = mapped_column(
        sa.String(20), default=StretchTolerance.SOME_STRETCH.value, server_default=StretchTolerance.SOME_STRETCH.value
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[dt.datetime | None]
    # as Employee.embedding_stale_since: the texts changed and their vectors may not be stored yet
    embedding_stale_since: Mapped[dt.datetime | None] = mapped_column(default=utcnow, index=True)

    host_organisation: Mapped[Organisation] = relationship()
    host_department: Mapped[Department] = relationship()
    host_manager: Mapped[Employee] = relationship()
    skills: Mapped[list[OpportunitySkill]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan"
    )
    eligible_grades: Mapped[list[EligibleGrade]] = relationship(
        cascade="all, delete-orphan", order_by="EligibleGrade.grade"
    )
    eligible_departments: Mapped[list[Department]] = relationship(
        secondary="opportunity_eligible_departments", order_by="Department.name"
    )
    applications = relationship("Application", back_populates="opportunity", lazy="dynamic")

    @property
    def duration_months(self) -> int:
        """Length of the secondment in whole months, rounded to the nearest."""
        return max(1, round((self.end_date - self.start_date).days / 30.44))

    @property
    def is_part_time(self) -> bool:
        return self.time_commitment_percent < 100

    def skills_of(self, kind: SkillRequirement) -> list[OpportunitySkill]:
        return sorted(
            (s for s in self.skills if s.kind == kind.value), key=lambda s: s.skill.name.casefold()
        )

    def __repr__(self) -> str:
        return f"<Opportunity {self.id} {self.title}>"


class OpportunitySkill(db.Model):
    __tablename__ = "opportunity_skills"
    __table_args__ = (
        sa.CheckConstraint(check_in("kind", SkillRequirement), name="kind"),
        sa.CheckConstraint("min_level IS NULL OR min_level BETWEEN 1 AND 5", name="min_level_range"),
    )

    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id"), primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    min_level: Mapped[int | None]

    opportunity: Mapped[Opportunity] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()


class EligibleGrade(db.Model):
    __tablename__ = "opportunity_eligible_grades"

    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True
    )
    grade: Mapped[str] = mapped_column(sa.String(40), primary_key=True)


opportunity_eligible_departments = sa.Table(
    "opportunity_eligible_departments",
    db.metadata,
    sa.Column(
        "opportunity_id",
        sa.ForeignKey("opportunities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("department_id", sa.ForeignKey("departments.id"), primary_key=True),
)
