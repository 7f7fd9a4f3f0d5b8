"""Backfill by acting up: the home manager posts, in one step, a draft opportunity for the home team.

When the agreement's backfill plan is an acting-up opportunity, someone in the home team can step
into the secondee's role while they are away. The draft is prefilled from the secondee's role
(title, department, location, their strongest skills as requirements) for the secondment's dates,
open to the home department only, hosted by the home manager, and linked back to the agreement.
The home manager then checks it and publishes it from Hosting like any opportunity.
"""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.clock import today
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.formatting import format_date
from marketplace.models import (
    AgreementStatus,
    BackfillPlan,
    Funding,
    Opportunity,
    OpportunityType,
    RemotePolicy,
    Role,
    SecondmentAgreement,
    SecondmentParty,
    SecondmentStatus,
    StretchTolerance,
    User,
    UserRole,
)
from marketplace.services import agreement_terms, audit, embedding, hosting, secondment_records
from marketplace.services.secondments import parties

P = SecondmentParty
SKILLS_REQUIRED = 5  # the secondee's strongest skills become the draft's requirements


def posted(agreement: SecondmentAgreement) -> Opportunity | None:
    """The acting-up opportunity posted for the secondment, from this version or an earlier one."""
    return db.session.scalar(
        sa.select(Opportunity).join(SecondmentAgreement, SecondmentAgreement.acting_up_opportunity_id == Opportunity.id)
        .where(SecondmentAgreement.secondment_id == agreement.secondment_id).limit(1)
    )


def wanted(agreement: SecondmentAgreement) -> bool:
    """Whether the version's backfill plan is an acting-up opportunity."""
    return agreement.terms.get("backfill_plan") == BackfillPlan.ACTING_UP.value


def may_post(user: User, agreement: SecondmentAgreement) -> bool:
    """Whether ``user`` may post the acting-up opportunity from this version now."""
    try:
        _check(user, agreement)
    except DomainError:
        return False
    return True


def _check(user: User, agreement: SecondmentAgreement) -> None:
    secondment = agreement.secondment
    if P.HOME_MANAGER not in parties(user, secondment):
        raise DomainError("The home manager posts the acting-up opportunity for their team.", status_code=403)
    if secondment.status == SecondmentStatus.ENDED.value:
        raise DomainError("This secondment has ended; there is nothing left to cover.", status_code=409)
    if agreement.status not in (AgreementStatus.DRAFT.value, AgreementStatus.SIGNED.value):
        raise DomainError("Post it from the version in force or the one being signed.", status_code=409)
    if not wanted(agreement):
        raise DomainError(f"The backfill plan of version {agreement.version} is not an acting-up opportunity; "
                          "change the plan first.", status_code=409)
    already = posted(agreement)
    if already is not None:
        raise DomainError(f"The acting-up opportunity “{already.title}” is already posted.", status_code=409)


def post(agreement: SecondmentAgreement, *, actor: User) -> Opportunity:
    """Post the draft acting-up opportunity hosted by the home manager and link it to the agreement; commits."""
    _check(actor, agreement)
    secondment = agreement.secondment
    opportunity = hosting.draft_opportunity(secondment.home_manager, _details(agreement))
    linked = db.session.execute(
        sa.update(SecondmentAgreement)
        .where(SecondmentAgreement.id == agreement.id, SecondmentAgreement.acting_up_opportunity_id.is_(None))
        .values(acting_up_opportunity_id=opportunity.id)
        .execution_options(synchronize_session=False)
    )
    if linked.rowcount != 1:
        db.session.rollback()
        raise DomainError("The acting-up opportunity was posted by someone else first; reload the page.",
                          status_code=409)
    granted = _may_host(actor)
    secondment_records.record(
        secondment, "agreement.acting_up_posted", actor=actor, role=P.HOME_MANAGER,
        summary=f"Acting-up opportunity for the home team drafted: {opportunity.title}",
        detail={"version": agreement.version, "opportunity": audit.reference(opportunity),
                "host_role_granted": granted},
    )
    db.session.commit()
    embedding.opportunity_changed(opportunity)
    db.session.refresh(agreement)
    return opportunity


def _may_host(user: User) -> bool:
    """Give the home manager the host role, so they can edit and publish what they posted; whether it was new.

    A role change is a decision about a person, so it is in the audit log like an admin's.
    """
    if user.has_role(Role.HOST_MANAGER):
        return False
    before = sorted(r.value for r in user.roles)
    user.role_rows.append(UserRole(role=Role.HOST_MANAGER.value))
    audit.record("account.roles_changed", audit.reference(user), role=P.HOME_MANAGER, payload={
        "before": before, "after": sorted([*before, Role.HOST_MANAGER.value]),
        "because": "posted an acting-up opportunity for their team",
    })
    return True


def _details(agreement: SecondmentAgreement) -> hosting.OpportunityDetails:
    secondment = agreement.secondment
    person, manager = secondment.employee, secondment.home_manager
    start, end = agreement_terms.start_and_end(agreement.terms)
    start = max(start, today())
    if end <= start:
        raise DomainError("The secondment ends too soon for an acting-up opportunity.", status_code=409)
    strongest = sorted(person.skills, key=lambda s: (-s.level, s.skill.name.casefold()))[:SKILLS_REQUIRED]
    return hosting.OpportunityDetails(
        title=f"Acting up: {person.job_title}"[:200],
        description=(f"{person.name} is on secondment until {format_date(end)}. While they are away, someone in "
                     f"the {person.department.name} team can step up into the role of {person.job_title}, with "
                     f"support from {manager.name}, and then return to their own role."),
        type=OpportunityType.SHORT_PROJECT,  # not cross-departmental: that would shut out the home team itself
        host_department_id=person.department_id,
        start_date=start,
        end_date=end,
        time_commitment_percent=agreement.terms.get("working_percent") or 100,
        location=person.location,
        remote_policy=RemotePolicy.HYBRID,
        openings=1,
        closing_date=None,
        min_service_months=0,
        eligible_grades=(),
        eligible_department_ids=(person.department_id,),
        requires_release=True,
        funding=Funding.HOME_PAYS,
        recharge_percent=None,
        stretch=StretchTolerance.DEVELOPMENTAL,
        required_skills=tuple((row.skill, max(1, row.level - 1)) for row in strongest),
        nice_to_have_skills=(),
        develops_skills=(),
    )
