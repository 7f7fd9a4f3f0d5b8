"""Every step of a secondment, recorded once: a timeline event, its audit-log entry and the notices.

Agreement signatures, check-ins, early termination, extensions and the return all call ``record``
in the transaction that makes the change, so the secondment's timeline, the tamper-evident audit
log and the inboxes of the people concerned always agree.
"""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    NotificationKind,
    Role,
    Secondment,
    SecondmentEvent,
    SecondmentParty,
    User,
    UserRole,
)
from marketplace.services import audit
from marketplace.services.notifications import app_path, notify

P = SecondmentParty
SYSTEM = "system"


def record(
    secondment: Secondment,
    action: str,
    *,
    actor: User | None,
    role: SecondmentParty | str,
    summary: str,
    before: str | None = None,
    after: str | None = None,
    reason_code: str | None = None,
    reason: str | None = None,
    detail: dict | None = None,
    tell: tuple[SecondmentParty, ...] = (),
) -> SecondmentEvent:
    """Add the step to the secondment's timeline and the audit log, and tell the ``tell`` parties (not committed).

    ``action`` is dotted, e.g. ``agreement.signed``; ``before``/``after`` are the secondment's
    statuses when the step moves it; ``detail`` is extra audit payload, which must name no person
    (use ``audit.reference``). The actor is never told of their own step.
    """
    event = SecondmentEvent(
        secondment=secondment, action=action, from_status=before, to_status=after,
        actor_id=actor.id if actor is not None else None, actor_role=str(role),
        reason_code=reason_code, reason=reason, summary=summary[:300],
    )
    db.session.add(event)
    db.session.flush()
    payload = {
        "employee": audit.reference(secondment.employee),
        "opportunity": f"opportunity:{secondment.opportunity_id}",
        "from": before,
        "to": after,
        "event": event.id,
        **(detail or {}),
    }
    entry = audit.record(
        f"secondment.{action}", audit.reference(secondment), payload=payload, actor=actor,
        role=str(role), reason_code=reason_code or (action if reason else None), reason_text=reason,
    )
    event.audit_seq = entry.seq
    if tell:
        recipients = [user for user in accounts_of(secondment, tell) if actor is None or user.id != actor.id]
        notify(
            recipients, NotificationKind.SECONDMENT_UPDATE, f"{summary}: {secondment.opportunity.title}", summary,
            link=app_path("secondments.detail", secondment_id=secondment.id),
            dedupe_key=f"secondment-event:{event.id}",
        )
    return event


def accounts_of(secondment: Secondment, parties: tuple[SecondmentParty, ...]) -> list[User]:
    """The log-in accounts of the named parties (the talent team is everyone holding that role)."""
    people = secondment.people
    employee_ids = [people[p] for p in parties if p in people and people[p] is not None]
    accounts = list(db.session.scalars(sa.select(User).where(User.employee_id.in_(employee_ids)))) if employee_ids else []
    if P.TALENT in parties:
        accounts += db.session.scalars(sa.select(User).join(UserRole).where(UserRole.role == Role.TALENT.value))
    return list({user.id: user for user in accounts}.values())
