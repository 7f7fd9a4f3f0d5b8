"""An employee's home: the secondments that fit them best, their applications, and their own secondment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.models import Application, Employee, Opportunity, Secondment, SecondmentStatus
from marketplace.models.application import IN_PROGRESS
from marketplace.services import check_ins, matching, secondments
from marketplace.services.homes.listing import Listing, first
from matching.scoring import MatchScore

TOP_RECOMMENDATIONS = 3
APPLICATIONS_SHOWN = 5


@dataclass(frozen=True)
class Suggestion:
    """A recommended secondment with the main reason it fits, in one line."""

    opportunity: Opportunity
    match: MatchScore
    why: str


@dataclass(frozen=True)
class EmployeeHome:
    suggestions: list[Suggestion]
    eligible_count: int  # open secondments the person may apply to
    applications: Listing[Application]  # in progress, newest first
    secondment: Secondment | None  # planned, signed or running
    check_ins: check_ins.CheckInPlan | None  # the current secondment's
    last_secondment: Secondment | None  # the latest ended one, shown when there is no current one
    profile_gaps: list[str]


def employee_home(employee: Employee, today: dt.date) -> EmployeeHome:
    """What the employee sees first: the best eligible matches, their applications, their secondment."""
    ranked = [r for r in matching.recommendations(employee) if r.eligibility.eligible]
    current = secondments.current_secondment(employee.id)
    in_progress = sa.select(Application).where(
        Application.employee_id == employee.id, Application.status.in_(IN_PROGRESS)
    )
    return EmployeeHome(
        suggestions=[Suggestion(r.opportunity, r.match, why_in_a_line(r.match)) for r in ranked[:TOP_RECOMMENDATIONS]],
        eligible_count=len(ranked),
        applications=first(in_progress, APPLICATIONS_SHOWN, Application.submitted_at.desc(), Application.id.desc(),
                           options=(selectinload(Application.opportunity),)),
        secondment=current,
        check_ins=check_ins.plan(current, today) if current is not None else None,
        last_secondment=None if current is not None else _last_ended(employee),
        profile_gaps=profile_gaps(employee),
    )


def why_in_a_line(match: MatchScore) -> str:
    """The main reasons a secondment fits, as one sentence: what it needs that you have, the goal it serves."""
    have = [e.requirement for e in match.required_evidence if e.status == "met"][:2]
    reasons = []
    if have:
        reasons.append(f"it needs {_and(have)}, which you have")
    if match.goals_served:
        link = match.goals_served[0]
        reasons.append(f"you would build {link.offered}, toward your goal “{link.goal}”")
    if not reasons:
        partly = [e.requirement for e in match.required_evidence if e.status == "partial"][:2]
        if partly:
            reasons.append(f"you have some of what it needs: {_and(partly)}")
        else:
            reasons.append("your profile as a whole is close to what it describes")
    sentence = "; ".join(reasons)
    return sentence[0].upper() + sentence[1:] + "."


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


def _last_ended(employee: Employee) -> Secondment | None:
    return db.session.scalar(
        sa.select(Secondment)
        .where(Secondment.employee_id == employee.id, Secondment.status == SecondmentStatus.ENDED.value)
        .options(selectinload(Secondment.opportunity))
        .order_by(Secondment.end_date.desc(), Secondment.id.desc())
        .limit(1)
    )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
