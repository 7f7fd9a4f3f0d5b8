"""The figures each role sees first on the home page, with the next thing to do."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Application, Employee, Opportunity, OpportunityStatus, Role, User
from marketplace.models.application import IN_PROGRESS
from marketplace.services import releases


@dataclass(frozen=True)
class Tile:
    """One figure on the home page: what it counts, the number, and where to act on it."""

    label: str
    figure: int
    endpoint: str
    action: str


def tiles_for(user: User) -> list[Tile]:
    """Home-page figures for every role the user holds, most personal first."""
    tiles: list[Tile] = []
    employee = user.employee
    if employee is not None and user.has_role(Role.EMPLOYEE):
        tiles += _employee_tiles(employee)
    if employee is not None and user.has_role(Role.LINE_MANAGER):
        tiles += _line_manager_tiles(employee)
    if employee is not None and user.has_role(Role.HOST_MANAGER):
        tiles += _host_tiles(employee)
    if user.has_role(Role.TALENT):
        tiles += _talent_tiles()
    if user.has_role(Role.ADMIN):
        tiles.append(Tile("Accounts", _count(sa.select(User.id)), "admin.users", "Manage accounts and roles"))
    return tiles


def profile_gaps(employee: Employee) -> list[str]:
    """What is missing from a profile that the ranking would use."""
    gaps = []
    if not employee.skills:
        gaps.append("add your skills and levels")
    if not employee.development_goals:
        gaps.append("say what you want to develop")
    if not (employee.summary or "").strip():
        gaps.append("write a short summary of your experience")
    return gaps


def _active_applications():
    """Applications still in progress: not withdrawn, nor decided for good."""
    return sa.select(Application.id).where(Application.status.in_(IN_PROGRESS))


def _count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def _employee_tiles(employee: Employee) -> list[Tile]:
    mine = _active_applications().where(Application.employee_id == employee.id)
    open_now = sa.select(Opportunity.id).where(Opportunity.status == OpportunityStatus.OPEN.value)
    return [
        Tile("Your active applications", _count(mine), "applications.mine", "Follow your applications"),
        Tile("Open secondments", _count(open_now), "recommendations.mine", "See which fit you best"),
    ]


def _line_manager_tiles(manager: Employee) -> list[Tile]:
    reports = sa.select(Employee.id).where(Employee.manager_id == manager.id)
    applying = _active_applications().join(Employee, Application.employee_id == Employee.id).where(
        Employee.manager_id == manager.id
    )
    return [
        Tile("People in your team", _count(reports), "team.overview", "See your team"),
        Tile("Applications from your team", _count(applying), "team.overview", "See who is applying"),
        Tile("Releases waiting for you", len(releases.pending_for(manager)), "team.overview", "Release or decline"),
    ]


def _host_tiles(host: Employee) -> list[Tile]:
    hosted = sa.select(Opportunity.id).where(Opportunity.host_manager_id == host.id)
    open_hosted = hosted.where(Opportunity.status == OpportunityStatus.OPEN.value)
    applicants = _active_applications().join(Opportunity, Application.opportunity_id == Opportunity.id).where(
        Opportunity.host_manager_id == host.id
    )
    return [
        Tile("Your open secondments", _count(open_hosted), "host.my_opportunities", "Manage your opportunities"),
        Tile("Active applicants", _count(applicants), "host.my_opportunities", "Review applicants and ranked candidates"),
    ]


def _talent_tiles() -> list[Tile]:
    open_now = sa.select(Opportunity.id).where(Opportunity.status == OpportunityStatus.OPEN.value)
    return [
        Tile("Open secondments", _count(open_now), "talent.overview", "See the whole pipeline"),
        Tile("Active applications", _count(_active_applications()), "talent.overview", "Review applications"),
        Tile("Releases and appeals to decide", releases.queue_size(), "selection.queue", "Decide them"),
    ]
