"""Selection: the application flow as one table of allowed moves, each recorded as a decision.

submitted -> line manager releases (or declines with a reason; the person may appeal to the talent
team) -> the host shortlists or rejects (with a reason) -> interview -> offer -> the person accepts
(a Secondment is planned) or declines. Every move is a conditional UPDATE on the status it starts
from, so two people clicking at once cannot both move the same application, and each is written
as an ApplicationEvent: every decision about a person is on record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.formatting import format_date
from marketplace.models import (
    Application,
    ApplicationAction,
    ApplicationEvent,
    ApplicationStatus,
    Employee,
    Opportunity,
    OpportunityStatus,
    Role,
    Secondment,
    User,
)
from marketplace.models.enums import StrEnum
from marketplace.models.reasons import OVERRIDE_PICKS, OverrideCode, ReasonCode, codes_for
from marketplace.services import agreements, event_notifications, secondments, selection_records

REASON_MAX = 2000
NOTES_MAX = 4000


class Party(StrEnum):
    """The capacity in which someone acts on an application."""

    APPLICANT = "applicant"
    LINE_MANAGER = "line_manager"
    HOST = "host"
    TALENT = "talent"
    SYSTEM = "system"


PARTY_NAMES = {
    Party.APPLICANT: "the applicant",
    Party.LINE_MANAGER: "the applicant's line manager",
    Party.HOST: "the host manager",
    Party.TALENT: "the talent team",
    Party.SYSTEM: "the marketplace itself",
}


@dataclass(frozen=True)
class Move:
    """Where an action leads from one status, who may take it, and whether it needs a written reason."""

    to: ApplicationStatus
    by: frozenset[Party]
    reason_required: bool = False


S, A, P = ApplicationStatus, ApplicationAction, Party
_MANAGER, _MANAGER_OR_TALENT = frozenset({P.LINE_MANAGER}), frozenset({P.LINE_MANAGER, P.TALENT})
_HOST, _APPLICANT, _TALENT, _SYSTEM = (
    frozenset({P.HOST, P.TALENT}), frozenset({P.APPLICANT}), frozenset({P.TALENT}), frozenset({P.SYSTEM})
)
WITHDRAWABLE = (
    S.SUBMITTED, S.RELEASE_ESCALATED, S.RELEASE_DECLINED, S.RELEASE_APPEALED,
    S.RELEASED, S.SHORTLISTED, S.INTERVIEW, S.OFFERED,
)

MOVES: dict[tuple[ApplicationStatus, ApplicationAction], Move] = {
    (S.SUBMITTED, A.APPROVE_RELEASE): Move(S.RELEASED, _MANAGER),
    (S.SUBMITTED, A.DECLINE_RELEASE): Move(S.RELEASE_DECLINED, _MANAGER, reason_required=True),
    (S.SUBMITTED, A.SKIP_RELEASE): Move(S.RELEASED, _SYSTEM),
    (S.SUBMITTED, A.ESCALATE): Move(S.RELEASE_ESCALATED, _SYSTEM),
    # Escalated: the talent team may now decide, and the line manager still can.
    (S.RELEASE_ESCALATED, A.APPROVE_RELEASE): Move(S.RELEASED, _MANAGER_OR_TALENT),
    (S.RELEASE_ESCALATED, A.DECLINE_RELEASE): Move(S.RELEASE_DECLINED, _MANAGER_OR_TALENT, reason_required=True),
    (S.RELEASE_DECLINED, A.APPEAL): Move(S.RELEASE_APPEALED, _APPLICANT, reason_required=True),
    (S.RELEASE_APPEALED, A.OVERTURN): Move(S.RELEASED, _TALENT, reason_required=True),
    (S.RELEASE_APPEALED, A.UPHOLD): Move(S.RELEASE_REFUSED, _TALENT, reason_required=True),
    (S.RELEASED, A.SHORTLIST): Move(S.SHORTLISTED, _HOST),
    (S.RELEASED, A.REJECT): Move(S.REJECTED, _HOST, reason_required=True),
    (S.SHORTLISTED, A.REJECT): Move(S.REJECTED, _HOST, reason_required=True),
    (S.SHORTLISTED, A.SCHEDULE_INTERVIEW): Move(S.INTERVIEW, _HOST),
    (S.INTERVIEW, A.SCHEDULE_INTERVIEW): Move(S.INTERVIEW, _HOST),  # rescheduling
    (S.INTERVIEW, A.REJECT): Move(S.REJECTED, _HOST, reason_required=True),
    (S.INTERVIEW, A.OFFER): Move(S.OFFERED, _HOST),
    (S.OFFERED, A.ACCEPT_OFFER): Move(S.OFFER_ACCEPTED, _APPLICANT),
    (S.OFFERED, A.DECLINE_OFFER): Move(S.OFFER_DECLINED, _APPLICANT),
    **{(status, A.WITHDRAW): Move(S.WITHDRAWN, _APPLICANT) for status in WITHDRAWABLE},
}

# Everyone who takes an action from some status.
DECIDERS: dict[ApplicationAction, frozenset[Party]] = {
    action: frozenset().union(*(m.by for (_, a), m in MOVES.items() if a == action))
    for action in {a for (_, a) in MOVES}
}

# Verbs for messages: "Only the host manager can shortlist an application."
VERBS = {
    A.APPROVE_RELEASE: "approve the release", A.DECLINE_RELEASE: "decline the release",
    A.SKIP_RELEASE: "skip the release", A.ESCALATE: "escalate the release", A.APPEAL: "appeal the decline",
    A.OVERTURN: "overturn the decline", A.UPHOLD: "uphold the decline", A.SHORTLIST: "shortlist",
    A.REJECT: "reject", A.SCHEDULE_INTERVIEW: "schedule an interview", A.OFFER: "make an offer",
    A.ACCEPT_OFFER: "accept the offer", A.DECLINE_OFFER: "decline the offer", A.WITHDRAW: "withdraw",
    A.SUBMIT: "apply",
}


def allowed_actions(status: ApplicationStatus | str) -> list[ApplicationAction]:
    """Every action the table allows from ``status``, in the table's order."""
    return [action for (start, action) in MOVES if start == status]


def actions_for(application: Application, actor: User) -> set[ApplicationAction]:
    """The actions ``actor`` may take on the application now; what the pages offer as buttons."""
    status = ApplicationStatus(application.status)
    return {
        action for action in allowed_actions(status)
        if _capacity(actor, application, MOVES[(status, action)].by) is not None
    }


def parties_of(actor: User | None, application: Application) -> set[Party]:
    """Every capacity in which ``actor`` may act on this application."""
    if actor is None:
        return {P.SYSTEM}
    parties = set()
    own = actor.employee_id is not None and actor.employee_id == application.employee_id
    if own:
        parties.add(P.APPLICANT)
        return parties  # nobody decides on their own application in any other capacity
    if actor.has_role(Role.LINE_MANAGER) and application.employee.manager_id == actor.employee_id:
        parties.add(P.LINE_MANAGER)
    if actor.has_role(Role.HOST_MANAGER) and application.opportunity.host_manager_id == actor.employee_id:
        parties.add(P.HOST)
    if actor.has_role(Role.TALENT):
        parties.add(P.TALENT)
    return parties


def _capacity(actor: User | None, application: Application, allowed: frozenset[Party]) -> Party | None:
    held = parties_of(actor, application) & allowed
    # The most specific capacity is recorded: a host on the talent team acts as the host.
    return next((party for party in Party if party in held), None)


def transition(
    application: Application,
    action: ApplicationAction | str,
    actor: User | None,
    *,
    reason: str | None = None,
    reason_code: str | None = None,
    override_code: str | None = None,
    note: str | None = None,
    interview_at: dt.datetime | None = None,
    commit: bool = True,
) -> ApplicationEvent:
    """Take ``action`` on the application as ``actor`` (None: the system), record it, and commit.

    Refuses with a DomainError: 409 when the table has no such move from the current status, 403
    when the actor may not take it, 400 when a required reason, reason code (models/reasons.py),
    override code or interview time is missing.
    """
    action = ApplicationAction(action)
    current = ApplicationStatus(application.status)
    # Whose decision it is comes before where it stands: outsiders learn nothing about the state.
    deciders = DECIDERS.get(action)
    if deciders is None:
        raise DomainError(f"To {VERBS[action]} is not a decision on an existing application.")
    if not parties_of(actor, application) & deciders:
        raise _not_yours(action, deciders, actor, application)
    move = MOVES.get((current, action))
    if move is None:
        raise _not_allowed(action, current)
    party = _capacity(actor, application, move.by)
    if party is None:
        raise _not_yours(action, move.by, actor, application)
    reason, note = _clean(reason, REASON_MAX, "reason"), _clean(note, NOTES_MAX, "note")
    if move.reason_required and not reason:
        raise DomainError(f"Give a reason to {VERBS[action]}; the applicant will see it.", field="reason")
    reason_code = _reason_code(action, reason_code, reason)
    rank = selection_records.rank_shown(application) if action in selection_records.PICKS else None
    override_code = _override_code(application, action, override_code, reason, shown=rank is not None)
    changes: dict = {}
    if action == A.SCHEDULE_INTERVIEW:
        changes = _interview_changes(interview_at, note)
    if action in (A.OFFER, A.ACCEPT_OFFER):
        _lock_openings(application, accepting=action == A.ACCEPT_OFFER)
    _conditional_update(application, current, move.to, changes)
    event = ApplicationEvent(
        application=application, action=action.value, from_status=current.value, to_status=move.to.value,
        actor_id=actor.id if actor else None, actor_role=party.value, reason=reason, reason_code=reason_code,
        override_code=override_code, note=note, at=utcnow(),
    )
    db.session.add(event)
    selection_records.record(event, rank_shown=rank)
    if action == A.ACCEPT_OFFER:
        _plan_secondment(application)
    if commit:
        db.session.commit()
    return event


def record_submission(application: Application, actor: User | None) -> None:
    """Write the submission as a decision, then skip or escalate the release when nobody has to give it.

    Called by applications.apply before it commits; an opportunity that needs no release goes straight
    to the host, and a person without a line manager goes straight to the talent team.
    """
    application.status = S.SUBMITTED.value
    db.session.flush()
    submission = ApplicationEvent(
        action=A.SUBMIT.value, from_status=None, to_status=S.SUBMITTED.value,
        actor_id=actor.id if actor else None, actor_role=P.APPLICANT.value, at=utcnow(),
    )
    application.events.append(submission)
    selection_records.record(submission)
    if not application.opportunity.requires_release:
        transition(application, A.SKIP_RELEASE, None, note="This opportunity needs no release.", commit=False)
    elif application.employee.manager_id is None:
        transition(application, A.ESCALATE, None, note="No line manager on record.", commit=False)


def account_of(employee: Employee) -> User | None:
    """The log-in account of an employee, if they have one."""
    return db.session.scalar(sa.select(User).where(User.employee_id == employee.id))


def _clean(text: str | None, limit: int, field: str) -> str | None:
    text = (text or "").strip()
    if len(text) > limit:
        raise DomainError(f"Keep the {field} to {limit:,} characters.", field=field)
    return text or None


def _reason_code(action: ApplicationAction, code: str | None, reason: str | None) -> str | None:
    """The decision's reason code, checked against its vocabulary; "other" needs the reason in words."""
    codes = codes_for(action)
    code = (code or "").strip() or None
    if not codes:
        if code:
            raise DomainError(f"To {VERBS[action]} takes no reason code.", field="reason_code")
        return None
    if code is None:
        raise DomainError(f"Choose a reason code to {VERBS[action]}.", field="reason_code")
    if code not in codes:
        choices = ", ".join(c.value for c in codes)
        raise DomainError(f"“{code}” is not a reason code to {VERBS[action]}; choose one of: {choices}.",
                          field="reason_code")
    if code == ReasonCode.OTHER and not reason:
        raise DomainError("With the reason code “Other”, write the reason.", field="reason")
    return code


def _override_code(
    application: Application, action: ApplicationAction, code: str | None, reason: str | None, *, shown: bool
) -> str | None:
    """The override code a pick of someone no ranking showed needs; None for every other decision."""
    code = (code or "").strip() or None
    # A code sent for someone a ranking did show (another tab showed them meanwhile) is not an
    # override, and is dropped rather than refused: the decision itself is sound.
    if action not in OVERRIDE_PICKS or shown:
        return None
    if code is None:
        raise DomainError(
            f"{application.employee.name} was never shown in a ranking for this opportunity: choose an override "
            f"reason to {VERBS[action]} them.", field="override_code",
        )
    if code not in OverrideCode.values():
        choices = ", ".join(OverrideCode.values())
        raise DomainError(f"“{code}” is not an override reason; choose one of: {choices}.", field="override_code")
    if code == OverrideCode.OTHER and not reason:
        raise DomainError("With the override reason “Other”, write the reason.", field="reason")
    return code


def _interview_changes(interview_at: dt.datetime | None, notes: str | None) -> dict:
    if interview_at is None:
        raise DomainError("Give the date and time of the interview.", field="interview_at")
    if interview_at < utcnow():
        raise DomainError("The interview time has passed; give one in the future.", field="interview_at")
    return {"interview_at": interview_at, "interview_notes": notes}


def _conditional_update(
    application: Application, current: ApplicationStatus, to: ApplicationStatus, changes: dict
) -> None:
    """Move the row only if it is still in ``current``; otherwise someone else moved it first."""
    now = utcnow()
    result = db.session.execute(
        sa.update(Application)
        .where(Application.id == application.id, Application.status == current.value)
        .values(status=to.value, updated_at=now, **changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(application)
        now_status = ApplicationStatus(application.status)
        raise DomainError(
            f"Someone else acted first: this application is now {now_status.label.lower()}.", status_code=409
        )
    application.status, application.updated_at = to.value, now
    for name, value in changes.items():
        setattr(application, name, value)


def _lock_openings(application: Application, *, accepting: bool) -> None:
    """Hold the applicant (when accepting) and the opportunity until commit; refuse when every opening is
    taken, or when the applicant already has a secondment.

    Locks are taken person first, then opportunity, and before any write, so every path takes them in
    one order. They are FOR NO KEY UPDATE: concurrent acceptances by one person, or of one opportunity,
    queue up on PostgreSQL, so each sees the secondment the previous one committed, while other
    transactions' foreign-key checks on these rows (KEY SHARE) pass. FOR UPDATE blocked those checks:
    a decline of the same offer, holding the application row, deadlocked with the accept. SQLite
    ignores the clause; there the index uq_secondments_one_current_per_employee refuses a second
    secondment (see _plan_secondment).
    """
    if accepting:
        db.session.execute(
            sa.select(Employee.id).where(Employee.id == application.employee_id).with_for_update(key_share=True)
        )
    openings, status = db.session.execute(
        sa.select(Opportunity.openings, Opportunity.status)
        .where(Opportunity.id == application.opportunity_id)
        .with_for_update(key_share=True)
    ).one()
    taken = secondments.places_taken(application.opportunity_id)
    if taken >= openings:
        db.session.rollback()
        places = "The opening" if openings == 1 else f"All {openings} openings"
        raise DomainError(f"{places} of this secondment {'is' if openings == 1 else 'are'} already filled.",
                          status_code=409)
    if status == OpportunityStatus.CANCELLED:
        db.session.rollback()
        raise DomainError("This opportunity was cancelled.", status_code=409)
    if accepting:
        current = secondments.current_secondment(application.employee_id)
        if current is not None:
            db.session.rollback()
            raise _already_seconded(current)


def _already_seconded(current: Secondment) -> DomainError:
    return DomainError(
        f"You already have a secondment to “{current.opportunity.title}” from {format_date(current.start_date)}; "
        "you cannot accept another.",
        status_code=409,
    )


def _plan_secondment(application: Application) -> Secondment:
    """The planned secondment an accepted offer creates, with its first draft agreement; fills the opportunity
    when it was the last place."""
    opportunity = application.opportunity
    try:
        secondment = secondments.plan(application)
    except sa.exc.IntegrityError:
        # The index allows one current secondment per person: another accept got there first.
        db.session.rollback()
        current = secondments.current_secondment(application.employee_id)
        if current is None:
            raise
        raise _already_seconded(current) from None
    agreements.draft_first(secondment)
    if secondments.places_taken(opportunity.id) >= opportunity.openings and opportunity.status in (
        OpportunityStatus.OPEN, OpportunityStatus.CLOSED
    ):
        opportunity.status = OpportunityStatus.FILLED.value
        event_notifications.opportunity_filled(opportunity, application)
    return secondment


def _not_allowed(action: ApplicationAction, current: ApplicationStatus) -> DomainError:
    options = allowed_actions(current)
    if options:
        possible = ", ".join(VERBS[a] for a in options)
        hint = f"From here one can: {possible}."
    else:
        hint = "Nothing more can be decided on it."
    return DomainError(
        f"You cannot {VERBS[action]}: the application is {current.label.lower()}. {hint}", status_code=409
    )


def _not_yours(
    action: ApplicationAction, deciders: frozenset[Party], actor: User | None, application: Application
) -> DomainError:
    if actor is not None and actor.employee_id == application.employee_id and P.APPLICANT not in deciders:
        return DomainError("You cannot decide on your own application.", status_code=403)
    who = " or ".join(PARTY_NAMES[p] for p in Party if p in deciders)
    return DomainError(f"Only {who} can {VERBS[action]} here.", status_code=403)
