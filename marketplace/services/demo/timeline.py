"""Who takes each step of a demo secondment, and when: each service step writes (and commits) its timeline entries
now, and the demo moves them to the day the step happened in its story. The audit log keeps the time each was
really written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Secondment, SecondmentEvent, SecondmentParty, User


@contextmanager
def dated(secondment: Secondment, when: dt.datetime) -> Iterator[None]:
    """Date the timeline entries that the service step inside writes (and commits) ``when``; commits."""
    since = db.session.scalar(sa.select(sa.func.max(SecondmentEvent.id))) or 0
    yield
    db.session.execute(
        sa.update(SecondmentEvent)
        .where(SecondmentEvent.secondment_id == secondment.id, SecondmentEvent.id > since)
        .values(at=when)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def at(day: dt.date, hour: int) -> dt.datetime:
    """``hour`` o'clock on ``day``."""
    return dt.datetime.combine(day, dt.time(hour))


def account_of(secondment: Secondment, party: SecondmentParty, accounts: dict[int, User]) -> User:
    """The log-in of the secondee, home manager or host manager (``accounts`` by employee id)."""
    return accounts[secondment.people[SecondmentParty(party)]]
