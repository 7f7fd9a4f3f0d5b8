"""Employees keeping their own profile up to date: summary, skills, goals and availability."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.clock import utcnow
from marketplace.models import DevelopmentGoal, Employee, EmployeeSkill, Skill
from marketplace.services import embedding

SUMMARY_MAX = 4000
AREA_MAX = 300
AREAS_MAX = 5


@dataclass
class ProfileChanges:
    """Everything the employee may change on their profile, already resolved to catalogue skills."""

    summary: str
    capacity_percent: int
    skills: list[tuple[Skill, int]] = field(default_factory=list)
    goal_skills: list[Skill] = field(default_factory=list)
    goal_areas: list[str] = field(default_factory=list)
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    open_to_remote: bool = True
    open_to_relocation: bool = False
    open_to_international: bool = False


def check_changes(changes: ProfileChanges) -> None:
    """Raise DomainError, naming the field, for the first change that breaks a profile rule."""
    if len(changes.summary) > SUMMARY_MAX:
        raise DomainError(f"Keep the summary to {SUMMARY_MAX:,} characters or fewer.", field="summary")
    if not 1 <= changes.capacity_percent <= 100:
        raise DomainError("Capacity must be a percentage from 1 to 100.", field="capacity_percent")
    if changes.available_from and changes.available_until and changes.available_until < changes.available_from:
        raise DomainError("Your availability cannot end before it starts.", field="available_until")
    for skill, level in changes.skills:
        if not 1 <= level <= 5:
            raise DomainError(f"The level for {skill.name} must be from 1 to 5.", field="skills")
    if len(changes.goal_areas) > AREAS_MAX or any(len(a) > AREA_MAX for a in changes.goal_areas):
        raise DomainError(f"List up to {AREAS_MAX} areas of {AREA_MAX} characters or fewer.", field="goal_areas")


def update_profile(employee: Employee, changes: ProfileChanges) -> None:
    """Apply all of ``changes`` to the employee's profile at once, or none of them."""
    check_changes(changes)
    employee.summary = changes.summary.strip()
    employee.capacity_percent = changes.capacity_percent
    employee.available_from = changes.available_from
    employee.available_until = changes.available_until
    employee.open_to_remote = changes.open_to_remote
    employee.open_to_relocation = changes.open_to_relocation
    employee.open_to_international = changes.open_to_international
    employee.skills = _merged_skills(employee, changes.skills)
    employee.development_goals = _merged_goals(employee, changes.goal_skills, changes.goal_areas)
    employee.updated_at = utcnow()
    embedding.mark_stale(employee)
    db.session.commit()
    # embed the new texts in the background; if no broker answers, the row stays stale for the sweep
    # (and a ranking needed before then embeds what it lacks)
    embedding.queue_employee(employee.id)


def raise_skills(employee: Employee, gained: list[tuple[Skill, int]]) -> dict[int, int | None]:
    """Raise each skill to the level gained, never lower, adding those missing; not committed.

    Returns each skill's level before (None: it was added). A profile that changed is marked stale
    in the caller's transaction; after committing, the caller queues ``embedding.queue_employee``.
    """
    existing = {row.skill_id: row for row in employee.skills}
    before: dict[int, int | None] = {}
    changed = False
    for skill, level in gained:
        row = existing.get(skill.id)
        before[skill.id] = row.level if row is not None else None
        if row is None:
            row = existing[skill.id] = EmployeeSkill(skill=skill, level=level)
            employee.skills.append(row)
            changed = True
        elif row.level < level:
            row.level, changed = level, True
    if changed:
        employee.updated_at = utcnow()
        embedding.mark_stale(employee)
    return before


def _merged_skills(employee: Employee, wanted: list[tuple[Skill, int]]) -> list[EmployeeSkill]:
    """Keep the rows of skills still listed (so their keys never clash), add the new ones."""
    existing = {row.skill_id: row for row in employee.skills}
    rows = []
    for skill, level in wanted:
        row = existing.get(skill.id) or EmployeeSkill(skill=skill)
        row.level = level
        rows.append(row)
    return rows


def _merged_goals(employee: Employee, skills: list[Skill], areas: list[str]) -> list[DevelopmentGoal]:
    """Reuse goal rows still wanted: a new row for a kept skill would clash with the old one on insert."""
    by_skill = {g.skill_id: g for g in employee.development_goals if g.skill_id is not None}
    by_area = {g.area.casefold(): g for g in employee.development_goals if g.skill_id is None}
    goals = [by_skill.get(skill.id) or DevelopmentGoal(skill=skill) for skill in skills]
    seen: set[str] = set()
    for area in (a.strip() for a in areas):
        if area and area.casefold() not in seen:
            seen.add(area.casefold())
            goal = by_area.get(area.casefold()) or DevelopmentGoal()
            goal.area = area
            goals.append(goal)
    return goals
