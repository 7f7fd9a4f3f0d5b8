"""Writes a DemoPlan to the database in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import (
    Application,
    Department,
    DevelopmentGoal,
    EligibleGrade,
    Employee,
    EmployeeSkill,
    Opportunity,
    OpportunitySkill,
    Organisation,
    Role,
    Skill,
    SkillRequirement,
    User,
    UserRole,
    normalise_label,
)
from marketplace.services.accounts import create_user
from marketplace.services.demo import content as c
from marketplace.services.demo.lifecycle import write_decisions
from marketplace.services.demo.plan import ApplicationPlan, DemoPlan, OpportunityPlan


class MissingDemoSkills(RuntimeError):
    """The catalogue lacks skills the demo data names; nothing was written."""


@dataclass(frozen=True)
class DemoAccount:
    """A documented demo log-in."""

    key: str
    email: str
    role: Role
    what_to_try: str


def skill_ids(labels: set[str]) -> dict[str, int]:
    """Catalogue id of every label; raises MissingDemoSkills naming any that are not there."""
    keys = {normalise_label(label): label for label in labels}
    found = dict(db.session.execute(sa.select(Skill.name_key, Skill.id).where(Skill.name_key.in_(keys))).all())
    missing = sorted(label for key, label in keys.items() if key not in found)
    if missing:
        raise MissingDemoSkills(
            f"{len(missing)} demo skill label(s) are not in the catalogue: {', '.join(missing)}. "
            "Run `flask --app marketplace load-skills` first, or fix marketplace/services/demo."
        )
    return {label: found[key] for key, label in keys.items()}


def write_plan(plan: DemoPlan, accounts: tuple[DemoAccount, ...], password: str) -> None:
    """Create the organisations, people, opportunities, applications and log-ins of ``plan`` (no commit)."""
    ids = skill_ids(plan.skill_labels())
    departments = _organisations()
    employees = _employees(plan, departments, ids)
    applications: list[tuple[ApplicationPlan, Application]] = []
    for opportunity in plan.opportunities:
        db.session.add(_opportunity(opportunity, employees, departments, ids, applications))
    _accounts(plan, employees, accounts, password)
    write_decisions(plan, applications)
    db.session.flush()


def _organisations() -> dict[tuple[str, str], Department]:
    company = Organisation(name=c.COMPANY, kind="internal")
    departments = {(c.COMPANY, d.name): Department(name=d.name, organisation=company) for d in c.DEPARTMENTS}
    for partner in c.PARTNERS:
        org = Organisation(name=partner.name, kind=partner.kind)
        departments[(partner.name, partner.department)] = Department(name=partner.department, organisation=org)
    db.session.add_all(departments.values())
    return departments


def _employees(
    plan: DemoPlan, departments: dict[tuple[str, str], Department], ids: dict[str, int]
) -> dict[str, Employee]:
    employees: dict[str, Employee] = {}
    for p in plan.people:  # managers come before the people they manage
        employee = Employee(
            employee_number=p.number, name=p.name, email=p.email, job_title=p.job_title,
            department=departments[(p.organisation, p.department)], location=p.location, grade=p.grade,
            start_date=p.start_date, manager=employees.get(p.manager) if p.manager else None, summary=p.summary,
            available_from=p.available_from, available_until=p.available_until,
            capacity_percent=p.capacity_percent, open_to_remote=p.open_to_remote,
            open_to_relocation=p.open_to_relocation, open_to_international=p.open_to_international,
        )
        employee.skills = [EmployeeSkill(skill_id=ids[label], level=level) for label, level in p.skills.items()]
        employee.development_goals = [DevelopmentGoal(skill_id=ids[label], area="") for label in p.goal_skills] + [
            DevelopmentGoal(skill_id=None, area=area) for area in p.goal_areas
        ]
        employees[p.number] = employee
    db.session.add_all(employees.values())
    return employees


def _opportunity(
    plan: OpportunityPlan,
    employees: dict[str, Employee],
    departments: dict[tuple[str, str], Department],
    ids: dict[str, int],
    applications: list[tuple[ApplicationPlan, Application]],
) -> Opportunity:
    content = plan.content
    published = dt.datetime.combine(plan.published_on, dt.time(9, 30)) if plan.published_on else None
    opportunity = Opportunity(
        title=content.title, description=content.description, type=content.type, status=content.status,
        host_organisation=departments[(plan.organisation, plan.department)].organisation,
        host_department=departments[(plan.organisation, plan.department)], host_manager=employees[plan.host],
        start_date=plan.start_date, end_date=plan.end_date, closing_date=plan.closing_date,
        time_commitment_percent=content.commitment, location=plan.location, remote_policy=content.remote,
        openings=content.openings, min_service_months=content.min_service_months,
        requires_release=content.requires_release,
        funding="host_recharges" if content.recharge_percent else "home_pays",
        recharge_percent=content.recharge_percent, published_at=published,
    )
    opportunity.skills = (
        [OpportunitySkill(skill_id=ids[s], kind=SkillRequirement.REQUIRED.value, min_level=lvl) for s, lvl in content.required]
        + [OpportunitySkill(skill_id=ids[s], kind=SkillRequirement.NICE_TO_HAVE.value) for s in content.nice]
        + [OpportunitySkill(skill_id=ids[s], kind=SkillRequirement.DEVELOPS.value) for s in content.develops]
    )
    opportunity.eligible_grades = [EligibleGrade(grade=g) for g in content.grades]
    opportunity.eligible_departments = [departments[(c.COMPANY, name)] for name in content.departments]
    for n, application in enumerate(plan.applications):
        when = dt.datetime.combine(application.submitted_on, dt.time(8 + n % 9, 15))
        row = Application(
            opportunity=opportunity, employee=employees[application.employee], statement=application.statement,
            status=application.status, submitted_at=when, updated_at=when,
        )
        db.session.add(row)
        applications.append((application, row))
    return opportunity


def _accounts(
    plan: DemoPlan, employees: dict[str, Employee], accounts: tuple[DemoAccount, ...], password: str
) -> None:
    """The documented log-ins, plus one for every other line manager, host and secondee (same password)."""
    for account in accounts:
        number = plan.accounts.get(account.key)
        employee = employees[number] if number else None
        roles = {account.role}
        if employee is not None and any(p.manager == number for p in plan.people):
            roles.add(Role.LINE_MANAGER)
        if number in plan.hosts():
            roles.add(Role.HOST_MANAGER)
        create_user(account.email, password, roles, employee=employee)
    # Hashing a password costs ~0.1 s; every other demo log-in shares the one password, so they
    # share one hash rather than spending several seconds hashing it again for each of them.
    shared_hash = generate_password_hash(password)
    documented = set(plan.accounts.values())
    hosts, secondees = plan.hosts(), plan.secondees()
    for p in plan.people:
        if p.number in documented or not (p.is_manager or p.number in hosts or p.number in secondees):
            continue
        roles = {Role.EMPLOYEE}
        roles |= {Role.LINE_MANAGER} if p.is_manager else set()
        roles |= {Role.HOST_MANAGER} if p.number in hosts else set()
        user = User(email=p.email, employee=employees[p.number], password_hash=shared_hash)
        user.role_rows = [UserRole(role=role.value) for role in sorted(roles)]
        db.session.add(user)
