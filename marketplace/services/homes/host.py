"""A host manager's home: their live opportunities with the pipeline of each, and the candidates to review."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.models import Application, ApplicationStatus, Employee, Opportunity, OpportunityStatus
from marketplace.services.homes.listing import Listing, count, first
from marketplace.services.homes.pipeline import ACCEPTED, APPLICATION_STAGES, StageCount, stage_counts

OPPORTUNITIES_SHOWN = 10
TO_REVIEW_SHOWN = 10
O = OpportunityStatus
# Opportunities still selecting or about to be taken up; drafts and cancelled ones stay on "My opportunities".
SELECTING = (O.PENDING_APPROVAL.value, O.OPEN.value, O.CLOSED.value)


@dataclass(frozen=True)
class OpportunityPipeline:
    """One opportunity and how many applications stand at each stage; ``accepted`` of ``openings`` taken."""

    opportunity: Opportunity
    stages: list[StageCount]
    accepted: int

    @property
    def is_open(self) -> bool:
        return self.opportunity.status == O.OPEN.value


@dataclass(frozen=True)
class HostHome:
    pipelines: list[OpportunityPipeline]
    more_opportunities: int  # live ones beyond those shown
    to_review: Listing[Application]  # released, waiting for the host's decision, oldest first


def host_home(host: Employee, today: dt.date) -> HostHome:
    """The host's live opportunities (open first), each with its pipeline, and the released applicants."""
    live = sa.or_(
        Opportunity.status.in_(SELECTING),
        sa.and_(Opportunity.status == O.FILLED.value, Opportunity.end_date >= today),
    )
    mine = sa.select(Opportunity).where(Opportunity.host_manager_id == host.id, live)
    shown = list(db.session.scalars(
        mine.order_by(sa.case((Opportunity.status == O.OPEN.value, 0), else_=1), Opportunity.start_date, Opportunity.id)
        .limit(OPPORTUNITIES_SHOWN)
    ))
    by_status = _counts_by_status([o.id for o in shown])
    to_review = (
        sa.select(Application).join(Opportunity, Application.opportunity_id == Opportunity.id)
        .where(Opportunity.host_manager_id == host.id, Application.status == ApplicationStatus.RELEASED.value)
    )
    return HostHome(
        pipelines=[
            OpportunityPipeline(o, stage_counts(by_status[o.id], APPLICATION_STAGES),
                                stage_counts(by_status[o.id], (ACCEPTED,))[0].count)
            for o in shown
        ],
        more_opportunities=count(mine) - len(shown),
        to_review=first(to_review, TO_REVIEW_SHOWN, Application.updated_at, Application.id,
                        options=(selectinload(Application.employee), selectinload(Application.opportunity))),
    )


def _counts_by_status(opportunity_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if opportunity_ids:
        rows = db.session.execute(
            sa.select(Application.opportunity_id, Application.status, sa.func.count())
            .where(Application.opportunity_id.in_(opportunity_ids))
            .group_by(Application.opportunity_id, Application.status)
        )
        for opportunity_id, status, n in rows:
            counts[opportunity_id][status] = n
    return counts

