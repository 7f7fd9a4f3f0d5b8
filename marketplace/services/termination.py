"""Ending a secondment early: a trigger event, a written reason and the last day, by a manager or the talent team.

The secondee cannot end their own secondment here: they ask their host or home manager, who decide
and record it. The move itself (timeline, audit entry, notices) is ``secondments.move``.
"""

from __future__ import annotations

import datetime as dt

from marketplace.errors import DomainError
from marketplace.formatting import format_date
from marketplace.models import (
    Secondment,
    SecondmentEndReason,
    SecondmentParty,
    SecondmentStatus,
    TerminationTrigger,
    User,
)
from marketplace.services import secondments

P = SecondmentParty
# who may end it early, in the order their capacity is recorded when someone holds several
ENDERS = (P.HOST_MANAGER, P.HOME_MANAGER, P.TALENT)
ENDABLE = (SecondmentStatus.AGREEMENT_SIGNED.value, SecondmentStatus.ACTIVE.value)
REASON_MAX = 2000


def role_to_end(user: User, secondment: Secondment) -> SecondmentParty | None:
    """The capacity in which ``user`` may end the secondment early, or None (the secondee never may)."""
    parts = secondments.parties(user, secondment)
    if P.EMPLOYEE in parts:
        return None
    return next((party for party in ENDERS if party in parts), None)


def can_end(secondment: Secondment) -> bool:
    """Whether the secondment is in a state that can end early: signed, or running."""
    return secondment.status in ENDABLE


def check(
    secondment: Secondment, *, actor: User, trigger: str | None, reason: str | None, effective_on: dt.date | None
) -> SecondmentParty:
    """Refuse an early end that may not happen as asked; the actor's capacity when it may."""
    role = role_to_end(actor, secondment)
    if role is None:
        raise DomainError("Only the host manager, the home manager or the talent team can end a secondment early; "
                          "a secondee asks one of their managers.", status_code=403)
    if not can_end(secondment):
        raise DomainError("Only a signed or running secondment can be ended early.", status_code=409)
    if trigger not in TerminationTrigger.values():
        raise DomainError("Choose the event that ends the secondment.", field="trigger")
    if not (reason or "").strip():
        raise DomainError("Write the reason; everyone concerned reads it.", field="reason")
    if len(reason.strip()) > REASON_MAX:
        raise DomainError(f"Keep the reason to {REASON_MAX:,} characters.", field="reason")
    if effective_on is None:
        raise DomainError("Give the day it ends.", field="effective_on")
    if not secondment.start_date <= effective_on <= secondment.end_date:
        raise DomainError(f"The last day falls between the start ({format_date(secondment.start_date)}) and the "
                          f"planned end ({format_date(secondment.end_date)}).", field="effective_on")
    return role


def terminate(
    secondment: Secondment, *, actor: User, trigger: str | None, reason: str | None, effective_on: dt.date | None
) -> Secondment:
    """End the secondment early with its trigger, reason and last day; tells everyone concerned; commits."""
    role = check(secondment, actor=actor, trigger=trigger, reason=reason, effective_on=effective_on)
    event = TerminationTrigger(trigger)
    return secondments.move(
        secondment, SecondmentStatus.ENDED, end_reason=SecondmentEndReason.TERMINATED_EARLY, on=effective_on,
        actor=actor, role=role, reason=reason.strip(), reason_code=event.value,
        summary=f"Secondment ended early ({event.label.lower()}), last day {format_date(effective_on)}",
        detail={"effective_on": effective_on.isoformat()},
    )
