"""Rankings in the app: people for a secondment, secondments for a person, each explained.

The same ``matching`` code ranks here and in ``python -m matching rank``; this module only
turns database rows into matching profiles, applies eligibility first, and keeps vectors
in the database cache.
"""

from __future__ import annotations

import datetime as dt
import threading
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


# A pool refits from scratch when more than this share of it (and more than REFIT_MIN people) changed since
# the last fit; fewer changes update it in place. Small pools refit cheaply anyway.
REFIT_SHARE = 0.05
REFIT_MIN = 200
# Rows changed this long before the newest change seen are looked at again, in case another machine's clock lags.
CLOCK_SKEW = dt.timedelta(minutes=2)


@dataclass
class _Pool:
    matcher: Matcher
    source: tuple  # model and database: when either changes, the pool is refitted
    size: int  # employees at the last fit or update
    as_of: dt.datetime  # the newest Employee.updated_at already in the pool
    seen: dict[int, dt.datetime]  # each person's updated_at as the pool has them


class _PoolCache:
    """The fitted matcher over every employee, kept per process.

    Fitting 100,000 people takes tens of seconds, so a profile edit does not refit the pool: the
    people changed since (``updated_at``) are updated in place and the pool's statistics stay as
    fitted, until a large share of the pool has changed (or someone left, or the model changed).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._pool: _Pool | None = None
        self.fits = self.updates = 0  # for tests and benchmarks

    def get(self) -> Matcher:
        model = vectors.encoder()
        source = (model.model_id, id(model), db.engine.url.render_as_string())
        with self._lock:
            size, latest = db.session.execute(
                sa.select(sa.func.count(Employee.id), sa.func.max(Employee.updated_at))
            ).one()
            pool = self._pool
            if pool is None or pool.source != source or latest is None or size < pool.size:
                self._pool = self._fit(source, size)
            elif latest != pool.as_of or size != pool.size:
                changed = self._changed_since(pool)
                if len(changed) > max(REFIT_SHARE * size, REFIT_MIN):
                    self._pool = self._fit(source, size)
                else:
                    self._update(pool, changed, size, latest)
            return self._pool.matcher

    @staticmethod
    def _changed_since(pool: _Pool) -> list[int]:
        """Ids whose updated_at differs from the pool's, looking back CLOCK_SKEW before the newest seen."""
        recent = db.session.execute(
            sa.select(Employee.id, Employee.updated_at).where(Employee.updated_at >= pool.as_of - CLOCK_SKEW)
        )
        return [employee_id for employee_id, at in recent if pool.seen.get(employee_id) != at]

    def _fit(self, source: tuple, size: int) -> _Pool:
        employees = list(db.session.scalars(employees_query()))
        people = [person_profile(e) for e in employees]
        cached = vectors.cached_encoder(t for p in people for t in texts_for(p))
        matcher = Matcher(cached, matching_config())
        matcher.prepare(t for p in people for t in texts_for(p))
        vectors.save(cached)
        self.fits += 1
        seen = {e.id: e.updated_at for e in employees}
        return _Pool(matcher.fit(people), source, size, max(seen.values(), default=dt.datetime.min), seen)

    def _update(self, pool: _Pool, changed_ids: list[int], size: int, latest: dt.datetime) -> None:
        employees = list(db.session.scalars(employees_query().where(Employee.id.in_(changed_ids)))) if changed_ids else []
        people = [person_profile(e) for e in employees]
        vectors.preload(pool.matcher.encoder, [t for p in people for t in texts_for(p)])
        pool.matcher.update(people)
        vectors.save(pool.matcher.encoder)
        pool.seen.update((e.id, e.updated_at) for e in employees)
        pool.size, pool.as_of = size, latest
        self.updates += bool(employees)


_pool = _PoolCache()


def people_matcher() -> Matcher:
    """A matcher over every employee's profile (cached per process, kept up to date with their edits)."""
    return _pool.get()


# ------------------------------------------------------------------ rankings


@dataclass(frozen=True)
class CandidateFilters:
    """Narrowing of the pool a host chooses on top of the eligibility rules."""

    department_id: int | None = None
    location: str | None = None

    def where(self) -> list[sa.ColumnElement]:
        """The narrowing as SQL conditions on Employee."""
        conditions = []
        if self.department_id is not None:
            conditions.append(Employee.department_id == self.department_id)
        if self.location is not None:
            conditions.append(Employee.location == self.location)
        return conditions


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
    # Rules read plain columns and skills are in the fitted pool: whole Employee rows load only for the shown page.
    eligible, excluded = eligibility.check_pool(eligibility.pool_facts(filters.where()), opportunity)
    matcher = people_matcher()
    profile = opportunity_profile(opportunity)
    vectors.preload(matcher.encoder, texts_for_opportunity(profile))
    ranked = matcher.rank_people(profile, top_k=limit, eligible=eligible)
    vectors.save(matcher.encoder)
    shown = sa.select(Employee).where(Employee.id.in_([r.id for r in ranked])).options(selectinload(Employee.department))
    employees = {e.id: e for e in db.session.scalars(shown)}
    rows = [CandidateRow(employees[r.id], r.rank, r.match) for r in ranked if r.id in employees]
    return CandidateRanking(rows=rows, assessed=len(eligible), excluded=dict(excluded))


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
