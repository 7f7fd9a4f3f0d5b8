"""Release by the home line manager: pending requests, escalation when undecided, appeals, and each manager's figures.

A line manager cannot block a move indefinitely: a release left undecided for a number of working
days goes to the talent team as well, a decline needs a written reason that the person may appeal,
and the talent team sees every manager's decisions, declines and time to decide.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from marketplace.clock import today as utc_today
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationAction,
    ApplicationEvent,
    ApplicationStatus,
    Employee,
    User,
)
from marketplace.services import selection

AWAITING = (ApplicationStatus.SUBMITTED.value, ApplicationStatus.RELEASE_ESCALATED.value)
DECISIONS = (ApplicationAction.APPROVE_RELEASE.value, ApplicationAction.DECLINE_RELEASE.value)


class ManagerFigures(NamedTuple):
    """How one line manager handles release requests from their team."""

    manager: Employee
    decisions: int
    declines: int
    median_days: float | None  # calendar days from application to the manager's decision
    pending: int
    escalated: int  # requests that went to the talent team because they were left undecided

    @property
    def decline_rate(self) -> float | None:
        return self.declines / self.decisions if self.decisions else None


def release_due(submitted_on: dt.date, working_days: int) -> dt.date:
    """The last day a line manager has to decide: ``working_days`` weekdays after the application."""
    day, left = submitted_on, working_days
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def escalates_on(submitted_on: dt.date, working_days: int) -> dt.date:
    """The day an undecided release goes to the talent team: the day after its due day (escalation runs daily)."""
    return release_due(submitted_on, working_days) + dt.timedelta(days=1)


def working_days_waited(submitted_on: dt.date, today: dt.date) -> int:
    """Weekdays (Mon-Fri) from the day after ``submitted_on`` up to and including ``today``."""
    if today <= submitted_on:
        return 0
    days = (today - submitted_on).days
    weeks, rest = divmod(days, 7)
    extra = sum((submitted_on + dt.timedelta(days=7 * weeks + k)).weekday() < 5 for k in range(1, rest + 1))
    return 5 * weeks + extra


def escalate_overdue_releases(today: dt.date | None = None, working_days: int | None = None) -> int:
    """Escalate to the talent team every release still undecided after its due day (see release_due).

    Returns how many were escalated. Each escalation is its own decision (and commit), so a request
    the manager decides in the meantime is simply skipped.
    """
    today = today or utc_today()
    if working_days is None:
        working_days = current_app.config["RELEASE_ESCALATION_WORKING_DAYS"]
    waiting = db.session.scalars(
        sa.select(Application)
        .where(Application.status == ApplicationStatus.SUBMITTED.value)
        .options(selectinload(Application.employee), selectinload(Application.opportunity))
        .order_by(Application.submitted_at)
    ).all()
    escalated = 0
    for application in waiting:
        if today <= release_due(application.submitted_at.date(), working_days):
            continue
        try:
            selection.transition(
                application, ApplicationAction.ESCALATE, None,
                note=f"No decision within {working_days} working days.",
            )
        except DomainError:  # decided meanwhile
            continue
        escalated += 1
    return escalated


def pending_for(manager: Employee) -> list[Application]:
    """Release requests from the manager's direct reports that wait for a decision, oldest first."""
    return list(db.session.scalars(
        sa.select(Application)
        .join(Employee, Application.employee_id == Employee.id)
        .where(Employee.manager_id == manager.id, Application.status.in_(AWAITING))
        .options(selectinload(Application.employee), selectinload(Application.opportunity))
        .order_by(Application.submitted_at, Application.id)
    ))


QUEUED = (ApplicationStatus.RELEASE_ESCALATED.value, ApplicationStatus.RELEASE_APPEALED.value)


def queue_size() -> int:
    """How many escalated releases and appeals wait for the talent team."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Application).where(Application.status.in_(QUEUED))
    ) or 0


def talent_queue() -> list[Application]:
    """Escalated releases and appealed declines, oldest first: what the talent team has to decide."""
    return list(db.session.scalars(
        sa.select(Application)
        .where(Application.status.in_(QUEUED))
        .options(
            selectinload(Application.employee).selectinload(Employee.manager),
            selectinload(Application.opportunity),
            selectinload(Application.events),
        )
        .order_by(Application.updated_at, Application.id)
    ))


def manager_figures() -> list[ManagerFigures]:
    """Release figures per line manager, the slowest and most declining first, so hoarding shows."""
    days: dict[int, list[float]] = defaultdict(list)
    declines: dict[int, int] = defaultdict(int)
    decided = db.session.execute(
        sa.select(User.employee_id, ApplicationEvent.action, ApplicationEvent.at, Application.submitted_at)
        .join(User, ApplicationEvent.actor_id == User.id)
        .join(Application, ApplicationEvent.application_id == Application.id)
        .where(
            ApplicationEvent.action.in_(DECISIONS),
            ApplicationEvent.actor_role == selection.Party.LINE_MANAGER.value,
        )
    )
    for manager_id, action, at, submitted_at in decided:
        days[manager_id].append((at - submitted_at).total_seconds() / 86400)
        declines[manager_id] += action == ApplicationAction.DECLINE_RELEASE.value
    pending = _count_by_manager(Application.status.in_(AWAITING))
    escalated = _count_by_manager(Application.events.any(ApplicationEvent.action == ApplicationAction.ESCALATE.value))
    ids = set(days) | set(pending) | set(escalated)
    managers = {e.id: e for e in db.session.scalars(sa.select(Employee).where(Employee.id.in_(ids)))}
    figures = [
        ManagerFigures(
            manager=managers[i],
            decisions=len(days[i]),
            declines=declines[i],
            median_days=round(statistics.median(days[i]), 1) if days[i] else None,
            pending=pending.get(i, 0),
            escalated=escalated.get(i, 0),
        )
        for i in ids if i in managers
    ]
    figures.sort(key=lambda f: (-f.escalated, -(f.median_days or 0), -f.declines, f.manager.name))
    return figures


def _count_by_manager(condition: sa.ColumnElement[bool]) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Employee.manager_id, sa.func.count(Application.id))
        .join(Employee, Application.employee_id == Employee.id)
        .where(condition, Employee.manager_id.is_not(None))
        .group_by(Employee.manager_id)
    )
    return {manager_id: count for manager_id, count in rows}
