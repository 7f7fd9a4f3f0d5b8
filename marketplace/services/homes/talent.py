"""The talent team's home: the pipeline across the organisation, what waits for them, and secondments on the move.

Every figure is a GROUP BY count and every list a LIMIT query, so the page costs the same number
of queries however many people and applications there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.models import Application, ApplicationStatus, Employee, Opportunity, OpportunityStatus, Secondment
from marketplace.models import SecondmentStatus as S
from marketplace.services import return_figures
from marketplace.services.homes.listing import Listing, count, first
from marketplace.services.homes.pipeline import APPLICATION_STAGES, SECONDMENT_STAGES, StageCount, stage_counts

SHOWN = 5
HORIZON_DAYS = 30  # "starting soon" and "ending soon"


@dataclass(frozen=True)
class TalentHome:
    pipeline: list[StageCount]  # applications in progress, then the secondments they became
    escalated: Listing[Application]  # releases a line manager left undecided, longest waiting first
    appeals: Listing[Application]
    awaiting_approval: int  # opportunities a host asked to publish
    starting_soon: Listing[Secondment]  # planned or signed, starting within the horizon
    ending_soon: Listing[Secondment]  # running, ending within the horizon
    returns_without_review: Listing[return_figures.UnreviewedReturn]  # review due and missing, oldest first
    horizon_days: int
    review_days: int  # a return's review is due this many days after its last day


def talent_home(today: dt.date) -> TalentHome:
    """What the talent team sees first, as of ``today``."""
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    people = (selectinload(Application.employee).selectinload(Employee.manager), selectinload(Application.opportunity))
    move = (selectinload(Secondment.employee), selectinload(Secondment.opportunity))
    return TalentHome(
        pipeline=pipeline(),
        escalated=first(_applications(ApplicationStatus.RELEASE_ESCALATED), SHOWN, Application.updated_at,
                        Application.id, options=people),
        appeals=first(_applications(ApplicationStatus.RELEASE_APPEALED), SHOWN, Application.updated_at,
                      Application.id, options=people),
        awaiting_approval=count(sa.select(Opportunity.id).where(
            Opportunity.status == OpportunityStatus.PENDING_APPROVAL.value)),
        starting_soon=first(
            sa.select(Secondment).where(Secondment.status.in_((S.PLANNED.value, S.AGREEMENT_SIGNED.value)),
                                        Secondment.start_date.between(today, horizon)),
            SHOWN, Secondment.start_date, Secondment.id, options=move,
        ),
        ending_soon=first(
            sa.select(Secondment).where(Secondment.status == S.ACTIVE.value,
                                        Secondment.end_date.between(today, horizon)),
            SHOWN, Secondment.end_date, Secondment.id, options=move,
        ),
        returns_without_review=returns_without_review(today),
        horizon_days=HORIZON_DAYS,
        review_days=current_app.config["RETURN_REVIEW_DAYS"],
    )


def pipeline() -> list[StageCount]:
    """Applications in progress by stage, then current secondments by stage: two GROUP BY queries."""
    applications = dict(db.session.execute(
        sa.select(Application.status, sa.func.count()).group_by(Application.status)
    ).all())
    secondments = dict(db.session.execute(
        sa.select(Secondment.status, sa.func.count()).group_by(Secondment.status)
    ).all())
    return stage_counts(applications, APPLICATION_STAGES) + stage_counts(secondments, SECONDMENT_STAGES)


def returns_without_review(today: dt.date) -> Listing[return_figures.UnreviewedReturn]:
    """Returns whose review is due by ``today`` (RETURN_REVIEW_DAYS after the last day) and not held, oldest first."""
    shown = first(return_figures.without_review(today), SHOWN, *return_figures.OLDEST_FIRST,
                  options=return_figures.LISTED)
    return Listing([return_figures.UnreviewedReturn.of(s, today) for s in shown.items], shown.total)


def _applications(status: ApplicationStatus) -> sa.Select:
    return sa.select(Application).where(Application.status == status.value)
