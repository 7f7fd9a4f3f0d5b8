"""What follows every selection decision, in its transaction: an audit-log entry and the notifications.

The audit entry names people only by reference, records the move and its reason, and says
whether the person was ever shown to a reviewer in a ranking of this opportunity: a shortlist or
offer for someone the ranking never showed is flagged as an override of the ranking.
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationAction,
    ApplicationEvent,
    AuditEntry,
    Notification,
    NotificationKind,
    Role,
    User,
    UserRole,
)
from marketplace.services import audit
from marketplace.services.notifications import app_path, notify
from marketplace.services.selection_notices import notices_for

A = ApplicationAction
PICKS = frozenset({A.SHORTLIST, A.SCHEDULE_INTERVIEW, A.OFFER})  # a reviewer choosing this person

# The subject line of each decision's notification, before the secondment's title.
SUBJECTS = {
    A.SUBMIT: "Release requested", A.APPROVE_RELEASE: "Release approved", A.DECLINE_RELEASE: "Release declined",
    A.SKIP_RELEASE: "New application", A.ESCALATE: "Release overdue", A.APPEAL: "Declined release appealed",
    A.OVERTURN: "Declined release overturned", A.UPHOLD: "Declined release upheld", A.SHORTLIST: "Shortlisted",
    A.REJECT: "Application not taken forward", A.SCHEDULE_INTERVIEW: "Interview", A.OFFER: "Offer",
    A.ACCEPT_OFFER: "Offer accepted", A.DECLINE_OFFER: "Offer declined", A.WITHDRAW: "Application withdrawn",
}


NOT_LOOKED_UP = object()  # record()'s default: look the best rank up here


def record(event: ApplicationEvent, *, rank_shown: int | None | object = NOT_LOOKED_UP) -> None:
    """Write the decision to the audit log (linking the event to its entry) and notify the people concerned.

    ``rank_shown`` is the caller's own rank_shown(application) for a pick, so it is not looked up twice.
    """
    db.session.flush()  # the event and application need their ids
    application = event.application
    opportunity_ref, candidate_ref = audit.reference(application.opportunity), audit.reference(application.employee)
    payload = {
        "opportunity": opportunity_ref,
        "candidate": candidate_ref,
        "from": event.from_status,
        "to": event.to_status,
        "event": event.id,
        "has_note": bool(event.note),
    }
    if A(event.action) in PICKS:
        rank = best_rank_shown(opportunity_ref, candidate_ref) if rank_shown is NOT_LOOKED_UP else rank_shown
        payload["best_rank_shown"] = rank
        payload["override"] = rank is None  # chosen without the ranking ever showing them
        if event.override_code:
            payload["override_code"] = event.override_code
    # Decisions without a vocabulary (appeals) keep the action as their code when they give a reason.
    reason_code = event.reason_code or (event.action if event.reason else None)
    entry = audit.record(
        f"application.{event.action}", audit.reference(application), payload=payload,
        actor=_actor(event), role=event.actor_role, reason_code=reason_code, reason_text=event.reason,
    )
    event.audit_seq = entry.seq
    _notify(event)


def rank_shown(application: Application) -> int | None:
    """The applicant's best rank in any ranking of the opportunity shown to a reviewer; None: picking them overrides it."""
    return rank_shown_for(application.opportunity, application.employee)


def rank_shown_for(opportunity, employee) -> int | None:
    """The person's best rank in any ranking of the opportunity shown to a reviewer, or None."""
    return best_rank_shown(audit.reference(opportunity), audit.reference(employee))


def rank_shown_to(opportunity, candidate_ref: str, reviewer: User) -> int | None:
    """The best rank at which a ranking of the opportunity showed this person to ``reviewer`` themself, or None."""
    return best_rank_shown(audit.reference(opportunity), candidate_ref, shown_to=reviewer)


def is_override(application: Application) -> bool:
    """Whether picking this applicant now overrides the ranking (for the forms that ask for a code)."""
    return rank_shown(application) is None


def overriding(opportunity, applications: list[Application]) -> set[int]:
    """Ids of the applications whose pick would override the ranking, with one scan of the opportunity's rankings.

    The applicants page asks this for every applicant; ``is_override`` per applicant would scan
    the same ``ranking.shown`` payloads twice per row.
    """
    payloads = db.session.scalars(
        sa.select(AuditEntry.payload).where(
            AuditEntry.action == "ranking.shown", AuditEntry.subject == audit.reference(opportunity)
        )
    )
    seen = {row["candidate"] for p in payloads for row in json.loads(p)["shown"]}
    return {a.id for a in applications if audit.reference(a.employee) not in seen}


def best_rank_shown(opportunity_ref: str, candidate_ref: str, *, shown_to: User | None = None) -> int | None:
    """The best rank at which any reviewer (or only ``shown_to``) saw this person for this opportunity, or None."""
    needle = f'"candidate":"{candidate_ref}"'  # canonical JSON spells it exactly so
    query = sa.select(AuditEntry.payload).where(
        AuditEntry.action == "ranking.shown",
        AuditEntry.subject == opportunity_ref,
        AuditEntry.payload.contains(needle, autoescape=True),
    )
    if shown_to is not None:
        query = query.where(AuditEntry.actor == f"user:{shown_to.id}")
    payloads = db.session.scalars(query)
    ranks = [row["rank"] for p in payloads for row in json.loads(p)["shown"] if row["candidate"] == candidate_ref]
    return min(ranks) if ranks else None


def _actor(event: ApplicationEvent) -> User | None:
    return db.session.get(User, event.actor_id) if event.actor_id else None


def _notify(event: ApplicationEvent) -> None:
    """Send the decision's notices, and log that they went (to whom, and a hash of what they said)."""
    application = event.application
    person, opportunity = application.employee, application.opportunity
    subject = f"{SUBJECTS[A(event.action)]}: {opportunity.title}"
    sent: list[int] = []
    texts: set[str] = set()
    for number, notice in enumerate(notices_for(event)):
        key = f"application-event:{event.id}:{number}"
        for recipient in notice.recipients:
            if recipient.id == person.id:
                link = app_path("applications.mine")
            elif recipient.id == opportunity.host_manager_id:
                link = app_path("host.applicants", opportunity_id=opportunity.id)
            else:
                link = app_path("team.overview")
            sent += notify([recipient], NotificationKind.APPLICATION_DECISION, subject, notice.message, link=link,
                           dedupe_key=key)
        if notice.talent_team:
            sent += notify(_talent_team(), NotificationKind.APPLICATION_DECISION, subject, notice.message,
                           link=app_path("selection.queue"), dedupe_key=key)
        texts.add(notice.message)
    if sent:
        _log_notices(event, sent, texts)


def _log_notices(event: ApplicationEvent, notification_ids: list[int], texts: set[str]) -> None:
    """A 'notice.sent' entry: who was told of the decision, with hashes of the words (the texts stay in the inbox)."""
    recipients = db.session.scalars(
        sa.select(Notification.recipient_id).where(Notification.id.in_(notification_ids))
    ).all()
    payload = {
        "event": event.id,
        "decision": f"application.{event.action}",
        "decision_seq": event.audit_seq,
        "recipients": sorted({f"user:{r}" for r in recipients}),
        "notifications": sorted(notification_ids),
        "texts_sha256": sorted(hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts),
    }
    audit.record("notice.sent", audit.reference(event.application), payload=payload, actor=None, role="system")


def _talent_team() -> list[User]:
    query = sa.select(User).join(UserRole).where(UserRole.role == Role.TALENT.value)
    return list(db.session.scalars(query))
