"""The return from a secondment: the return plan before the end, the return review with the home manager after it.

The plan falls due ``RETURN_PLAN_DAYS`` (30) before the end date. The home manager records it, with the
secondee's wishes in front of them; the talent team may record it too. An extension here is only the
intent: the new end date is agreed by an amendment of the agreement. Whether the plan is due or
overdue follows from the dates, so an amended end date moves it without rows to rewrite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from marketplace.clock import today as utc_today
from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.formatting import format_date
from marketplace.models import (
    ReturnOutcome,
    ReturnPlan,
    ReturnReview,
    Secondment,
    SecondmentEndReason,
    SecondmentParty,
    SecondmentStatus,
    User,
)
from marketplace.models.secondment import CURRENT
from marketplace.services import secondment_records
from marketplace.services.duration_cap import cap_warning
from marketplace.services.explanations import digest
from marketplace.services.secondments import parties

P = SecondmentParty
TEXT_MAX = 4000
ROLE_MAX = 200
NOT_ENDED = tuple(s.value for s in CURRENT)
# how a secondment ends with the secondee back home (an extension continues it instead)
CAME_BACK = (SecondmentEndReason.RETURNED.value, SecondmentEndReason.TERMINATED_EARLY.value)
ALREADY_REVIEWED = "The return review is already recorded; it is on the secondment page."

# What the plan is, seen from today
RECORDED, UPCOMING, DUE_TODAY, OVERDUE, CLOSED = "recorded", "upcoming", "due_today", "overdue", "closed"


def written(text: str | None, *, field: str, missing: str, limit: int = TEXT_MAX, required: bool = True) -> str:
    """The text as stored (stripped), or a refusal naming ``field`` when it is missing or too long."""
    text = (text or "").strip()
    if required and not text:
        raise DomainError(missing, field=field)
    if len(text) > limit:
        raise DomainError(f"Keep it to {limit:,} characters.", field=field)
    return text


# ------------------------------------------------------------------ the plan


def plan_due_on(secondment: Secondment) -> dt.date:
    """The day the return plan is due: ``RETURN_PLAN_DAYS`` before the end date."""
    return secondment.end_date - dt.timedelta(days=current_app.config["RETURN_PLAN_DAYS"])


def plan_of(secondment: Secondment) -> ReturnPlan | None:
    """The secondment's return plan row (the secondee's wishes and, once recorded, the plan)."""
    return db.session.scalar(sa.select(ReturnPlan).where(ReturnPlan.secondment_id == secondment.id))


@dataclass(frozen=True)
class PlanStatus:
    """Where the return plan stands today: its due day, the row if any, and one of the states above."""

    due_on: dt.date
    plan: ReturnPlan | None
    state: str
    cap_warning: str | None

    @property
    def recorded(self) -> bool:
        return self.state == RECORDED


def plan_status(secondment: Secondment, today: dt.date | None = None) -> PlanStatus:
    """The plan's state on ``today``: recorded, upcoming, due today, overdue, or closed (ended without one)."""
    today = today or utc_today()
    due_on, plan = plan_due_on(secondment), plan_of(secondment)
    if plan is not None and plan.outcome is not None:
        state = RECORDED
    elif secondment.status not in NOT_ENDED:
        state = CLOSED
    else:
        state = UPCOMING if today < due_on else DUE_TODAY if today == due_on else OVERDUE
    warning = None
    if state == RECORDED and plan.proposed_end_date is not None:
        warning = cap_warning(secondment.start_date, plan.proposed_end_date)
    return PlanStatus(due_on, plan, state, warning)


def role_to_plan(user: User, secondment: Secondment) -> SecondmentParty | None:
    """The capacity in which ``user`` records the return plan: home manager, else talent team; never the secondee."""
    parts = parties(user, secondment)
    if P.EMPLOYEE in parts:
        return None
    return next((party for party in (P.HOME_MANAGER, P.TALENT) if party in parts), None)


def record_plan(
    secondment: Secondment,
    *,
    actor: User,
    outcome: str | None,
    equivalent_role: str | None = None,
    proposed_end_date: dt.date | None = None,
    notes: str | None = None,
) -> PlanStatus:
    """Record (or change) the return plan; tells the secondee and both managers; commits.

    The status returned carries the duration-cap warning when an extension would pass the cap.
    """
    role = role_to_plan(actor, secondment)
    if role is None:
        raise DomainError("The home manager records the return plan, with the secondee's wishes; the talent team "
                          "may record it too.", status_code=403)
    if secondment.status not in NOT_ENDED:
        raise DomainError("The secondment has ended; its return plan can no longer change.", status_code=409)
    if outcome not in ReturnOutcome.values():
        raise DomainError("Choose what happens at the end of the secondment.", field="outcome")
    outcome = ReturnOutcome(outcome)
    role_text = written(equivalent_role, field="equivalent_role", limit=ROLE_MAX,
                        missing="Name the equivalent role.") if outcome == ReturnOutcome.EQUIVALENT_ROLE else None
    if outcome != ReturnOutcome.EXTENSION:
        proposed_end_date = None
    elif proposed_end_date is None or proposed_end_date <= secondment.end_date:
        raise DomainError(f"Propose a new end date after the current one ({format_date(secondment.end_date)}).",
                          field="proposed_end_date")
    notes = written(notes, field="notes", missing="", required=False)

    plan = plan_of(secondment)
    changed = plan is not None and plan.outcome is not None
    if plan is None:
        plan = ReturnPlan(secondment=secondment)
        db.session.add(plan)
    plan.outcome, plan.equivalent_role, plan.proposed_end_date, plan.notes = (
        outcome.value, role_text, proposed_end_date, notes)
    plan.recorded_by, plan.recorded_role, plan.recorded_at = actor, role.value, utcnow()
    _flush_once(plan, "The return plan was recorded by someone else at the same time; reload the page.")
    status = plan_status(secondment)
    secondment_records.record(
        secondment, "return_plan.changed" if changed else "return_plan.recorded", actor=actor, role=role,
        summary=("Return plan changed: " if changed else "Return plan: ") + _plan_summary(plan),
        detail={"outcome": outcome.value, "proposed_end_date": proposed_end_date and proposed_end_date.isoformat(),
                "past_cap": status.cap_warning is not None, "notes_sha256": digest(notes)},
        tell=(P.EMPLOYEE, P.HOME_MANAGER, P.HOST_MANAGER),
    )
    db.session.commit()
    return status


def _plan_summary(plan: ReturnPlan) -> str:
    outcome = ReturnOutcome(plan.outcome)
    if outcome == ReturnOutcome.EQUIVALENT_ROLE:
        return f"return to an equivalent role ({plan.equivalent_role})"
    if outcome == ReturnOutcome.EXTENSION:
        return f"extend to {format_date(plan.proposed_end_date)}, to be agreed by an amendment of the agreement"
    return outcome.label[0].lower() + outcome.label[1:]


def record_wishes(secondment: Secondment, *, actor: User, text: str | None) -> ReturnPlan:
    """The secondee writes (or rewrites) what they would like at the end, for the plan; tells the home manager; commits."""
    if P.EMPLOYEE not in parties(actor, secondment):
        raise DomainError("Only the secondee writes their wishes for the return.", status_code=403)
    if secondment.status not in NOT_ENDED:
        raise DomainError("The secondment has ended; its return plan can no longer change.", status_code=409)
    text = written(text, field="text", missing="Write what you would like to happen at the end.")
    plan = plan_of(secondment)
    if plan is None:
        plan = ReturnPlan(secondment=secondment, notes="")
        db.session.add(plan)
    plan.secondee_wishes, plan.secondee_wishes_at = text, utcnow()
    _flush_once(plan, "Your wishes were saved from another window at the same time; reload the page.")
    secondment_records.record(
        secondment, "return_plan.secondee_wishes", actor=actor, role=P.EMPLOYEE,
        summary="The secondee wrote their wishes for the return", detail={"text_sha256": digest(text)},
        tell=(P.HOME_MANAGER,),
    )
    db.session.commit()
    return plan


def _flush_once(row: object, clash: str) -> None:
    """Flush a row whose unique key (one per secondment) another request may have taken first: a 409 then."""
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise DomainError(clash, status_code=409)


def plans_due(today: dt.date) -> list[Secondment]:
    """Running (or signed) secondments whose plan is due by ``today`` and still missing, not yet past their end."""
    days = current_app.config["RETURN_PLAN_DAYS"]
    recorded = sa.select(ReturnPlan.secondment_id).where(ReturnPlan.outcome.is_not(None))
    return list(db.session.scalars(
        sa.select(Secondment).where(
            Secondment.status.in_(NOT_ENDED),
            Secondment.end_date.between(today, today + dt.timedelta(days=days)),
            Secondment.id.not_in(recorded),
        ).order_by(Secondment.end_date, Secondment.id)
    ))


# ------------------------------------------------------------------ the return review


def reviewable(secondment: Secondment) -> bool:
    """Whether the secondee came back: an ended secondment, not one continued by an extension."""
    return secondment.status == SecondmentStatus.ENDED.value and secondment.end_reason in CAME_BACK


def role_to_review(user: User, secondment: Secondment) -> SecondmentParty | None:
    """The home manager holds the return review; the talent team does when no home manager is on record."""
    parts = parties(user, secondment)
    if P.EMPLOYEE in parts:
        return None
    if P.HOME_MANAGER in parts:
        return P.HOME_MANAGER
    return P.TALENT if P.TALENT in parts and secondment.home_manager_id is None else None


def review_of(secondment: Secondment) -> ReturnReview | None:
    """The secondment's return review, if held."""
    return db.session.scalar(sa.select(ReturnReview).where(ReturnReview.secondment_id == secondment.id))


def suggested_role(secondment: Secondment) -> str:
    """The role the plan said the secondee returns to, to start the review's form with."""
    plan = plan_of(secondment)
    if plan is not None and plan.outcome == ReturnOutcome.EQUIVALENT_ROLE:
        return plan.equivalent_role
    return secondment.employee.job_title


def record_review(
    secondment: Secondment,
    *,
    actor: User,
    held_on: dt.date | None,
    how_it_went: str | None,
    role_returned_to: str | None,
    development_conversation: str | None,
    next_steps: str | None,
) -> ReturnReview:
    """The home manager records the return review, once, after the end; tells the secondee; commits."""
    role = role_to_review(actor, secondment)
    if role is None:
        raise DomainError("The home manager records the return review (the talent team when there is none).",
                          status_code=403)
    if not reviewable(secondment):
        raise DomainError("The return review is held once the secondee is back: after the secondment ends.",
                          status_code=409)
    if review_of(secondment) is not None:
        raise DomainError(ALREADY_REVIEWED, status_code=409)
    last_day = secondment.ended_on or secondment.end_date
    if held_on is None or not last_day <= held_on <= utc_today():
        raise DomainError(f"The review was held between the last day ({format_date(last_day)}) and today.",
                          field="held_on")
    review = ReturnReview(
        secondment=secondment, held_on=held_on, recorded_by=actor, recorded_at=utcnow(),
        how_it_went=written(how_it_went, field="how_it_went", missing="Say how the return went."),
        role_returned_to=written(role_returned_to, field="role_returned_to", limit=ROLE_MAX,
                                 missing="Name the role the secondee returned to."),
        development_conversation=written(development_conversation, field="development_conversation",
                                         missing="Note the development conversation."),
        next_steps=written(next_steps, field="next_steps", missing="Write the agreed next steps."),
    )
    db.session.add(review)
    _flush_once(review, "The return review was recorded by someone else first; reload the page.")
    secondment_records.record(
        secondment, "return.reviewed", actor=actor, role=role,
        summary=f"Return review held on {format_date(held_on)}: back as {review.role_returned_to}",
        detail={"review": review.id, "held_on": held_on.isoformat(),
                "texts_sha256": [digest(t) for t in (review.how_it_went, review.role_returned_to,
                                                     review.development_conversation, review.next_steps)]},
        tell=(P.EMPLOYEE, P.HOME_MANAGER),
    )
    db.session.commit()
    return review
