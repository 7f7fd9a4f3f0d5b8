"""A secondment's page: its parties see the summary and the timeline; every step is in the audit log."""

from __future__ import annotations

import datetime as dt

from marketplace.extensions import db
from marketplace.models import Application, Notification, Role, SecondmentEndReason, SecondmentEvent, SecondmentStatus
from marketplace.services import secondments
from marketplace.services.audit import signing
from marketplace.services.audit.verify import verify
from tests import factories as f


def planned_secondment(start: dt.date | None = None):
    start = start or dt.date.today() + dt.timedelta(days=30)
    home = f.employee("Hal Home")
    person = f.employee("Sam Secondee", manager=home)
    host = f.employee("Gina Host")
    opportunity = f.opportunity(host, title="Data platform secondment", start_date=start,
                                closing_date=start - dt.timedelta(days=1))
    application = Application(opportunity=opportunity, employee=person, statement="x", status="offer_accepted")
    db.session.add(application)
    db.session.flush()
    row = secondments.plan(application)
    accounts = {
        "person": f.user(Role.EMPLOYEE, employee_record=person),
        "home": f.user(Role.EMPLOYEE, Role.LINE_MANAGER, employee_record=home),
        "host": f.user(Role.EMPLOYEE, Role.HOST_MANAGER, employee_record=host),
        "talent": f.user(Role.TALENT),
        "stranger": f.user(Role.EMPLOYEE, employee_record=f.employee("Stan Stranger")),
    }
    db.session.commit()
    return row, accounts


def test_each_party_sees_the_secondment_listed_and_its_page(client, app):
    row, accounts = planned_secondment()
    for who in ("person", "home", "host", "talent"):
        f.login(client, accounts[who])
        listing = client.get("/secondments").get_data(as_text=True)
        assert "Data platform secondment" in listing and "Sam Secondee" in listing, who
        page = client.get(f"/secondments/{row.id}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "Hal Home" in html and "Gina Host" in html and "Agreement to sign" in html
        client.post("/logout")


def test_someone_outside_the_secondment_neither_sees_it_listed_nor_opens_it(client, app):
    row, accounts = planned_secondment()
    f.login(client, accounts["stranger"])
    assert "Data platform secondment" not in client.get("/secondments").get_data(as_text=True)
    assert client.get(f"/secondments/{row.id}").status_code == 403


def test_each_move_is_on_the_timeline_in_the_audit_log_and_in_the_parties_inboxes(client, app):
    row, accounts = planned_secondment(start=dt.date.today())
    secondments.move(row, SecondmentStatus.AGREEMENT_SIGNED)
    secondments.start_due()
    secondments.move(row, SecondmentStatus.ENDED, end_reason=SecondmentEndReason.TERMINATED_EARLY,
                     actor=accounts["host"], role="host_manager", reason="The project was cancelled.")

    events = db.session.query(SecondmentEvent).order_by(SecondmentEvent.id).all()
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("agreement_signed", "planned", "agreement_signed"),
        ("active", "agreement_signed", "active"),
        ("ended.terminated_early", "active", "ended"),
    ]
    assert all(e.audit_seq for e in events)
    assert verify(signing.signing_key().public_key()).ok

    # The host ended it: the person and the home manager are told, the host is not told of their own step.
    told = {n.recipient_id for n in db.session.query(Notification).filter(Notification.body == "Secondment ended early")}
    assert told == {accounts["person"].id, accounts["home"].id}

    f.login(client, accounts["person"])
    html = client.get(f"/secondments/{row.id}").get_data(as_text=True)
    assert "Secondment ended early" in html and "The project was cancelled." in html
    assert html.index("Secondment ended early") < html.index("Secondment started")  # newest first


def test_audit_verification_fails_on_a_secondment_step_without_its_entry(app):
    row, _ = planned_secondment()
    secondments.move(row, SecondmentStatus.AGREEMENT_SIGNED)
    event = db.session.query(SecondmentEvent).one()
    event.audit_seq = None
    db.session.commit()

    result = verify(signing.signing_key().public_key())
    assert not result.ok
    assert "secondment step" in result.problem[1] and "has no audit entry" in result.problem[1]
