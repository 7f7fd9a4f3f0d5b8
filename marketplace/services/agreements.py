"""The secondment agreement: version 1 drafted from the accepted offer, its versions, and editing a draft.

Both managers and the talent team write the agreement until everyone has signed it; the secondee
reads and signs (services/agreement_signing.py). An edit after someone signed clears their
signature, because they signed other words. Amendments are new versions
(services/agreement_amendments.py); signed versions are never changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from marketplace.clock import today, utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    AgreementSignature,
    AgreementStatus,
    OpportunityType,
    SecondmentAgreement,
    SecondmentParty,
    SecondmentStatus,
    SkillRequirement,
    TerminationTrigger,
    User,
)
from marketplace.models.agreement import SIGNERS
from marketplace.models.enums import CheckInFrequency, ReturnArrangement, SalaryPayer
from marketplace.models.secondment import Secondment
from marketplace.services import agreement_terms, secondment_records
from marketplace.services.secondments import parties

P = SecondmentParty
# who writes the agreement, in the order their capacity is recorded when someone holds several
EDITORS = (P.HOST_MANAGER, P.HOME_MANAGER, P.TALENT)
PARTY_NAMES = {P.EMPLOYEE: "the secondee", P.HOME_MANAGER: "the home manager", P.HOST_MANAGER: "the host manager",
               P.TALENT: "the talent team"}


def versions(secondment: Secondment) -> list[SecondmentAgreement]:
    """Every version of the secondment's agreement, oldest first."""
    return list(db.session.scalars(
        sa.select(SecondmentAgreement).where(SecondmentAgreement.secondment_id == secondment.id)
        .order_by(SecondmentAgreement.version)
    ))


def version_of(secondment: Secondment, number: int) -> SecondmentAgreement | None:
    """Version ``number`` of the secondment's agreement, or None."""
    return db.session.scalar(sa.select(SecondmentAgreement).where(
        SecondmentAgreement.secondment_id == secondment.id, SecondmentAgreement.version == number
    ))


def next_version(secondment: Secondment) -> int:
    """The number the next version takes: one past every version so far, withdrawn ones included."""
    newest = db.session.scalar(sa.select(sa.func.max(SecondmentAgreement.version))
                               .where(SecondmentAgreement.secondment_id == secondment.id))
    return (newest or 0) + 1


def in_force(secondment: Secondment) -> SecondmentAgreement | None:
    """The signed version whose terms hold now, if any."""
    return _with_status(secondment, AgreementStatus.SIGNED)


def open_draft(secondment: Secondment) -> SecondmentAgreement | None:
    """The version being written and signed (the first draft, or a proposed amendment), if any."""
    return _with_status(secondment, AgreementStatus.DRAFT)


def _with_status(secondment: Secondment, status: AgreementStatus) -> SecondmentAgreement | None:
    return db.session.scalar(sa.select(SecondmentAgreement).where(
        SecondmentAgreement.secondment_id == secondment.id, SecondmentAgreement.status == status.value
    ).order_by(SecondmentAgreement.version.desc()).limit(1))


def current(secondment: Secondment) -> SecondmentAgreement | None:
    """The version people act on: the open draft, else the one in force, else the newest."""
    return open_draft(secondment) or in_force(secondment) or next(reversed(versions(secondment)), None)


def ensure_agreement(secondment: Secondment) -> SecondmentAgreement | None:
    """``current``, drafting version 1 first for a secondment that has none yet (older rows, demo data); commits then.

    An ended secondment without an agreement gets none: there is nothing left to agree.
    """
    found = current(secondment)
    if found is not None or secondment.status == SecondmentStatus.ENDED.value:
        return found
    agreement = draft_first(secondment)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # someone else's first view drafted it at the same moment
        db.session.rollback()
        return current(secondment)
    return agreement


def draft_first(secondment: Secondment, actor: User | None = None) -> SecondmentAgreement:
    """Version 1, prefilled from the accepted offer (not committed)."""
    agreement = SecondmentAgreement(secondment=secondment, version=1, status=AgreementStatus.DRAFT.value,
                                    terms=first_terms(secondment), created_by=actor)
    db.session.add(agreement)
    db.session.flush()
    return agreement


def first_terms(secondment: Secondment) -> dict:
    """The first draft's terms: what the offer already says, and the usual wording for the rest to adjust."""
    opportunity, employee = secondment.opportunity, secondment.employee
    return {
        "purpose": opportunity.description.strip()[:4000],
        "objectives": [row.skill.name for row in opportunity.skills_of(SkillRequirement.DEVELOPS)],
        "learning_goals": [goal.label for goal in employee.development_goals],
        "start_date": secondment.start_date.isoformat(),
        "end_date": secondment.end_date.isoformat(),
        "working_percent": opportunity.time_commitment_percent,
        "working_hours": None,
        "working_pattern": f"{opportunity.remote_policy.replace('_', ' ').capitalize()} working.",
        "location": opportunity.location,
        "host_day_to_day_manager": secondment.host_manager.name,
        "home_manager": secondment.home_manager.name if secondment.home_manager else "",
        "host_performance": "The host day-to-day manager sets the work, gives feedback at each check-in and tells "
                            "the home manager early of any concern.",
        "home_performance": "The home manager keeps the appraisal, informed by the host's check-in feedback, and "
                            "stays in touch with the secondee at least once a quarter.",
        "salary_paid_by": SalaryPayer.HOME.value,
        "recharge_percent": opportunity.recharge_percent or 0,
        "expenses": "The host pays the travel and other expenses of its work, claimed through its own process.",
        "overtime_and_bonus": "Overtime follows the home organisation's policy and is agreed with the host "
                              "beforehand. Bonus stays with the home organisation, informed by the host's feedback.",
        "leave": "The secondee keeps their leave entitlement. The home manager approves leave; the host is told "
                 "before it is booked.",
        "confidentiality": "The secondee keeps the host's information confidential during the secondment and after "
                           "it, as they do the home organisation's.",
        "intellectual_property": "What the secondee produces for the host during the secondment belongs to the "
                                 "host, unless agreed otherwise in writing.",
        "insurance_indemnity": "The home organisation's employer's liability insurance covers the secondee; the host "
                               "covers them under its public liability insurance while they work for it.",
        "tax_immigration": "",
        "notice_weeks": 4,
        "termination_triggers": [TerminationTrigger.MISCONDUCT.value, TerminationTrigger.LONG_TERM_SICKNESS.value,
                                 TerminationTrigger.ORGANISATIONAL_CHANGE.value],
        "termination_notes": "",
        "return_arrangement": ReturnArrangement.ORIGINAL_ROLE.value,
        "return_role": "",
        "backfill_plan": None,  # the home manager's decision: the draft asks for it
        "backfill_notes": "",
        "check_in_frequency": secondment.check_in_frequency or CheckInFrequency.MONTHLY.value,
    }


def rules_for(secondment: Secondment) -> agreement_terms.Rules:
    """The rules the secondment's terms must meet."""
    started = secondment.status in (SecondmentStatus.ACTIVE.value, SecondmentStatus.ENDED.value)
    return agreement_terms.Rules(
        international=secondment.opportunity.type == OpportunityType.INTERNATIONAL.value,
        started_on=secondment.start_date if started else None,
        ends_after=today() if secondment.status == SecondmentStatus.ACTIVE.value else None,
    )


def editor_role(user: User, secondment: Secondment) -> SecondmentParty | None:
    """The capacity in which ``user`` may write the agreement, or None (the secondee reads and signs)."""
    parts = parties(user, secondment)
    if P.EMPLOYEE in parts:
        return None
    return next((party for party in EDITORS if party in parts), None)


def may_edit(user: User, agreement: SecondmentAgreement) -> bool:
    """Whether ``user`` may change this version now."""
    return (agreement.is_draft and agreement.secondment.status != SecondmentStatus.ENDED.value
            and editor_role(user, agreement.secondment) is not None)


def check_editable(user: User, agreement: SecondmentAgreement) -> SecondmentParty:
    """Refuse someone who may not change this version; their capacity when they may."""
    role = editor_role(user, agreement.secondment)
    if role is None:
        raise DomainError("The host manager, the home manager and the talent team write the agreement; the "
                          "secondee reads and signs it.", status_code=403)
    if agreement.secondment.status == SecondmentStatus.ENDED.value:
        raise DomainError("This secondment has ended; its agreement can no longer change.", status_code=409)
    if not agreement.is_draft:
        raise DomainError(f"Version {agreement.version} is {AgreementStatus(agreement.status).label.lower()}: it "
                          "stays as it is. Propose an amendment to change the terms.", status_code=409)
    return role


@dataclass(frozen=True)
class Edit:
    """What an edit did: the terms it changed, and the names of those whose signatures it cleared."""

    agreement: SecondmentAgreement
    changed: list[str]
    cleared: list[str]


def edit(agreement: SecondmentAgreement, *, actor: User, values: dict, revision: int) -> Edit:
    """Save new terms over the draft the editor read (``revision``); clears any signatures; commits."""
    role = check_editable(actor, agreement)
    secondment = agreement.secondment
    document = agreement_terms.clean(values, rules_for(secondment))
    changed = agreement_terms.changed(agreement.terms, document)
    if not changed:  # saving the same words again clears nobody's signature
        return Edit(agreement, [], [])
    cleared = [(s.party, s.signer_name) for s in agreement.signatures]
    result = db.session.execute(
        sa.update(SecondmentAgreement)
        .where(SecondmentAgreement.id == agreement.id, SecondmentAgreement.revision == revision,
               SecondmentAgreement.status == AgreementStatus.DRAFT.value)
        .values(terms=document, revision=revision + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise DomainError("Someone else changed or signed this version while you were editing it. Reload it, then "
                          "make your changes again.", status_code=409)
    db.session.execute(sa.delete(AgreementSignature).where(AgreementSignature.agreement_id == agreement.id))
    labels = ", ".join(agreement_terms.TERMS[name].label.lower() for name in changed)
    summary = f"Agreement v{agreement.version} changed: {labels}"
    if cleared:
        summary = (f"Agreement v{agreement.version} changed after it was signed, so the signatures are cleared and "
                   f"everyone signs again; changed: {labels}")
    secondment_records.record(
        secondment, "agreement.edited", actor=actor, role=role, summary=summary,
        detail={"version": agreement.version, "revision": revision + 1, "changed": changed,
                "signatures_cleared": [party for party, _ in cleared],
                "terms_sha256": agreement_terms.digest(document)},
        tell=SIGNERS,
    )
    db.session.commit()
    db.session.refresh(agreement)
    return Edit(agreement, changed, [name for _, name in cleared])
