"""Browsing opportunities from the employee side: what is open, what matches, who may see it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from marketplace.clock import today
from marketplace.extensions import db
from marketplace.models import (
    Department,
    Employee,
    Opportunity,
    OpportunitySkill,
    OpportunityStatus,
    RemotePolicy,
    Role,
    Skill,
    SkillAlias,
    User,
)

REMOTE_POSSIBLE = "remote_possible"
MAX_SEARCH_TERMS = 8
# Employees may still look at what they applied to once it closes or fills; drafts and
# cancelled postings are invisible to them.
VISIBLE_TO_EMPLOYEES = (OpportunityStatus.OPEN, OpportunityStatus.CLOSED, OpportunityStatus.FILLED)


class DurationBand(NamedTuple):
    """A length band in whole months, as ``Opportunity.duration_months`` shows them on cards."""

    key: str
    label: str
    above: int | None
    up_to: int | None


DURATION_BANDS = {
    band.key: band
    for band in (
        DurationBand("up_to_3", "Up to 3 months", None, 3),
        DurationBand("4_to_6", "4 to 6 months", 3, 6),
        DurationBand("7_to_12", "7 to 12 months", 6, 12),
        DurationBand("over_12", "Over 12 months", 12, None),
    )
}


def _last_day_of_month_count(months: int) -> int:
    """Largest span in days that ``duration_months`` (round(days / 30.44)) still calls ``months``."""
    return int((months + 0.5) * 30.44)  # (m + .5) * 30.44 is never a whole number


class days_between(FunctionElement):
    """Whole days from the first date to the second, on SQLite and PostgreSQL alike."""

    type = sa.Integer()
    name = "days_between"
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element, compiler, **kw) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"({end} - {start})"  # date - date is an integer number of days in PostgreSQL


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


@dataclass(frozen=True)
class BrowseFilters:
    """What the employee asked for on the browse page; empty values do not filter."""

    text: str = ""
    type: str | None = None
    department_id: int | None = None
    location: str | None = None
    remote: str | None = None
    duration: str | None = None
    skill: Skill | None = None


def accepting_clause(on: dt.date | None = None) -> ColumnElement[bool]:
    """SQL condition: open, and the closing date (if any) has not passed."""
    on = on or today()
    return sa.and_(
        Opportunity.status == OpportunityStatus.OPEN.value,
        sa.or_(Opportunity.closing_date.is_(None), Opportunity.closing_date >= on),
    )


def is_accepting_applications(opportunity: Opportunity, on: dt.date | None = None) -> bool:
    """True while the opportunity is open and its closing date has not passed."""
    on = on or today()
    return opportunity.status == OpportunityStatus.OPEN and (
        opportunity.closing_date is None or opportunity.closing_date >= on
    )


def _text_clause(term: str) -> ColumnElement[bool]:
    """One search word found in the title, the description or a linked skill's name or alias."""
    in_skills = (
        sa.select(OpportunitySkill.opportunity_id)
        .join(Skill, Skill.id == OpportunitySkill.skill_id)
        .outerjoin(SkillAlias, SkillAlias.skill_id == Skill.id)
        .where(
            OpportunitySkill.opportunity_id == Opportunity.id,
            sa.or_(Skill.name.icontains(term, autoescape=True), SkillAlias.alias.icontains(term, autoescape=True)),
        )
        .exists()
    )
    return sa.or_(
        Opportunity.title.icontains(term, autoescape=True),
        Opportunity.description.icontains(term, autoescape=True),
        in_skills,
    )


def _duration_clause(band: DurationBand) -> ColumnElement[bool]:
    days = days_between(Opportunity.start_date, Opportunity.end_date)
    clauses = []
    if band.above is not None:
        clauses.append(days > _last_day_of_month_count(band.above))
    if band.up_to is not None:
        clauses.append(days <= _last_day_of_month_count(band.up_to))
    return sa.and_(*clauses)


def _remote_clause(remote: str) -> ColumnElement[bool]:
    if remote == REMOTE_POSSIBLE:
        return Opportunity.remote_policy.in_([RemotePolicy.HYBRID.value, RemotePolicy.REMOTE.value])
    return Opportunity.remote_policy == remote


def open_opportunities(filters: BrowseFilters, on: dt.date | None = None) -> sa.Select:
    """Select open opportunities matching every given filter, soonest closing first."""
    stmt = sa.select(Opportunity).where(accepting_clause(on))
    for term in filters.text.split()[:MAX_SEARCH_TERMS]:
        stmt = stmt.where(_text_clause(term))
    if filters.type:
        stmt = stmt.where(Opportunity.type == filters.type)
    if filters.department_id:
        stmt = stmt.where(Opportunity.host_department_id == filters.department_id)
    if filters.location:
        stmt = stmt.where(Opportunity.location == filters.location)
    if filters.remote:
        stmt = stmt.where(_remote_clause(filters.remote))
    if filters.duration:
        stmt = stmt.where(_duration_clause(DURATION_BANDS[filters.duration]))
    if filters.skill is not None:
        stmt = stmt.where(Opportunity.skills.any(OpportunitySkill.skill_id == filters.skill.id))
    return stmt.order_by(
        sa.nulls_last(Opportunity.closing_date.asc()), Opportunity.start_date, Opportunity.id
    )


def browse(filters: BrowseFilters, page: int, per_page: int) -> Pagination:
    """One page of open opportunities matching ``filters``, with what the cards show loaded."""
    stmt = open_opportunities(filters).options(
        selectinload(Opportunity.host_department).selectinload(Department.organisation),
        selectinload(Opportunity.skills).selectinload(OpportunitySkill.skill),
    )
    return db.paginate(stmt, page=max(page, 1), per_page=per_page, max_per_page=None, error_out=False)


def host_department_choices() -> list[tuple[int, str]]:
    """Departments currently hosting open opportunities, as (id, "Dept, Organisation")."""
    departments = db.session.scalars(
        sa.select(Department)
        .where(Department.id.in_(sa.select(Opportunity.host_department_id).where(accepting_clause())))
        .options(selectinload(Department.organisation))
    )
    return sorted(((d.id, d.full_name) for d in departments), key=lambda c: c[1].casefold())


def location_choices() -> list[str]:
    """Distinct locations of open opportunities, alphabetically."""
    rows = db.session.scalars(sa.select(Opportunity.location).where(accepting_clause()).distinct())
    return sorted(rows, key=str.casefold)


def visible_opportunity(opportunity_id: int, user: User) -> Opportunity | None:
    """The opportunity if ``user`` may see its page: talent and its host always, employees unless draft or cancelled."""
    opportunity = db.session.get(Opportunity, opportunity_id)
    if opportunity is None:
        return None
    if user.has_role(Role.TALENT) or is_host_of(opportunity, user.employee):
        return opportunity
    if user.has_role(Role.EMPLOYEE) and opportunity.status in VISIBLE_TO_EMPLOYEES:
        return opportunity
    return None


def is_host_of(opportunity: Opportunity, employee: Employee | None) -> bool:
    """True when ``employee`` is the host manager of ``opportunity``."""
    return employee is not None and opportunity.host_manager_id == employee.id


def unmet_eligibility(opportunity: Opportunity, employee: Employee, on: dt.date | None = None) -> list[str]:
    """The eligibility rules ``employee`` does not meet according to their HR record."""
    on = on or today()
    unmet = []
    if employee.months_of_service(on) < opportunity.min_service_months:
        unmet.append(f"at least {opportunity.min_service_months} months of service")
    grades = [g.grade for g in opportunity.eligible_grades]
    if grades and employee.grade not in grades:
        unmet.append(f"grade {', '.join(grades)}")
    departments = opportunity.eligible_departments
    if departments and employee.department_id not in {d.id for d in departments}:
        unmet.append("working in one of the eligible departments")
    return unmet
