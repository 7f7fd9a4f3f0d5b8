"""Rankings in the app: people for a secondment, secondments for a person, each explained.

The same ``matching`` code ranks here and in ``python -m matching rank``; this module only
turns database rows into matching profiles, applies eligibility first, and keeps vectors
in the database cache.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.models import (
    Department,
    DevelopmentGoal,
    Employee,
    EmployeeSkill,
    Opportunity,
    OpportunitySkill,
    OpportunityStatus,
    Skill,
    SkillRequirement,
)
from marketplace.services import eligibility, secondments, vectors
from marketplace.services.opportunities import is_accepting_applications
from matching import STRETCH_LEVELS, Matcher, MatchingConfig, MatchScore, OpportunityProfile, PersonProfile, SkillClaim
from matching.scoring import texts_for, texts_for_opportunity


@dataclass
class CandidateRow:
    """One ranked person for a host, with their match and nothing they are not eligible for."""

    employee: Employee
    rank: int
    match: MatchScore


@dataclass
class CandidateRanking:
    """Ranked eligible people and, for transparency, how many were filtered out and why."""

    rows: list[CandidateRow]
    assessed: int
    excluded: dict[str, int]


@dataclass
class Recommendation:
    """One secondment for an employee, with the match and any rule they do not meet."""

    opportunity: Opportunity
    rank: int
    match: MatchScore
    eligibility: eligibility.Eligibility


def matching_config() -> MatchingConfig:
    """Score weights from the app config (MATCHING_* keys override the defaults)."""
    overrides = current_app.config.get("MATCHING", {}) or {}
    return MatchingConfig().with_overrides(**overrides)


# ------------------------------------------------------------------ profiles


def _claim(skill: Skill, level: int | None) -> SkillClaim:
    return SkillClaim(skill.name, level, tuple(a.alias for a in skill.aliases))


def person_profile(employee: Employee) -> PersonProfile:
    """What matching may know about an employee (never any demographic data)."""
    return PersonProfile(
        id=employee.id,
        job_title=employee.job_title,
        skills=tuple(_claim(s.skill, s.level) for s in sorted(employee.skills, key=lambda s: s.skill_id)),
        summary=employee.summary or "",
        development_goals=tuple(g.label for g in employee.development_goals),
    )


def opportunity_profile(opportunity: Opportunity) -> OpportunityProfile:
    """A secondment as matching sees it; its stretch tolerance sets the fit/growth blend."""

    def claims(kind: SkillRequirement) -> tuple[SkillClaim, ...]:
        return tuple(_claim(s.skill, s.min_level) for s in opportunity.skills_of(kind))

    return OpportunityProfile(
        id=opportunity.id,
        title=opportunity.title,
        description=opportunity.description,
        required_skills=claims(SkillRequirement.REQUIRED),
        nice_to_have_skills=claims(SkillRequirement.NICE_TO_HAVE),
        develops_skills=claims(SkillRequirement.DEVELOPS),
        stretch=STRETCH_LEVELS[opportunity.stretch],
    )


def employees_query():
    """Employees with everything their matching profile reads."""
    return sa.select(Employee).options(
        selectinload(Employee.skills).selectinload(EmployeeSkill.skill).selectinload(Skill.aliases),
        selectinload(Employee.development_goals).selectinload(DevelopmentGoal.skill),
        selectinload(Employee.department),
    )


def opportunities_query():
    """Secondments with everything their matching profile and eligibility read."""
    return sa.select(Opportunity).options(
        selectinload(Opportunity.skills).selectinload(OpportunitySkill.skill).selectinload(Skill.aliases),
        selectinload(Opportunity.eligible_grades),
        selectinload(Opportunity.eligible_departments),
    )


def opportunities_in(*statuses: OpportunityStatus) -> list[Opportunity]:
    """Secondments in these statuses, with everything matching reads, in one round of queries."""
    query = opportunities_query().where(Opportunity.status.in_([s.value for s in statuses]))
    return list(db.session.scalars(query))


# ------------------------------------------------------------------ the pool of people


class _PoolCache:
    """The fitted matcher over every employee, rebuilt only when a profile or the model changes."""

    def __init__(self):
        self._lock = threading.Lock()
        self._key = None
        self._matcher: Matcher | None = None

    def get(self, key, build: Callable[[], Matcher]) -> Matcher:
        with self._lock:
            if self._key != key or self._matcher is None:
                self._matcher = build()
                self._key = key
            return self._matcher


_pool = _PoolCache()


def _pool_key() -> tuple:
    count, latest = db.session.execute(sa.select(sa.func.count(Employee.id), sa.func.max(Employee.updated_at))).one()
    model = vectors.encoder()
    return (model.model_id, id(model), count, latest, db.engine.url.render_as_string())


def people_matcher() -> Matcher:
    """A matcher fitted on every employee's profile (cached per process)."""

    def build() -> Matcher:
        people = [person_profile(e) for e in db.session.scalars(employees_query())]
        cached = vectors.cached_encoder(t for p in people for t in texts_for(p))
        matcher = Matcher(cached, matching_config())
        matcher.prepare(t for p in people for t in texts_for(p))
        vectors.save(cached)
        return matcher.fit(people)

    return _pool.get(_pool_key(), build)


# ------------------------------------------------------------------ rankings


@dataclass(frozen=True)
class CandidateFilters:
    """Narrowing of the pool a host chooses on top of the eligibility rules."""

    department_id: int | None = None
    location: str | None = None

    def admits(self, employee: Employee) -> bool:
        return (self.department_id is None or employee.department_id == self.department_id) and (
            self.location is None or employee.location == self.location
        )


def pool_departments() -> list[Department]:
    """Departments that have employees, for the candidate filter."""
    return list(
        db.session.scalars(
            sa.select(Department)
            .where(Department.id.in_(sa.select(Employee.department_id)))
            .options(selectinload(Department.organisation))
            .order_by(Department.name)
        )
    )


def pool_locations() -> list[str]:
    """Places where employees work, for the candidate filter."""
    return list(db.session.scalars(sa.select(Employee.location).distinct().order_by(Employee.location)))


def rank_candidates(
    opportunity: Opportunity, *, limit: int = 100, filters: CandidateFilters = CandidateFilters()
) -> CandidateRanking:
    """The best ``limit`` eligible employees for a secondment, with the reasons others were left out."""
    opportunity = db.session.scalar(opportunities_query().where(Opportunity.id == opportunity.id))
    # eligibility reads plain columns only; skills and goals are already in the fitted pool
    people = sa.select(Employee).options(selectinload(Employee.department))
    employees = {e.id: e for e in db.session.scalars(people) if filters.admits(e)}
    eligible, excluded = set(), {}
    seconded = secondments.seconded_employee_ids()
    for employee in employees.values():
        verdict = eligibility.check(employee, opportunity, seconded=employee.id in seconded)
        if verdict.eligible:
            eligible.add(employee.id)
        for failure in verdict.failures:
            excluded[failure.group] = excluded.get(failure.group, 0) + 1
    matcher = people_matcher()
    profile = opportunity_profile(opportunity)
    vectors.preload(matcher.encoder, texts_for_opportunity(profile))
    ranked = matcher.rank_people(profile, top_k=limit, eligible=eligible)
    vectors.save(matcher.encoder)
    rows = [CandidateRow(employees[r.id], r.rank, r.match) for r in ranked if r.id in employees]
    return CandidateRanking(rows=rows, assessed=len(eligible), excluded=excluded)


def recommendations(employee: Employee) -> list[Recommendation]:
    """Open secondments ranked for one employee, eligible ones first."""
    employee = db.session.scalar(employees_query().where(Employee.id == employee.id))
    opportunities = {
        o.id: o
        for o in opportunities_in(OpportunityStatus.OPEN)
        if is_accepting_applications(o) and o.host_manager_id != employee.id
    }
    if not opportunities:
        return []
    person = person_profile(employee)
    profiles = [opportunity_profile(o) for o in opportunities.values()]
    cached = vectors.cached_encoder([*texts_for(person), *(t for p in profiles for t in texts_for_opportunity(p))])
    ranked = Matcher(cached, matching_config()).rank_opportunities(person, profiles)
    vectors.save(cached)
    seconded = secondments.current_secondment(employee.id) is not None
    out = [
        Recommendation(
            opportunities[r.id], r.rank, r.match, eligibility.check(employee, opportunities[r.id], seconded=seconded)
        )
        for r in ranked
    ]
    out.sort(key=lambda rec: (not rec.eligibility.eligible, rec.rank))
    return out
