"""Amendments: a new version of a signed agreement, such as an extension to a later return date.

The host manager, the home manager or the talent team proposes one with its new return date and
what it changes; it starts as a copy of the terms in force, is edited like any draft, and comes into
force when all three sign it (services/agreement_signing.py), which moves the secondment's end date.
The secondment stays the same row and stays active through an extension: its check-ins, timeline
and calendar simply run on to the new date.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from marketplace.clock import today
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.formatting import format_date
from marketplace.models import AgreementStatus, SecondmentAgreement, SecondmentParty, SecondmentStatus, User
from marketplace.models.agreement import SIGNERS
from marketplace.models.secondment import Secondment
from marketplace.services import agreement_terms, agreements, secondment_records
from marketplace.services.duration_cap import cap_warning

AMENDABLE = (SecondmentStatus.AGREEMENT_SIGNED.value, SecondmentStatus.ACTIVE.value)
NOTE_MAX = 2000


def can_amend(secondment: Secondment) -> bool:
    """Whether the secondment may be amended now: signed or running, with nothing else open for signing."""
    return (secondment.status in AMENDABLE and agreements.open_draft(secondment) is None
            and agreements.in_force(secondment) is not None)


def check_allowed(secondment: Secondment, actor: User) -> SecondmentParty:
    """Refuse someone who may not amend the secondment now; their capacity when they may."""
    role = agreements.editor_role(actor, secondment)
    if role is None:
        raise DomainError("The host manager, the home manager or the talent team proposes an amendment; the "
                          "secondee asks one of them.", status_code=403)
    if secondment.status not in AMENDABLE or agreements.in_force(secondment) is None:
        raise DomainError("Only a signed or running secondment can be amended.", status_code=409)
    draft = agreements.open_draft(secondment)
    if draft is not None:
        raise DomainError(f"Version {draft.version} is already open for signing; change that one, or withdraw it "
                          "first.", status_code=409)
    return role


def check(secondment: Secondment, *, actor: User, end_date: dt.date | None, note: str | None) -> SecondmentParty:
    """Refuse an amendment that may not be proposed as asked; the proposer's capacity when it may."""
    role = check_allowed(secondment, actor)
    if end_date is None:
        raise DomainError("Give the return date.", field="end_date")
    if end_date <= max(secondment.start_date, today()):
        raise DomainError("The new return date comes after the start and after today; to end the secondment "
                          "sooner, end it early.", field="end_date")
    if not (note or "").strip():
        raise DomainError("Say what the amendment changes, and why.", field="note")
    if len(note.strip()) > NOTE_MAX:
        raise DomainError(f"Keep it to {NOTE_MAX:,} characters.", field="note")
    return role


def warning(secondment: Secondment, end_date: dt.date | None) -> str | None:
    """The duration cap's warning for a secondment that would run to ``end_date``, if it passes the cap."""
    return cap_warning(secondment.start_date, end_date) if end_date else None


def propose(secondment: Secondment, *, actor: User, end_date: dt.date | None, note: str | None) -> SecondmentAgreement:
    """A new draft version: the terms in force with the new return date; tells the signers; commits."""
    role = check(secondment, actor=actor, end_date=end_date, note=note)
    signed = agreements.in_force(secondment)
    terms = dict(signed.terms, end_date=end_date.isoformat())
    amendment = SecondmentAgreement(  # numbered past any withdrawn amendment too
        secondment=secondment, version=agreements.next_version(secondment), status=AgreementStatus.DRAFT.value,
        terms=terms, change_note=note.strip(), created_by=actor,
        acting_up_opportunity_id=signed.acting_up_opportunity_id,
    )
    db.session.add(amendment)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # another amendment was proposed at the same moment
        db.session.rollback()
        raise DomainError("Another amendment was proposed at the same moment; reload the page.", status_code=409)
    past_cap = warning(secondment, end_date) is not None
    secondment_records.record(
        secondment, "agreement.amendment_proposed", actor=actor, role=role,
        summary=f"Amendment v{amendment.version} proposed: return date {format_date(end_date)} (was "
                f"{format_date(secondment.end_date)}){', past the duration cap' if past_cap else ''}",
        reason=amendment.change_note,
        detail={"version": amendment.version, "end_date": end_date.isoformat(),
                "previous_end_date": secondment.end_date.isoformat(), "past_cap": past_cap,
                "terms_sha256": agreement_terms.digest(terms)},
        tell=SIGNERS,
    )
    db.session.commit()
    return amendment


def withdraw(amendment: SecondmentAgreement, *, actor: User) -> SecondmentAgreement:
    """Drop a proposed amendment nobody needs any more; the terms in force stay; commits."""
    role = agreements.check_editable(actor, amendment)
    if not amendment.is_amendment:
        raise DomainError("The first agreement cannot be withdrawn; end the secondment instead.", status_code=409)
    result = db.session.execute(
        sa.update(SecondmentAgreement)
        .where(SecondmentAgreement.id == amendment.id, SecondmentAgreement.status == AgreementStatus.DRAFT.value)
        .values(status=AgreementStatus.WITHDRAWN.value)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise DomainError("This amendment was signed by everyone or withdrawn first; reload the page.",
                          status_code=409)
    in_force = agreements.in_force(amendment.secondment)
    secondment_records.record(
        amendment.secondment, "agreement.amendment_withdrawn", actor=actor, role=role,
        summary=f"Amendment v{amendment.version} withdrawn; the terms of v{in_force.version} stay in force",
        detail={"version": amendment.version}, tell=SIGNERS,
    )
    db.session.commit()
    db.session.refresh(amendment)
    return amendment
