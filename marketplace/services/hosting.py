"""Hosting: host managers post secondment opportunities, move them through their life and review applicants."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.clock import today, utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationStatus,
    Department,
    EligibleGrade,
    Employee,
    Funding,
    StretchTolerance,
    Opportunity,
    OpportunitySkill,
    OpportunityStatus,
    OpportunityType,
    Organisation,
    RemotePolicy,
    Role,
    Skill,
    SkillRequirement,
    User,
)
from marketplace.services import embedding, event_notifications

EDITABLE = (OpportunityStatus.DRAFT, OpportunityStatus.OPEN)


@dataclass(frozen=True)
class OpportunityDetails:
    """Everything a host fills in about an opportunity, already parsed from the form."""

    title: str
    description: str
    type: OpportunityType
    host_department_id: int
    start_date: dt.date
    end_date: dt.date
    time_commitment_percent: int
    location: str
    remote_policy: RemotePolicy
    openings: int
    closing_date: dt.date | None
    min_service_months: int
    eligible_grades: tuple[str, ...]
    eligible_department_ids: tuple[int, ...]
    requires_release: bool
    funding: Funding
    recharge_percent: int | None
    stretch: StretchTolerance
    required_skills: tuple[tuple[Skill, int], ...]
    nice_to_have_skills: tuple[Skill, ...]
    develops_skills: tuple[Skill, ...]


class InvalidDetails(DomainError):
    """The details break rules of the domain; ``problems`` maps form field names to messages."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class HostedOpportunity(NamedTuple):
    opportunity: Opportunity
    active_applications: int


class SkillMark(NamedTuple):
    skill: Skill
    min_level: int | None
    held_level: int | None

    @property
    def meets(self) -> bool:
        return self.held_level is not None and self.held_level >= (self.min_level or 1)


class Applicant(NamedTuple):
    application: Application
    marks: list[SkillMark]

    @property
    def met_count(self) -> int:
        return sum(mark.meets for mark in self.marks)


def add_months(start: dt.date, months: int) -> dt.date:
    """The date ``months`` calendar months after ``start``, clamped to the end of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def end_after_months(start: dt.date, months: int) -> dt.date:
    """Last day of a secondment that starts on ``start`` and lasts ``months`` months (1 Mar + 6 → 31 Aug)."""
    return add_months(start, months) - dt.timedelta(days=1)


def can_manage(user: User, opportunity: Opportunity) -> bool:
    """True when ``user`` is the opportunity's host manager or on the talent team."""
    if user.has_role(Role.TALENT):
        return True
    return user.has_role(Role.HOST_MANAGER) and opportunity.host_manager_id == user.employee_id


def get_opportunity(opportunity_id: int) -> Opportunity | None:
    """The opportunity with this id, or None."""
    return db.session.get(Opportunity, opportunity_id)


def host_department_choices() -> list[Department]:
    """Every department of every organisation, by organisation and name."""
    return list(
        db.session.scalars(
            sa.select(Department)
            .join(Organisation)
            .options(selectinload(Department.organisation))
            .order_by(Organisation.name, Department.name)
        )
    )


def grade_choices() -> list[str]:
    """The grades that employees actually hold, sorted."""
    return list(db.session.scalars(sa.select(Employee.grade).distinct().order_by(Employee.grade)))


def active_application_counts(opportunity_ids: list[int]) -> dict[int, int]:
    """Number of active (not withdrawn) applications per opportunity id; missing ids have none."""
    if not opportunity_ids:
        return {}
    rows = db.session.execute(
        sa.select(Application.opportunity_id, sa.func.count())
        .where(
            Application.opportunity_id.in_(opportunity_ids),
            Application.status != ApplicationStatus.WITHDRAWN.value,
        )
        .group_by(Application.opportunity_id)
    )
    return {opportunity_id: count for opportunity_id, count in rows}


def host_opportunities(host: Employee) -> list[HostedOpportunity]:
    """The host's own opportunities in any status, newest first, with active application counts."""
    opportunities = list(
        db.session.scalars(
            sa.select(Opportunity)
            .where(Opportunity.host_manager_id == host.id)
            .options(selectinload(Opportunity.host_department).selectinload(Department.organisation))
            .order_by(Opportunity.created_at.desc(), Opportunity.id.desc())
        )
    )
    counts = active_application_counts([o.id for o in opportunities])
    return [HostedOpportunity(o, counts.get(o.id, 0)) for o in opportunities]


def detail_problems(details: OpportunityDetails, status: OpportunityStatus) -> dict[str, str]:
    """Rules that span several fields, as field name -> message; empty when the details are fine."""
    problems: dict[str, str] = {}
    if details.end_date <= details.start_date:
        problems["end_date"] = "The end date must be after the start date."
    if details.closing_date is not None:
        if details.closing_date > details.start_date:
            problems["closing_date"] = "Applications must close on or before the start date."
        elif status == OpportunityStatus.OPEN and details.closing_date < today():
            problems["closing_date"] = "The closing date is in the past; an open opportunity needs a future one."
    if details.funding == Funding.HOST_RECHARGES and details.recharge_percent is None:
        problems["recharge_percent"] = "Give the share the host recharges, from 1 to 100 %."
    elif details.funding == Funding.HOME_PAYS and details.recharge_percent is not None:
        problems["recharge_percent"] = "Leave the recharge empty when the home organisation pays."
    if db.session.get(Department, details.host_department_id) is None:
        problems["host_department_id"] = "Choose a host department from the list."
    return problems


def create_opportunity(host: Employee, details: OpportunityDetails) -> Opportunity:
    """Save a new opportunity as a draft hosted by ``host``."""
    opportunity = draft_opportunity(host, details)
    db.session.commit()
    embedding.opportunity_changed(opportunity)
    return opportunity


def draft_opportunity(host: Employee, details: OpportunityDetails) -> Opportunity:
    """A new draft hosted by ``host``, checked and flushed but not committed (the caller commits, then embeds)."""
    _raise_if_invalid(details, OpportunityStatus.DRAFT)
    opportunity = Opportunity(host_manager=host, status=OpportunityStatus.DRAFT.value)
    _apply(opportunity, details)
    db.session.add(opportunity)
    db.session.flush()
    return opportunity


def update_opportunity(opportunity: Opportunity, details: OpportunityDetails) -> Opportunity:
    """Save changed details of a draft or open opportunity."""
    ensure_editable(opportunity)
    _raise_if_invalid(details, OpportunityStatus(opportunity.status))
    _apply(opportunity, details)
    db.session.commit()
    embedding.opportunity_changed(opportunity)
    return opportunity


def ensure_editable(opportunity: Opportunity) -> None:
    """Refuse (409) changes to an opportunity that is closed, filled or cancelled."""
    if opportunity.status not in EDITABLE:
        raise DomainError(
            f"This opportunity is {OpportunityStatus(opportunity.status).label.lower()} and can no longer be edited.",
            status_code=409,
        )


def publish_opportunity(opportunity: Opportunity, *, needs_approval: bool = False) -> None:
    """Open a draft (or one awaiting approval) to applications; with ``needs_approval``, send a draft for approval.

    Either way it needs required skills, and a closing date and start date still ahead.
    """
    if opportunity.status in (OpportunityStatus.DRAFT, OpportunityStatus.PENDING_APPROVAL):
        if not opportunity.skills_of(SkillRequirement.REQUIRED):
            raise DomainError("Add at least one required skill before publishing.", status_code=409)
        if opportunity.closing_date is not None and opportunity.closing_date < today():
            raise DomainError(
                "The closing date has passed. Edit it to a date from today before publishing.", status_code=409
            )
        if opportunity.start_date < today():
            raise DomainError("The start date has passed. Edit the dates before publishing.", status_code=409)
    if needs_approval:
        _transition(opportunity, (OpportunityStatus.DRAFT,), OpportunityStatus.PENDING_APPROVAL)
        return
    _transition(
        opportunity, (OpportunityStatus.DRAFT, OpportunityStatus.PENDING_APPROVAL), OpportunityStatus.OPEN,
        published_at=utcnow(),
    )
    embedding.opportunity_changed(opportunity)


def return_to_draft(opportunity: Opportunity) -> None:
    """The talent team sends an opportunity awaiting approval back to its host as a draft."""
    _transition(opportunity, (OpportunityStatus.PENDING_APPROVAL,), OpportunityStatus.DRAFT)


def close_opportunity(opportunity: Opportunity) -> None:
    """Stop taking applications for an open opportunity."""
    event_notifications.opportunity_closed(opportunity)  # rolled back with the change if it is refused
    _transition(opportunity, (OpportunityStatus.OPEN,), OpportunityStatus.CLOSED)


def cancel_opportunity(opportunity: Opportunity) -> None:
    """Withdraw a draft or open opportunity altogether."""
    event_notifications.opportunity_cancelled(opportunity)  # rolled back with the change if it is refused
    _transition(opportunity, EDITABLE, OpportunityStatus.CANCELLED)


def applicants(opportunity: Opportunity) -> list[Applicant]:
    """Active applications to ``opportunity``, oldest first, with the applicant's levels in the required skills."""
    applications = db.session.scalars(
        sa.select(Application)
        .where(
            Application.opportunity_id == opportunity.id,
            Application.status != ApplicationStatus.WITHDRAWN.value,
        )
        .options(
            selectinload(Application.employee).selectinload(Employee.skills),
            selectinload(Application.employee).selectinload(Employee.department),
            selectinload(Application.events),
        )
        .order_by(Application.submitted_at, Application.id)
    )
    required = opportunity.skills_of(SkillRequirement.REQUIRED)
    result = []
    for application in applications:
        held = {s.skill_id: s.level for s in application.employee.skills}
        marks = [SkillMark(r.skill, r.min_level, held.get(r.skill_id)) for r in required]
        result.append(Applicant(application, marks))
    return result


def applicant_ids(opportunity: Opportunity) -> set[int]:
    """Employee ids of everyone with an application to ``opportunity`` that is not withdrawn."""
    return set(db.session.scalars(
        sa.select(Application.employee_id).where(
            Application.opportunity_id == opportunity.id,
            Application.status != ApplicationStatus.WITHDRAWN.value,
        )
    ))


def _raise_if_invalid(details: OpportunityDetails, status: OpportunityStatus) -> None:
    problems = detail_problems(details, status)
    if problems:
        raise InvalidDetails(problems)


def _apply(opportunity: Opportunity, details: OpportunityDetails) -> None:
    department = db.session.get(Department, details.host_department_id)
    opportunity.title = details.title.strip()
    opportunity.description = details.description.strip()
    opportunity.type = details.type.value
    opportunity.host_department = department
    opportunity.host_organisation_id = department.organisation_id
    opportunity.start_date = details.start_date
    opportunity.end_date = details.end_date
    opportunity.time_commitment_percent = details.time_commitment_percent
    opportunity.location = details.location.strip()
    opportunity.remote_policy = details.remote_policy.value
    opportunity.openings = details.openings
    opportunity.closing_date = details.closing_date
    opportunity.min_service_months = details.min_service_months
    opportunity.requires_release = details.requires_release
    opportunity.funding = details.funding.value
    opportunity.recharge_percent = details.recharge_percent
    opportunity.stretch = details.stretch.value
    opportunity.eligible_grades = [EligibleGrade(grade=g) for g in sorted(set(details.eligible_grades))]
    opportunity.eligible_departments = (
        list(db.session.scalars(sa.select(Department).where(Department.id.in_(details.eligible_department_ids))))
        if details.eligible_department_ids
        else []
    )
    _replace_skills(opportunity, details)


def _replace_skills(opportunity: Opportunity, details: OpportunityDetails) -> None:
    wanted = {(skill.id, SkillRequirement.REQUIRED.value): level for skill, level in details.required_skills}
    wanted.update({(s.id, SkillRequirement.NICE_TO_HAVE.value): None for s in details.nice_to_have_skills})
    wanted.update({(s.id, SkillRequirement.DEVELOPS.value): None for s in details.develops_skills})
    # Keep rows that stay, so that unchanged skills are not deleted and re-inserted.
    kept = []
    for row in opportunity.skills:
        key = (row.skill_id, row.kind)
        if key in wanted:
            row.min_level = wanted.pop(key)
            kept.append(row)
    skills = {s.id: s for s, _ in details.required_skills}
    skills.update({s.id: s for s in (*details.nice_to_have_skills, *details.develops_skills)})
    kept.extend(
        OpportunitySkill(skill=skills[skill_id], kind=kind, min_level=level)
        for (skill_id, kind), level in wanted.items()
    )
    opportunity.skills = kept


def _transition(
    opportunity: Opportunity,
    allowed_from: tuple[OpportunityStatus, ...],
    to: OpportunityStatus,
    **changes,
) -> None:
    """Move to ``to`` in one conditional UPDATE, so that two people acting at once cannot both succeed."""
    result = db.session.execute(
        sa.update(Opportunity)
        .where(Opportunity.id == opportunity.id, Opportunity.status.in_([s.value for s in allowed_from]))
        .values(status=to.value, updated_at=utcnow(), **changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        current = OpportunityStatus(
            db.session.scalar(sa.select(Opportunity.status).where(Opportunity.id == opportunity.id))
        )
        allowed = " or ".join(s.label.lower() for s in allowed_from)
        raise DomainError(
            f"Only {allowed} opportunities can be {_VERBS[to]}; this one is {current.label.lower()}.",
            status_code=409,
        )
    db.session.commit()


_VERBS = {
    OpportunityStatus.PENDING_APPROVAL: "sent for approval",
    OpportunityStatus.DRAFT: "returned to draft",
    OpportunityStatus.OPEN: "published",
    OpportunityStatus.CLOSED: "closed",
    OpportunityStatus.CANCELLED: "cancelled",
}
