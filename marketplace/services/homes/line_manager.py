"""A line manager's home: releases waiting for them, and who in their team is away on secondment or about to go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.models import Application, ApplicationStatus, Employee, Secondment, SecondmentStatus
from marketplace.models.secondment import CURRENT
from marketplace.services import releases


@dataclass(frozen=True)
class PendingRelease:
    """A release request with how long it has waited and when it goes to the talent team."""

    application: Application
    waited_working_days: int
    decide_by: dt.date
    escalates_on: dt.date

    @property
    def is_escalated(self) -> bool:
        return self.application.status == ApplicationStatus.RELEASE_ESCALATED.value


@dataclass(frozen=True)
class Absence:
    """Someone in the team on a secondment, or about to go, and the cover agreed for them."""

    secondment: Secondment
    backfill: str | None

    @property
    def is_away(self) -> bool:
        return self.secondment.status == SecondmentStatus.ACTIVE.value


@dataclass(frozen=True)
class LineManagerHome:
    releases: list[PendingRelease]
    escalation_days: int
    away: list[Absence]  # on secondment now, back soonest first
    leaving: list[Absence]  # planned or signed, leaving soonest first


def line_manager_home(manager: Employee, today: dt.date, escalation_days: int) -> LineManagerHome:
    """Releases from the manager's direct reports, and the secondments of the people they manage at home."""
    pending = [
        PendingRelease(
            application,
            releases.working_days_waited(application.submitted_at.date(), today),
            releases.release_due(application.submitted_at.date(), escalation_days),
            releases.escalates_on(application.submitted_at.date(), escalation_days),
        )
        for application in releases.pending_for(manager)
    ]
    team = list(db.session.scalars(
        sa.select(Secondment)
        .where(Secondment.home_manager_id == manager.id, Secondment.status.in_([s.value for s in CURRENT]))
        .options(selectinload(Secondment.employee), selectinload(Secondment.opportunity))
        .order_by(Secondment.start_date, Secondment.id)
    ))
    absences = [Absence(s, backfill_of(s)) for s in team]
    return LineManagerHome(
        releases=pending,
        escalation_days=escalation_days,
        away=sorted((a for a in absences if a.is_away), key=lambda a: (a.secondment.end_date, a.secondment.id)),
        leaving=[a for a in absences if not a.is_away],
    )


def backfill_of(secondment: Secondment) -> str | None:
    """How the home team covers the person while they are away, from the signed agreement; None until one says.

    The agreement (its backfill plan: leave vacant, temporary cover or an acting-up opportunity)
    is the one place this comes from; until it exists the home links to the secondment page.
    """
    return None
