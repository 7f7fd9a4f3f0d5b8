"""Explanation requests: an applicant not selected asks why, and the host or the talent team answers in writing.

Both steps are audit entries about the application. The log carries only references and SHA-256
digests of the texts, so it proves what was asked and answered while the words stay in the app's
own table (where they can be corrected or erased under data-protection rules).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    AuditEntry,
    ExplanationRequest,
    NotificationKind,
    Opportunity,
    OpportunityStatus,
    Role,
    User,
    UserRole,
)
from marketplace.services import audit
from marketplace.services.audit.verify import DECISION_CHECKS
from marketplace.services.notifications import app_path, notify

QUESTION_MAX = 2000
ANSWER_MAX = 4000
# Outcomes that were not the applicant's own choice and end their chance at the opportunity.
NOT_SELECTED_ENDS = (OpportunityStatus.FILLED, OpportunityStatus.CANCELLED)
OWN_ENDINGS = (ApplicationStatus.OFFER_ACCEPTED, ApplicationStatus.OFFER_DECLINED, ApplicationStatus.WITHDRAWN)
PART_NAMES = {
    "required": "Required skills", "nice_to_have": "Nice-to-have skills", "development": "Skills the role develops",
    "profile": "Profile and experience", "fit": "Fit now", "growth": "Growth", "score": "Overall match",
}


@dataclass(frozen=True)
class Record:
    """What the marketplace holds about the outcome, shown to the applicant with the answer."""

    decision: ApplicationEvent | None  # the rejection, if there was one
    parts: list[tuple[str, float]]  # the match explanation a reviewer last saw for them, if any


def was_not_selected(application: Application) -> bool:
    """Rejected, or the opportunity was filled or cancelled without them: the outcomes one may ask about."""
    status = ApplicationStatus(application.status)
    if status == ApplicationStatus.REJECTED:
        return True
    return status not in OWN_ENDINGS and application.opportunity.status in NOT_SELECTED_ENDS


def open_request(application: Application) -> ExplanationRequest | None:
    """The application's unanswered request, if any."""
    return db.session.scalar(sa.select(ExplanationRequest).where(
        ExplanationRequest.application_id == application.id, ExplanationRequest.answered_at.is_(None)
    ))


def requests_of(applications: list[Application]) -> dict[int, list[ExplanationRequest]]:
    """Every request on these applications, oldest first, by application id."""
    ids = [a.id for a in applications]
    found: dict[int, list[ExplanationRequest]] = {i: [] for i in ids}
    if ids:
        for row in db.session.scalars(sa.select(ExplanationRequest).where(ExplanationRequest.application_id.in_(ids))
                                      .order_by(ExplanationRequest.asked_at, ExplanationRequest.id)):
            found[row.application_id].append(row)
    return found


def open_requests(opportunity: Opportunity | None = None) -> list[ExplanationRequest]:
    """Unanswered requests, oldest first: of one opportunity (the host's list) or all (the talent team's)."""
    query = (
        sa.select(ExplanationRequest).join(Application)
        .where(ExplanationRequest.answered_at.is_(None))
        .options(selectinload(ExplanationRequest.application).selectinload(Application.employee))
        .order_by(ExplanationRequest.asked_at, ExplanationRequest.id)
    )
    if opportunity is not None:
        query = query.where(Application.opportunity_id == opportunity.id)
    return list(db.session.scalars(query))


def ask(application: Application, actor: User, question: str) -> ExplanationRequest:
    """The applicant asks why they were not selected; the host and the talent team are told. Commits."""
    if actor.employee_id is None or actor.employee_id != application.employee_id:
        raise DomainError("Only the applicant can ask why they were not selected.", status_code=403)
    if not was_not_selected(application):
        raise DomainError("You can ask for an explanation once the application was not taken forward.",
                          status_code=409)
    question = _text(question, QUESTION_MAX, "question", "Write your question.")
    if open_request(application) is not None:
        raise DomainError("You already asked about this application; the answer will follow.", status_code=409)
    request = ExplanationRequest(application=application, question=question, asked_at=utcnow())
    db.session.add(request)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # a second click that raced the first: one open request per application
        db.session.rollback()
        raise DomainError("You already asked about this application; the answer will follow.", status_code=409)
    entry = audit.record("explanation.requested", audit.reference(application), actor=actor, role="applicant",
                         payload={**_references(request), "question_sha256": digest(question)})
    request.asked_audit_seq = entry.seq
    opportunity = application.opportunity
    subject = f"Explanation requested: {opportunity.title}"
    body = f"{application.employee.name} asks why they were not selected for “{opportunity.title}”."
    key = f"explanation-request:{request.id}"
    notify([opportunity.host_manager], NotificationKind.EXPLANATION_REQUESTED, subject, body,
           link=app_path("host.applicants", opportunity_id=opportunity.id), dedupe_key=key)
    notify(_talent_team(), NotificationKind.EXPLANATION_REQUESTED, subject, body,
           link=app_path("selection.queue"), dedupe_key=key)
    db.session.commit()
    return request


def answer(request: ExplanationRequest, actor: User, text: str) -> ExplanationRequest:
    """The host of the opportunity or the talent team answers in writing; the applicant is told. Commits."""
    application = request.application
    role = _answering_role(actor, application)
    text = _text(text, ANSWER_MAX, "answer", "Write the answer.")
    now = utcnow()
    # Conditional on still being open, so two people answering at once cannot both do it.
    done = db.session.execute(
        sa.update(ExplanationRequest)
        .where(ExplanationRequest.id == request.id, ExplanationRequest.answered_at.is_(None))
        .values(answer=text, answered_by_id=actor.id, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        db.session.rollback()
        raise DomainError("This request was already answered.", status_code=409)
    request.answer, request.answered_by_id, request.answered_at = text, actor.id, now
    entry = audit.record("explanation.answered", audit.reference(application), actor=actor, role=role,
                         payload={**_references(request), "answer_sha256": digest(text)})
    request.answered_audit_seq = entry.seq
    title = application.opportunity.title
    notify([application.employee], NotificationKind.EXPLANATION_ANSWERED, f"Your question answered: {title}",
           f"Your question about “{title}” has an answer.", link=app_path("applications.mine"),
           dedupe_key=f"explanation-answer:{request.id}")
    db.session.commit()
    return request


def may_answer(actor: User, application: Application) -> bool:
    """Whether ``actor`` may answer requests about this application."""
    try:
        _answering_role(actor, application)
    except DomainError:
        return False
    return True


def record_of(application: Application) -> Record:
    """The recorded rejection and the match parts a reviewer last saw for the applicant, for the answer."""
    decision = next((e for e in reversed(application.events) if e.action == "reject"), None)
    candidate = audit.reference(application.employee)
    payloads = db.session.scalars(
        sa.select(AuditEntry.payload)
        .where(AuditEntry.action == "ranking.shown", AuditEntry.subject == audit.reference(application.opportunity),
               AuditEntry.payload.contains(f'"candidate":"{candidate}"', autoescape=True))
        .order_by(AuditEntry.seq.desc()).limit(1)
    )
    parts: list[tuple[str, float]] = []
    for payload in payloads:
        row = next(r for r in json.loads(payload)["shown"] if r["candidate"] == candidate)
        parts = [(PART_NAMES.get(k, k), v) for k, v in (row.get("parts") or {}).items() if v is not None]
    return Record(decision, parts)


def requests_without_entries():
    """For `flask audit verify`: each question and answer points at its entry, whose digest matches the text."""
    query = sa.select(ExplanationRequest).order_by(ExplanationRequest.id)
    for request in db.session.scalars(query):
        steps = [("requested", request.asked_audit_seq, "question", request.question)]
        if request.answered_at is not None:
            steps.append(("answered", request.answered_audit_seq, "answer", request.answer))
        for step, seq, field, text in steps:
            what = f"explanation request {request.id} ({field})"
            entry = db.session.get(AuditEntry, seq) if seq is not None else None
            if entry is None:
                yield seq, f"{what} has no audit entry"
            elif (entry.action, entry.subject) != (f"explanation.{step}", f"application:{request.application_id}"):
                yield seq, f"{what} points at audit entry {seq}, which records something else"
            elif json.loads(entry.payload).get(f"{field}_sha256") != digest(text or ""):
                yield seq, f"{what} was changed after it was logged: its SHA-256 differs from audit entry {seq}"


# The verifier runs every registered check; registering here keeps the audit package free of features.
DECISION_CHECKS.append(requests_without_entries)


def digest(text: str) -> str:
    """Hex SHA-256 of a text as stored, so the log can prove it without holding it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _references(request: ExplanationRequest) -> dict:
    application = request.application
    return {"request": request.id, "opportunity": audit.reference(application.opportunity),
            "candidate": audit.reference(application.employee)}


def _answering_role(actor: User, application: Application) -> str:
    if actor.employee_id is not None and actor.employee_id == application.employee_id:
        raise DomainError("You cannot answer your own request.", status_code=403)
    if actor.has_role(Role.HOST_MANAGER) and actor.employee_id == application.opportunity.host_manager_id:
        return "host"
    if actor.has_role(Role.TALENT):
        return "talent"
    raise DomainError("Only the host manager of the opportunity or the talent team can answer.", status_code=403)


def _text(text: str | None, limit: int, field: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(missing, field=field)
    if len(text) > limit:
        raise DomainError(f"Keep the {field} to {limit:,} characters.", field=field)
    return text


def _talent_team() -> list[User]:
    return list(db.session.scalars(sa.select(User).join(UserRole).where(UserRole.role == Role.TALENT.value)))
