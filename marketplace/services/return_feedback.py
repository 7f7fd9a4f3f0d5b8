"""What comes back from a secondment: the returner's knowledge-capture note for the home team, and an
evaluation from each of the three parties (secondee, home manager, host manager), which the talent team
sees in aggregate (services/return_figures.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    Employee,
    Evaluation,
    EvaluationQuestion,
    EvaluationRating,
    KnowledgeNote,
    NotificationKind,
    Secondment,
    SecondmentParty,
    SecondmentStatus,
    User,
)
from marketplace.models.returns import EVALUATING
from marketplace.services import secondment_records
from marketplace.services.explanations import digest
from marketplace.services.notifications import app_path, notify
from marketplace.services.returns import reviewable, written
from marketplace.services.secondments import parties

P = SecondmentParty
NOTE_MAX = 10_000
COMMENTS_MAX = 4000
NOTE_OPEN = (SecondmentStatus.ACTIVE.value, SecondmentStatus.ENDED.value)
PARTY_NAMES = {P.EMPLOYEE: "secondee", P.HOME_MANAGER: "home manager", P.HOST_MANAGER: "host manager"}
RATING_WORDS = {1: "Strongly disagree", 2: "Disagree", 3: "Neither agree nor disagree", 4: "Agree",
                5: "Strongly agree"}


# ------------------------------------------------------------------ the knowledge-capture note


def note_of(secondment: Secondment) -> KnowledgeNote | None:
    """The returner's note for their home team, if written."""
    return db.session.scalar(sa.select(KnowledgeNote).where(KnowledgeNote.secondment_id == secondment.id))


def home_team(secondment: Secondment) -> list[Employee]:
    """The secondee's home team: the home manager's other direct reports."""
    if secondment.home_manager_id is None:
        return []
    return list(db.session.scalars(
        sa.select(Employee).where(Employee.manager_id == secondment.home_manager_id,
                                  Employee.id != secondment.employee_id).order_by(Employee.name)
    ))


def may_read_note(user: User, secondment: Secondment) -> bool:
    """The secondment's parties and the secondee's home team read the note."""
    if parties(user, secondment):
        return True
    me = user.employee if user.is_authenticated else None
    return (me is not None and secondment.home_manager_id is not None and me.manager_id == secondment.home_manager_id)


def may_write_note(user: User, secondment: Secondment) -> bool:
    """Only the secondee writes it, once the secondment has started."""
    return secondment.status in NOTE_OPEN and P.EMPLOYEE in parties(user, secondment)


def write_note(secondment: Secondment, *, actor: User, text: str | None) -> KnowledgeNote:
    """The secondee writes or improves their note; the first version tells the home manager and team; commits."""
    if P.EMPLOYEE not in parties(actor, secondment):
        raise DomainError("Only the secondee writes the knowledge-capture note.", status_code=403)
    if secondment.status not in NOTE_OPEN:
        raise DomainError("The note is written once the secondment has started.", status_code=409)
    text = written(text, field="text", limit=NOTE_MAX, missing="Write what you learnt for your home team.")
    note, now = note_of(secondment), utcnow()
    first = note is None
    if first:
        note = KnowledgeNote(secondment=secondment, text=text, written_at=now, updated_at=now)
        db.session.add(note)
        try:
            db.session.flush()
        except sa.exc.IntegrityError:
            db.session.rollback()
            raise DomainError("Your note was saved from another window first; reload the page.", status_code=409)
    else:
        note.text, note.updated_at = text, now
    event = secondment_records.record(
        secondment, "knowledge_note.written" if first else "knowledge_note.updated", actor=actor, role=P.EMPLOYEE,
        summary="Knowledge-capture note written for the home team" if first else "Knowledge-capture note updated",
        detail={"text_sha256": digest(text)}, tell=(P.HOME_MANAGER,) if first else (),
    )
    if first:
        title = secondment.opportunity.title
        notify(home_team(secondment), NotificationKind.KNOWLEDGE_NOTE, f"What {secondment.employee.name} learnt: {title}",
               f"{secondment.employee.name} wrote up what they learnt on their secondment to “{title}” for the team.",
               link=app_path("return_feedback.note", secondment_id=secondment.id),
               dedupe_key=f"knowledge-note:{event.id}")
    db.session.commit()
    return note


# ------------------------------------------------------------------ evaluations


def evaluating_party(user: User, secondment: Secondment) -> SecondmentParty | None:
    """The capacity in which ``user`` evaluates the secondment: secondee, home manager or host manager."""
    parts = parties(user, secondment)
    return next((party for party in EVALUATING if party in parts), None)


def evaluations_of(secondment: Secondment) -> dict[str, Evaluation]:
    """The evaluations given so far, by party."""
    rows = db.session.scalars(
        sa.select(Evaluation).where(Evaluation.secondment_id == secondment.id).options(selectinload(Evaluation.ratings))
    )
    return {row.party: row for row in rows}


def evaluate(
    secondment: Secondment, *, actor: User, ratings: dict[str, int | None], comments: str | None
) -> Evaluation:
    """One party's evaluation, once: a rating from 1 to 5 on every question and optional words; commits."""
    party = evaluating_party(actor, secondment)
    if party is None:
        raise DomainError("The secondee, the home manager and the host manager evaluate the secondment.",
                          status_code=403)
    if not reviewable(secondment):
        raise DomainError("The evaluation opens when the secondment has ended.", status_code=409)
    if party.value in evaluations_of(secondment):
        raise DomainError("You have already given your evaluation of this secondment.", status_code=409)
    for question in EvaluationQuestion:
        if ratings.get(question.value) not in RATING_WORDS:
            raise DomainError(f"Rate “{question.label}” from 1 to 5.", field=question.value)
    evaluation = Evaluation(
        secondment=secondment, party=party.value, submitted_by_id=actor.id, submitted_at=utcnow(),
        comments=written(comments, field="comments", missing="", limit=COMMENTS_MAX, required=False),
        ratings=[EvaluationRating(question=q.value, rating=ratings[q.value]) for q in EvaluationQuestion],
    )
    db.session.add(evaluation)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise DomainError("You have already given your evaluation of this secondment.", status_code=409)
    secondment_records.record(
        secondment, "evaluation.submitted", actor=actor, role=party,
        summary=f"Evaluation given by the {PARTY_NAMES[party]}",
        detail={"party": party.value, "ratings": {q.value: ratings[q.value] for q in EvaluationQuestion},
                "comments_sha256": digest(evaluation.comments)},
    )
    db.session.commit()
    return evaluation
