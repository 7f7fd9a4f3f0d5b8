"""Secondments move planned -> agreement signed -> active -> ended (with a reason), and never backwards."""

from __future__ import annotations

import datetime as dt

import pytest

from jobs import lifecycle as lifecycle_tasks
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import Application, SecondmentEndReason, SecondmentStatus
from marketplace.services import secondments
from tests import factories as f


def planned(start: dt.date):
    opportunity = f.opportunity(start_date=start, closing_date=start - dt.timedelta(days=1))
    application = Application(opportunity=opportunity, employee=f.employee(), statement="x", status="offer_accepted")
    db.session.add(application)
    db.session.flush()
    row = secondments.plan(application)
    db.session.commit()
    return row


def test_signed_secondments_start_on_their_start_date(app):
    today = dt.date.today()
    due, later, unsigned = planned(today), planned(today + dt.timedelta(days=3)), planned(today)
    for row in (due, later):
        secondments.move(row, SecondmentStatus.AGREEMENT_SIGNED)

    assert lifecycle_tasks.start_due_secondments() == 1

    assert (due.status, later.status, unsigned.status) == ("active", "agreement_signed", "planned")


def test_a_secondment_ends_only_with_a_reason_and_never_moves_back(app):
    row = planned(dt.date.today())
    with pytest.raises(DomainError, match="A planned secondment cannot become active"):
        secondments.move(row, SecondmentStatus.ACTIVE)
    with pytest.raises(DomainError, match="Say why the secondment ended"):
        secondments.move(row, SecondmentStatus.ENDED)
    secondments.move(row, SecondmentStatus.ENDED, end_reason=SecondmentEndReason.TERMINATED_EARLY,
                     on=dt.date(2026, 5, 1))
    assert (row.status, row.end_reason, row.ended_on) == ("ended", "terminated_early", dt.date(2026, 5, 1))
    with pytest.raises(DomainError, match="it can become: nothing"):
        secondments.move(row, SecondmentStatus.ACTIVE)
