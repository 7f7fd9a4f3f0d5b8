"""Signing a version of the agreement: the secondee, the home manager and the host manager, once each, timed.

Each signature holds the SHA-256 of the terms it was given to, and a signer signs the revision they
read: an edit in between refuses the signature rather than binding it to words nobody showed them.
Signers lock the version's row first, so two people signing at once are taken one after the other:
the second sees the first's signature, and exactly one of them completes the version. When the
third signature is in, the version comes into force: its dates and check-in frequency are copied
to the secondment, and a first agreement moves the secondment to "agreement signed".
"""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.formatting import format_date
from marketplace.models import (
    AgreementSignature,
    AgreementStatus,
    SecondmentAgreement,
    SecondmentParty,
    SecondmentStatus,
    User,
)
from marketplace.models.agreement import SIGNERS
from marketplace.services import agreement_terms, agreements, secondment_records, secondments
from marketplace.services.duration_cap import cap_warning

P = SecondmentParty
NOT_STARTED = (SecondmentStatus.PLANNED.value, SecondmentStatus.AGREEMENT_SIGNED.value)


def signer_parties(user: User, agreement: SecondmentAgreement) -> list[SecondmentParty]:
    """The parties ``user`` may sign for; the talent team signs for a secondee who has no home manager on record."""
    secondment = agreement.secondment
    parts = secondments.parties(user, secondment)
    if secondment.home_manager_id is None and P.TALENT in parts:
        parts.add(P.HOME_MANAGER)
    return [party for party in SIGNERS if party in parts]


def still_to_sign(agreement: SecondmentAgreement) -> list[SecondmentParty]:
    """The signers whose signature the version still lacks."""
    return [party for party in SIGNERS if agreement.signature_of(party) is None]


def may_sign(user: User, agreement: SecondmentAgreement) -> list[SecondmentParty]:
    """The parties ``user`` may sign for on this version now (none once it is signed or the secondment ended)."""
    if not agreement.is_draft or agreement.secondment.status == SecondmentStatus.ENDED.value:
        return []
    return [party for party in signer_parties(user, agreement) if agreement.signature_of(party) is None]


def sign(
    agreement: SecondmentAgreement, *, actor: User, party: SecondmentParty | str, revision: int
) -> SecondmentAgreement:
    """Sign the revision of the version that ``actor`` read, for ``party``; the third signature brings it into force.

    Commits; refuses (403/409) a signer who is not that party, a version already signed, changed since it
    was read, or still incomplete.
    """
    secondment = agreement.secondment
    if party not in SecondmentParty.values() or P(party) not in signer_parties(actor, agreement):
        raise DomainError("Only the secondee, the home manager and the host manager sign, each for themselves.",
                          status_code=403)
    party = P(party)
    _check_signable(agreement)
    locked = db.session.execute(  # a write that changes nothing but takes the row lock
        sa.update(SecondmentAgreement)
        .where(SecondmentAgreement.id == agreement.id, SecondmentAgreement.revision == revision,
               SecondmentAgreement.status == AgreementStatus.DRAFT.value)
        .values(updated_at=SecondmentAgreement.updated_at)
        .execution_options(synchronize_session=False)
    )
    if locked.rowcount != 1:
        db.session.rollback()
        raise DomainError("The terms changed, or were signed by everyone, while you were reading them. Read this "
                          "version again before you sign.", status_code=409)
    signed_terms = agreement_terms.digest(agreement.terms)
    db.session.add(AgreementSignature(agreement_id=agreement.id, party=party.value, signed_by_id=actor.id,
                                      signer_name=actor.display_name, signed_at=utcnow(), terms_sha256=signed_terms))
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise DomainError(f"Version {agreement.version} is already signed for {agreements.PARTY_NAMES[party]}.",
                          status_code=409)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(AgreementSignature)
                              .where(AgreementSignature.agreement_id == agreement.id))
    complete = count == len(SIGNERS)
    secondment_records.record(
        secondment, "agreement.signed", actor=actor, role=party,
        summary=f"Agreement v{agreement.version} signed by {actor.display_name} ({agreements.PARTY_NAMES[party]})",
        detail={"version": agreement.version, "revision": revision, "party": party.value,
                "terms_sha256": signed_terms},
        tell=() if complete else SIGNERS,  # the last signature's news is that it is signed by everyone
    )
    if complete:
        _bring_into_force(agreement, actor=actor, party=party)
    else:
        db.session.commit()
    db.session.refresh(agreement)
    return agreement


def _check_signable(agreement: SecondmentAgreement) -> None:
    if agreement.secondment.status == SecondmentStatus.ENDED.value:
        raise DomainError("This secondment has ended; there is nothing left to sign.", status_code=409)
    if not agreement.is_draft:
        raise DomainError(f"Version {agreement.version} is {AgreementStatus(agreement.status).label.lower()}: "
                          "there is nothing to sign on it.", status_code=409)
    problems = agreement_terms.problems_of(agreement.terms, agreements.rules_for(agreement.secondment))
    if problems:
        missing = ", ".join(agreement_terms.TERMS[name].label.lower() for name in problems)
        raise DomainError(f"The agreement is not complete yet ({missing}). The managers or the talent team finish "
                          "it first.", status_code=409)


def _bring_into_force(agreement: SecondmentAgreement, *, actor: User, party: SecondmentParty) -> None:
    """Everyone signed: this version replaces the one in force, and the secondment follows its terms; commits."""
    secondment = agreement.secondment
    replaced = agreements.in_force(secondment)
    if replaced is not None:
        replaced.status = AgreementStatus.SUPERSEDED.value
    agreement.status, agreement.signed_at = AgreementStatus.SIGNED.value, utcnow()
    start, end = agreement_terms.start_and_end(agreement.terms)
    previous_end = secondment.end_date
    planned = secondment.status == SecondmentStatus.PLANNED.value
    if secondment.status in NOT_STARTED:  # once it runs, its start stays (agreements.rules_for)
        secondment.start_date = start
    secondment.end_date = end
    secondment.check_in_frequency = agreement.terms["check_in_frequency"]
    detail = {"version": agreement.version, "terms_sha256": agreement_terms.digest(agreement.terms),
              "start_date": secondment.start_date.isoformat(), "end_date": end.isoformat(),
              "previous_end_date": previous_end.isoformat(), "check_in_frequency": secondment.check_in_frequency,
              "past_cap": cap_warning(secondment.start_date, end) is not None}
    if planned:
        secondments.move(secondment, SecondmentStatus.AGREEMENT_SIGNED, actor=actor, role=party, detail=detail,
                         summary=f"Agreement v{agreement.version} signed by everyone")  # commits
        return
    action, summary = _what_came_into_force(agreement, previous_end, end)
    secondment_records.record(secondment, action, actor=actor, role=party, summary=summary, detail=detail,
                              tell=(P.EMPLOYEE, P.HOME_MANAGER, P.HOST_MANAGER, P.TALENT))
    db.session.commit()


def _what_came_into_force(agreement: SecondmentAgreement, previous_end, end) -> tuple[str, str]:
    n = agreement.version
    if end > previous_end:
        return "agreement.extended", f"Extended to {format_date(end)} by amendment v{n}, signed by everyone"
    if end < previous_end:
        return "agreement.amended", f"Return date moved to {format_date(end)} by amendment v{n}, signed by everyone"
    return "agreement.amended", f"{'Amendment' if agreement.is_amendment else 'Agreement'} v{n} signed by everyone"


def expected_signers(secondment) -> list[tuple[SecondmentParty, str]]:
    """Each signer with the name of the person who signs for them."""
    home = secondment.home_manager.name if secondment.home_manager else "The talent team (no home manager on record)"
    return [(P.EMPLOYEE, secondment.employee.name), (P.HOME_MANAGER, home),
            (P.HOST_MANAGER, secondment.host_manager.name)]
