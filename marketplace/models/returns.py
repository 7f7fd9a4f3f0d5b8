"""The return from a secondment: the plan, the review back home, skills gained, what was learnt, and feedback.

Every row belongs to one secondment and is written by one party; each step is also recorded on the
secondment's timeline and in the audit log (services/returns.py and its neighbours).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.enums import EvaluationQuestion, ReturnOutcome, SecondmentParty, check_in
from marketplace.models.secondment import Secondment
from marketplace.models.skill import Skill

EVALUATING = (SecondmentParty.EMPLOYEE, SecondmentParty.HOME_MANAGER, SecondmentParty.HOST_MANAGER)


class ReturnPlan(db.Model):
    """What happens at the end date, recorded by the home manager (or the talent team) with the secondee's wishes.

    The row appears with whichever comes first: the secondee's wishes or the plan; ``outcome`` is
    empty until the plan is recorded.
    """

    __tablename__ = "return_plans"
    __table_args__ = (
        sa.CheckConstraint(f"outcome IS NULL OR {check_in('outcome', ReturnOutcome)}", name="outcome"),
        sa.CheckConstraint("(COALESCE(outcome, '') = 'extension') = (proposed_end_date IS NOT NULL)",
                           name="extension_has_date"),
        sa.CheckConstraint("(COALESCE(outcome, '') = 'equivalent_role') = (equivalent_role IS NOT NULL)",
                           name="equivalent_has_role"),
        sa.CheckConstraint("(outcome IS NULL) = (recorded_at IS NULL)", name="recorded_dated"),
        sa.CheckConstraint("(secondee_wishes IS NULL) = (secondee_wishes_at IS NULL)", name="wishes_dated"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    secondment_id: Mapped[int] = mapped_column(sa.ForeignKey("secondments.id", ondelete="CASCADE"), unique=True)
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    equivalent_role: Mapped[str | None] = mapped_column(sa.String(200))
    proposed_end_date: Mapped[dt.date | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_role: Mapped[str | None] = mapped_column(sa.String(20))
    recorded_at: Mapped[dt.datetime | None]
    secondee_wishes: Mapped[str | None] = mapped_column(sa.Text)
    secondee_wishes_at: Mapped[dt.datetime | None]

    secondment: Mapped[Secondment] = relationship()
    recorded_by = relationship("User")


class ReturnReview(db.Model):
    """The repatriation review the home manager holds with the returner after the end."""

    __tablename__ = "return_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    secondment_id: Mapped[int] = mapped_column(sa.ForeignKey("secondments.id", ondelete="CASCADE"), unique=True)
    held_on: Mapped[dt.date]
    how_it_went: Mapped[str] = mapped_column(sa.Text)
    role_returned_to: Mapped[str] = mapped_column(sa.String(200))
    development_conversation: Mapped[str] = mapped_column(sa.Text)
    next_steps: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    secondment: Mapped[Secondment] = relationship()
    recorded_by = relationship("User")


class SkillGain(db.Model):
    """A skill the host says the secondee gained, at a new level; once confirmed it is in their profile."""

    __tablename__ = "skill_gains"
    __table_args__ = (
        sa.UniqueConstraint("secondment_id", "skill_id"),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
        sa.CheckConstraint("level_before IS NULL OR level_before BETWEEN 1 AND 5", name="level_before_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the unique (secondment_id, skill_id) constraint is the index by secondment
    secondment_id: Mapped[int] = mapped_column(sa.ForeignKey("secondments.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id"))
    level: Mapped[int]
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    proposed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    confirmed_at: Mapped[dt.datetime | None]
    level_before: Mapped[int | None]  # the profile's level when confirmed; None: the skill was added

    secondment: Mapped[Secondment] = relationship()
    skill: Mapped[Skill] = relationship()


class KnowledgeNote(db.Model):
    """What the returner learnt, written for their home team; the secondee may keep improving it."""

    __tablename__ = "knowledge_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    secondment_id: Mapped[int] = mapped_column(sa.ForeignKey("secondments.id", ondelete="CASCADE"), unique=True)
    text: Mapped[str] = mapped_column(sa.Text)
    written_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    secondment: Mapped[Secondment] = relationship()


class Evaluation(db.Model):
    """One party's evaluation of an ended secondment: a 1-5 rating per fixed question and free text; once each."""

    __tablename__ = "evaluations"
    __table_args__ = (
        sa.UniqueConstraint("secondment_id", "party"),
        sa.CheckConstraint("party IN ({})".format(", ".join(f"'{p.value}'" for p in EVALUATING)), name="party"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    secondment_id: Mapped[int] = mapped_column(sa.ForeignKey("secondments.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(sa.String(20))
    comments: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    secondment: Mapped[Secondment] = relationship()
    ratings: Mapped[list[EvaluationRating]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", order_by="EvaluationRating.question"
    )


class EvaluationRating(db.Model):
    """One question of an evaluation and its rating from 1 (not at all) to 5 (fully)."""

    __tablename__ = "evaluation_ratings"
    __table_args__ = (
        sa.CheckConstraint(check_in("question", EvaluationQuestion), name="question"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    )

    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True)
    question: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    rating: Mapped[int]

    evaluation: Mapped[Evaluation] = relationship(back_populates="ratings")
