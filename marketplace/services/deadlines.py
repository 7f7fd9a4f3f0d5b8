"""What happens when a date passes: run periodically by beat, safe to run any number of times."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from marketplace.clock import today, utcnow
from marketplace.extensions import db
from marketplace.models import Opportunity, OpportunityStatus
from marketplace.services import event_notifications


def close_expired_opportunities(on: dt.date | None = None) -> int:
    """Close every open opportunity whose closing date is before ``on`` (today); returns how many closed."""
    on = on or today()
    expired = sa.select(Opportunity.id).where(
        Opportunity.status == OpportunityStatus.OPEN.value, Opportunity.closing_date < on
    )
    opportunity_ids = list(db.session.scalars(expired.order_by(Opportunity.id)))
    db.session.rollback()  # end the read; each opportunity closes in a transaction of its own
    return sum(_close_expired(opportunity_id, on) for opportunity_id in opportunity_ids)


def _close_expired(opportunity_id: int, on: dt.date) -> bool:
    """Close one opportunity and notify, in one transaction; False if someone else changed it first."""
    result = db.session.execute(
        sa.update(Opportunity)
        .where(
            Opportunity.id == opportunity_id,
            Opportunity.status == OpportunityStatus.OPEN.value,
            Opportunity.closing_date < on,
        )
        .values(status=OpportunityStatus.CLOSED.value, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # closed, cancelled or given a later date in the meantime
        db.session.rollback()
        return False
    event_notifications.opportunity_expired(db.session.get(Opportunity, opportunity_id))
    db.session.commit()
    return True
