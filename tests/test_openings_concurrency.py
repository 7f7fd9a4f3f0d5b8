"""Openings are never over-filled, even when many people accept offers at the same moment (real PostgreSQL)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import Application, ApplicationAction, Opportunity, Role, Secondment, User
from marketplace.services import secondments, selection
from tests import factories as f

PEOPLE = 8


@pytest.fixture
def postgres_only(database_url):
    # SQLite lets one writer in at a time, so there is no race to test; conftest runs the PostgreSQL
    # variant whenever TEST_DATABASE_URL is set, and a missing server fails the run there.
    if not database_url.startswith("postgresql"):
        pytest.skip("the race needs PostgreSQL; set TEST_DATABASE_URL")


def _offers(openings: int) -> tuple[int, list[tuple[int, int]]]:
    opportunity = f.opportunity(openings=openings, title="Harbour survey")
    pairs = []
    for n in range(PEOPLE):
        person = f.employee(f"Person {n}", manager=f.employee())
        account = f.user(Role.EMPLOYEE, employee_record=person)
        application = Application(opportunity=opportunity, employee=person, statement="Me.", status="offered")
        db.session.add(application)
        db.session.flush()
        pairs.append((application.id, account.id))
    db.session.commit()
    return opportunity.id, pairs


@pytest.fixture
def slow_count(monkeypatch):
    """Widen the gap between counting the places taken and writing the new one, as a busy server would."""
    counted = secondments.places_taken

    def places_taken(opportunity_id: int) -> int:
        taken = counted(opportunity_id)
        time.sleep(0.05)
        return taken

    monkeypatch.setattr(secondments, "places_taken", places_taken)


@pytest.mark.parametrize("openings", [1, 3])
def test_concurrent_acceptances_never_fill_more_than_the_openings(app, postgres_only, slow_count, openings):
    opportunity_id, pairs = _offers(openings)
    start = threading.Barrier(PEOPLE)

    def accept(application_id: int, user_id: int) -> str:
        with app.app_context():  # its own session and connection
            try:
                application = db.session.get(Application, application_id)
                user = db.session.get(User, user_id)
                start.wait()
                selection.transition(application, ApplicationAction.ACCEPT_OFFER, user)
                return "accepted"
            except DomainError as refused:
                return refused.message
            finally:
                db.session.remove()

    with ThreadPoolExecutor(PEOPLE) as pool:
        outcomes = list(pool.map(lambda pair: accept(*pair), pairs))

    assert outcomes.count("accepted") == openings
    refusals = {o for o in outcomes if o != "accepted"}
    assert len(refusals) == 1 and "already filled" in refusals.pop()
    db.session.expire_all()
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(Secondment).where(Secondment.opportunity_id == opportunity_id)
    ) == openings
    assert db.session.get(Opportunity, opportunity_id).status == "filled"
    accepted = db.session.scalars(sa.select(Application.status).where(Application.status == "offer_accepted")).all()
    assert len(accepted) == openings
