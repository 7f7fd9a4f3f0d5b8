"""Hosts invite people from their ranked list; an accepted invitation becomes an ordinary application."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationStatus,
    Employee,
    Invitation,
    InvitationStatus,
    Opportunity,
    Role,
    User,
)
from marketplace.services import applications, audit, eligibility, selection_records
from marketplace.services.opportunities import is_accepting_applications

MESSAGE_MAX = 2000


# Every refusal reads the same, with the same status, whoever the id names: an invite must not tell a
# host anything about a person (their name, grade, capacity or secondment) that the ranking did not show.
NOT_INVITABLE = "This person can't be invited from here."


def invite(opportunity: Opportunity, employee_id: int, host: User, message: str = "") -> Invitation:
    """Invite someone from a ranking of ``opportunity`` that ``host`` was shown; any other id is refused alike."""
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise DomainError(f"Keep the message to {MESSAGE_MAX:,} characters.", field="message")
    if not is_accepting_applications(opportunity):
        raise DomainError("This opportunity is not taking applications, so nobody can be invited.", status_code=409)
    employee, rank = _invitable(opportunity, employee_id, host)
    invitation = Invitation(opportunity=opportunity, employee=employee, invited_by=host, message=message)
    db.session.add(invitation)
    db.session.flush()
    # Inviting someone picks them out of the pool, like a shortlist: log it with the best rank this reviewer saw.
    # Only people a ranking showed can be invited, so an invitation never overrides the ranking.
    role = Role.HOST_MANAGER if host.employee_id == opportunity.host_manager_id else Role.TALENT
    _log(invitation, "sent", host, role, {"best_rank_shown": rank, "override": False})
    db.session.commit()
    return invitation


def _invitable(opportunity: Opportunity, employee_id: int, host: User) -> tuple[Employee, int]:
    """The employee and their best rank, if a ranking of the opportunity showed them to ``host`` and they may apply."""
    rank = selection_records.rank_shown_to(opportunity, f"employee:{employee_id}", host)
    employee = db.session.get(Employee, employee_id) if rank is not None else None
    if employee is None or not eligibility.check(employee, opportunity).eligible:
        raise DomainError(NOT_INVITABLE, status_code=409)
    existing = applications.application_of(employee, opportunity)
    applied = existing is not None and existing.status != ApplicationStatus.WITHDRAWN
    if applied or invitation_of(employee, opportunity) is not None:
        raise DomainError(NOT_INVITABLE, status_code=409)
    return employee, rank


def invitation_of(employee: Employee, opportunity: Opportunity) -> Invitation | None:
    """The invitation of ``employee`` to ``opportunity``, whatever its answer."""
    return db.session.scalar(
        sa.select(Invitation).where(Invitation.employee_id == employee.id, Invitation.opportunity_id == opportunity.id)
    )


def invited_ids(opportunity: Opportunity) -> dict[int, str]:
    """Employee id -> invitation status, for everyone invited to ``opportunity``."""
    rows = db.session.execute(
        sa.select(Invitation.employee_id, Invitation.status).where(Invitation.opportunity_id == opportunity.id)
    )
    return {employee_id: status for employee_id, status in rows}


def pending_for(employee: Employee) -> list[Invitation]:
    """The employee's unanswered invitations, newest first."""
    return list(db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.employee_id == employee.id, Invitation.status == InvitationStatus.PENDING.value)
        .options(selectinload(Invitation.opportunity), selectinload(Invitation.invited_by))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ))


def accept(invitation: Invitation, employee: Employee, statement: str) -> Application:
    """Accept an invitation: the person applies with ``statement`` and the application needs release as usual."""
    _check_answerable(invitation, employee)
    invitation.status = InvitationStatus.ACCEPTED.value
    invitation.answered_at = utcnow()
    _log(invitation, "accepted", None, "applicant")
    try:
        return applications.apply(employee, invitation.opportunity, statement)  # commits the answer too
    except DomainError:
        db.session.rollback()
        raise


def decline(invitation: Invitation, employee: Employee) -> Invitation:
    """Say no to an invitation; the host sees it was declined."""
    _check_answerable(invitation, employee)
    result = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status == InvitationStatus.PENDING.value)
        .values(status=InvitationStatus.DECLINED.value, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise DomainError("You have already answered this invitation.", status_code=409)
    _log(invitation, "declined", None, "applicant")
    db.session.commit()
    db.session.refresh(invitation)
    return invitation


def _log(invitation: Invitation, what: str, actor: User | None, role, extra: dict | None = None) -> None:
    """An audit entry for the invitation (the caller commits it with the change)."""
    payload = {
        "opportunity": f"opportunity:{invitation.opportunity_id}",
        "candidate": f"employee:{invitation.employee_id}",
        **(extra or {}),
    }
    kwargs = {"actor": actor} if actor is not None else {}
    audit.record(f"invitation.{what}", audit.reference(invitation), payload=payload, role=role, **kwargs)


def _check_answerable(invitation: Invitation, employee: Employee) -> None:
    if invitation.employee_id != employee.id:
        raise DomainError("This invitation is for someone else.", status_code=403)
    if invitation.status != InvitationStatus.PENDING:
        raise DomainError(
            f"You already {InvitationStatus(invitation.status).label.lower()} this invitation.", status_code=409
        )
