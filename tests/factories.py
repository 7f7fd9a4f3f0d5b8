"""Small builders for test data; each returns a flushed model with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools

from marketplace.extensions import db
from marketplace.models import (
    Application,
    Department,
    DevelopmentGoal,
    Employee,
    EmployeeSkill,
    Opportunity,
    OpportunitySkill,
    Organisation,
    OrganisationKind,
    Role,
    Secondment,
    Skill,
    SkillAlias,
    SkillRequirement,
    User,
)
from marketplace.services.accounts import create_user

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def organisation(name: str | None = None, kind: OrganisationKind = OrganisationKind.INTERNAL) -> Organisation:
    org = Organisation(name=name or f"Org {next(_seq)}", kind=kind.value)
    db.session.add(org)
    db.session.flush()
    return org


def department(name: str | None = None, org: Organisation | None = None) -> Department:
    dept = Department(name=name or f"Department {next(_seq)}", organisation=org or organisation())
    db.session.add(dept)
    db.session.flush()
    return dept


def skill(name: str | None = None, aliases: tuple[str, ...] = ()) -> Skill:
    s = Skill(name=name or f"Skill {next(_seq)}", description="")
    s.aliases = [SkillAlias(alias=a) for a in aliases]
    db.session.add(s)
    db.session.flush()
    return s


def employee(
    name: str | None = None,
    dept: Department | None = None,
    manager: Employee | None = None,
    skills: dict[Skill, int] | None = None,
    goals: list[Skill] | None = None,
    **fields,
) -> Employee:
    n = next(_seq)
    defaults = dict(
        employee_number=f"E{n:05d}",
        name=name or f"Person {n}",
        email=f"person{n}@example.com",
        job_title="Analyst",
        location="London",
        grade="G7",
        start_date=dt.date(2020, 1, 1),
        capacity_percent=100,
    )
    defaults.update(fields)
    emp = Employee(department=dept or department(), manager=manager, **defaults)
    emp.skills = [EmployeeSkill(skill=s, level=lvl) for s, lvl in (skills or {}).items()]
    emp.development_goals = [DevelopmentGoal(skill=s) for s in goals or []]
    db.session.add(emp)
    db.session.flush()
    return emp


def opportunity(
    host: Employee | None = None,
    required: dict[Skill, int] | None = None,
    status: str = "open",
    **fields,
) -> Opportunity:
    host = host or employee()
    start = fields.pop("start_date", dt.date.today() + dt.timedelta(days=60))
    defaults = dict(
        title=f"Secondment {next(_seq)}",
        description="Help the team deliver a new service.",
        type="cross_departmental",
        status=status,
        start_date=start,
        end_date=start + dt.timedelta(days=180),
        closing_date=start - dt.timedelta(days=14),
        location="London",
        remote_policy="hybrid",
        openings=1,
        funding="home_pays",
    )
    defaults.update(fields)
    opp = Opportunity(
        host_manager=host,
        host_department=host.department,
        host_organisation=host.department.organisation,
        **defaults,
    )
    opp.skills = [
        OpportunitySkill(skill=s, kind=SkillRequirement.REQUIRED.value, min_level=lvl)
        for s, lvl in (required or {}).items()
    ]
    db.session.add(opp)
    db.session.flush()
    return opp


def user(*roles: Role, employee_record: Employee | None = None, email: str | None = None) -> User:
    """An account with ``roles``; the employee role gets an employee record when none is given."""
    if employee_record is None and (Role.EMPLOYEE in roles or Role.LINE_MANAGER in roles or Role.HOST_MANAGER in roles):
        employee_record = employee()
    u = create_user(
        email or (employee_record.email if employee_record else f"user{next(_seq)}@example.com"),
        PASSWORD,
        set(roles),
        employee=employee_record,
    )
    db.session.flush()
    return u


def login(client, u: User) -> None:
    """Log ``u`` in through the real log-in form."""
    response = client.post("/login", data={"email": u.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def application(opportunity: Opportunity, person: Employee, status: str = "submitted",
                submitted_at: dt.datetime | None = None) -> Application:
    """``person``'s application to ``opportunity``, already at ``status`` (no decisions recorded)."""
    when = submitted_at or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    row = Application(opportunity=opportunity, employee=person, statement="Keen", status=status,
                      submitted_at=when, updated_at=when)
    db.session.add(row)
    db.session.flush()
    return row


def secondment(person: Employee, host: Employee | None = None, *, start: dt.date, end: dt.date,
               status: str = "planned", **fields) -> Secondment:
    """``person`` seconded to a new opportunity of ``host`` from ``start`` to ``end``, at ``status``."""
    opportunity_ = opportunity(host, status="filled", start_date=start, end_date=end,
                               closing_date=start - dt.timedelta(days=1), **fields)
    row = Secondment(application=application(opportunity_, person, "offer_accepted"), opportunity_id=opportunity_.id,
                     employee_id=person.id, home_manager_id=person.manager_id,
                     host_manager_id=opportunity_.host_manager_id, start_date=start, end_date=end, status=status,
                     end_reason="returned" if status == "ended" else None)
    db.session.add(row)
    db.session.flush()
    return row
