"""Secondments: planned when an offer is accepted, then agreement signed, active, and ended with a reason."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.clock import today
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    Application,
    Role,
    Secondment,
    SecondmentEndReason,
    SecondmentParty,
    SecondmentStatus,
    User,
)
from marketplace.models.secondment import CURRENT
from marketplace.services import secondment_records

P = SecondmentParty

# status -> the statuses it may move on to; ending needs a reason (SecondmentEndReason)
NEXT = {
    SecondmentStatus.PLANNED: (SecondmentStatus.AGREEMENT_SIGNED, SecondmentStatus.ENDED),
    SecondmentStatus.AGREEMENT_SIGNED: (SecondmentStatus.ACTIVE, SecondmentStatus.ENDED),
    SecondmentStatus.ACTIVE: (SecondmentStatus.ENDED,),
    SecondmentStatus.ENDED: (),
}


def plan(application: Application) -> Secondment:
    """A planned secondment for an accepted application, on the opportunity's dates (not committed)."""
    opportunity = application.opportunity
    secondment = Secondment(
        application=application,
        opportunity_id=opportunity.id,
        employee_id=application.employee_id,
        home_manager_id=application.employee.manager_id,
        host_manager_id=opportunity.host_manager_id,
        start_date=opportunity.start_date,
        end_date=opportunity.end_date,
        status=SecondmentStatus.PLANNED.value,
    )
    db.session.add(secondment)
    db.session.flush()
    return secondment


def places_taken(opportunity_id: int) -> int:
    """Openings of an opportunity already given to someone (a secondment, whatever became of it)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Secondment).where(Secondment.opportunity_id == opportunity_id)
    ) or 0


def current_secondment(employee_id: int) -> Secondment | None:
    """The employee's planned, signed or running secondment, if any."""
    return db.session.scalar(
        sa.select(Secondment)
        .where(Secondment.employee_id == employee_id, Secondment.status.in_([s.value for s in CURRENT]))
        .order_by(Secondment.start_date)
        .limit(1)
    )


def seconded_employee_ids() -> set[int]:
    """Everyone on a secondment now or about to start one; they are not free for another."""
    return set(db.session.scalars(
        sa.select(Secondment.employee_id).where(Secondment.status.in_([s.value for s in CURRENT]))
    ))


def secondments_of(employee_id: int) -> list[Secondment]:
    """The employee's secondments, newest first."""
    return list(db.session.scalars(
        sa.select(Secondment)
        .where(Secondment.employee_id == employee_id)
        .options(selectinload(Secondment.opportunity))
        .order_by(Secondment.start_date.desc())
    ))


def parties(user: User, secondment: Secondment) -> set[SecondmentParty]:
    """The capacities in which ``user`` takes part in the secondment (empty: none, so they may not see it)."""
    if not user.is_authenticated:
        return set()
    found = set()
    employee_id = user.employee_id
    if employee_id is not None:
        found |= {party for party, person in secondment.people.items() if person == employee_id}
    if user.has_role(Role.TALENT):
        found.add(P.TALENT)
    return found


def visible_to(user: User) -> list[Secondment]:
    """The secondments ``user`` takes part in (all of them for the talent team), newest start first."""
    query = sa.select(Secondment).options(selectinload(Secondment.opportunity), selectinload(Secondment.employee))
    if not user.has_role(Role.TALENT):
        me = user.employee_id
        if me is None:
            return []
        query = query.where(sa.or_(
            Secondment.employee_id == me, Secondment.home_manager_id == me, Secondment.host_manager_id == me
        ))
    return list(db.session.scalars(query.order_by(Secondment.start_date.desc(), Secondment.id.desc())))


def move(
    secondment: Secondment,
    to: SecondmentStatus,
    *,
    end_reason: SecondmentEndReason | None = None,
    on: dt.date | None = None,
    actor: User | None = None,
    role: SecondmentParty | str = secondment_records.SYSTEM,
    reason: str | None = None,
    summary: str | None = None,
    reason_code: str | None = None,
    detail: dict | None = None,
) -> Secondment:
    """Move a secondment on (sign, start, end with a reason) in one conditional UPDATE, recorded; commits.

    ``reason_code`` (e.g. an early end's trigger) and ``detail`` go to the step's record as they are.
    """
    current = SecondmentStatus(secondment.status)
    if to not in NEXT[current]:
        allowed = ", ".join(s.label.lower() for s in NEXT[current]) or "nothing"
        raise DomainError(
            f"A {current.label.lower()} secondment cannot become {to.label.lower()}; it can become: {allowed}.",
            status_code=409,
        )
    if (to == SecondmentStatus.ENDED) != (end_reason is not None):
        raise DomainError("Say why the secondment ended: returned, extended or terminated early.", field="end_reason")
    changes = {"status": to.value}
    if end_reason is not None:
        changes |= {"end_reason": end_reason.value, "ended_on": on or today()}
    result = db.session.execute(
        sa.update(Secondment)
        .where(Secondment.id == secondment.id, Secondment.status == current.value)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise DomainError("Someone else changed this secondment first; reload the page.", status_code=409)
    action = f"ended.{end_reason.value}" if end_reason is not None else to.value
    secondment_records.record(
        secondment, action, actor=actor, role=role, before=current.value, after=to.value, reason=reason,
        reason_code=reason_code, detail=detail, summary=summary or MOVE_SUMMARIES[action],
        tell=(P.EMPLOYEE, P.HOME_MANAGER, P.HOST_MANAGER),
    )
    db.session.commit()
    db.session.refresh(secondment)
    return secondment


MOVE_SUMMARIES = {
    SecondmentStatus.AGREEMENT_SIGNED.value: "Agreement signed by everyone",
    SecondmentStatus.ACTIVE.value: "Secondment started",
    f"ended.{SecondmentEndReason.RETURNED.value}": "Secondment ended: returned home",
    f"ended.{SecondmentEndReason.EXTENDED.value}": "Secondment ended: continued by an extension",
    f"ended.{SecondmentEndReason.TERMINATED_EARLY.value}": "Secondment ended early",
}


def start_due(on: dt.date | None = None) -> int:
    """Make every signed secondment whose start date has come active; how many started."""
    on = on or today()
    due = db.session.scalars(
        sa.select(Secondment).where(
            Secondment.status == SecondmentStatus.AGREEMENT_SIGNED.value, Secondment.start_date <= on
        )
    ).all()
    for secondment in due:
        move(secondment, SecondmentStatus.ACTIVE)
    return len(due)


def end_due(on: dt.date | None = None) -> int:
    """End every running secondment whose end date has passed, as returned on that date; how many ended.

    An extension agreed by an amendment moves the end date first, so such a secondment is not due.
    """
    on = on or today()
    due = db.session.scalars(
        sa.select(Secondment).where(Secondment.status == SecondmentStatus.ACTIVE.value, Secondment.end_date < on)
    ).all()
    ended = 0
    for secondment in due:
        try:
            move(secondment, SecondmentStatus.ENDED, end_reason=SecondmentEndReason.RETURNED, on=secondment.end_date)
        except DomainError:  # ended early, or by another run, since we looked: nothing left to do
            continue
        ended += 1
    return ended
