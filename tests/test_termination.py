"""Ending a secondment early: who may, what they must say, the confirmation step, and what follows."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from marketplace.clock import today as utc_today
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import AuditEntry, Notification, Role, SecondmentEvent, SecondmentStatus, UserRole
from marketplace.services import check_ins, reminders, termination
from marketplace.services.audit import signing
from marketplace.services.audit.verify import verify
from tests import factories as f
from tests.test_check_ins import held, running_secondment

TODAY = utc_today()


def started_100_days_ago(status: SecondmentStatus = SecondmentStatus.ACTIVE):
    return running_secondment(TODAY - dt.timedelta(days=100), TODAY + dt.timedelta(days=100), status=status)


def form(**fields) -> dict:
    return {"trigger": "long_term_sickness", "effective_on": TODAY.isoformat(),
            "reason": "Signed off sick until further notice; agreed to return home.", **fields}


def _reload(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def test_the_host_reviews_then_confirms_an_early_end_and_everyone_concerned_is_told(client, app):
    row, accounts = started_100_days_ago()
    f.login(client, accounts["host"])
    assert "End early" in client.get(f"/secondments/{row.id}").get_data(as_text=True)
    page = client.get(f"/secondments/{row.id}/end-early").get_data(as_text=True)
    assert "Long-term sickness" in page and "Mutual agreement" in page

    review = client.post(f"/secondments/{row.id}/end-early", data=form(step="review"))
    html = review.get_data(as_text=True)
    assert review.status_code == 200 and "Confirm: end Sam Secondee" in html and "Long-term sickness" in html
    assert _reload(row).status == "active"  # nothing happens before the confirmation

    confirmed = client.post(f"/secondments/{row.id}/end-early", data=form(step="confirm"))
    assert confirmed.status_code == 302
    row = _reload(row)
    assert (row.status, row.end_reason, row.ended_on) == ("ended", "terminated_early", TODAY)
    event = db.session.scalars(sa.select(SecondmentEvent)).one()
    assert (event.action, event.actor_role, event.reason_code) == (
        "ended.terminated_early", "host_manager", "long_term_sickness")
    assert event.reason == "Signed off sick until further notice; agreed to return home."
    entry = db.session.get(AuditEntry, event.audit_seq)
    assert json.loads(entry.payload)["effective_on"] == TODAY.isoformat()
    assert entry.reason_code == "long_term_sickness"
    assert verify(signing.signing_key().public_key()).ok

    told = set(db.session.scalars(sa.select(Notification.recipient_id)))
    assert told == {accounts["person"].id, accounts["home"].id}  # not the host, who did it
    client.post("/logout")
    f.login(client, accounts["person"])
    html = client.get(f"/secondments/{row.id}").get_data(as_text=True)
    assert "Secondment ended early (long-term sickness)" in html and "Signed off sick" in html
    assert "End early" not in html


def test_going_back_from_the_confirmation_keeps_what_was_written(client, app):
    row, accounts = started_100_days_ago()
    f.login(client, accounts["home"])
    response = client.post(f"/secondments/{row.id}/end-early", data=form(step="change", trigger="misconduct"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Signed off sick until further notice" in html
    assert '<option selected value="misconduct">' in html
    assert _reload(row).status == "active"


@pytest.mark.parametrize(("change", "message"), [
    ({"reason": "   "}, "Write the reason"),
    ({"reason": ""}, "This field is required."),
    ({"trigger": ""}, "This field is required."),
    ({"trigger": "boredom"}, "Not a valid choice."),
    ({"effective_on": ""}, "This field is required."),
    ({"effective_on": "next week"}, "Not a valid date value."),
    ({"effective_on": (TODAY - dt.timedelta(days=101)).isoformat()}, "The last day falls between the start"),
    ({"effective_on": (TODAY + dt.timedelta(days=101)).isoformat()}, "The last day falls between the start"),
])
@pytest.mark.parametrize("step", ["review", "confirm"])
def test_an_early_end_needs_a_trigger_a_reason_and_a_last_day_within_the_dates(client, app, change, message, step):
    row, accounts = started_100_days_ago()
    f.login(client, accounts["talent"])
    response = client.post(f"/secondments/{row.id}/end-early", data=form(step=step, **change))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _reload(row).status == "active"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SecondmentEvent)) == 0


def test_the_last_day_may_be_the_first_or_the_planned_last(app):
    first, accounts = started_100_days_ago()
    termination.terminate(first, actor=accounts["talent"], trigger="organisational_change", reason="Team closed.",
                          effective_on=first.start_date)
    assert first.ended_on == first.start_date
    last, accounts = running_secondment(TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=10), develops=())
    termination.terminate(last, actor=accounts["home"], trigger="other", reason="Needed at home.",
                          effective_on=last.end_date)
    assert last.ended_on == last.end_date


@pytest.mark.parametrize("who", ["person", "stranger"])
def test_the_secondee_and_outsiders_cannot_end_it(client, app, who):
    row, accounts = started_100_days_ago()
    f.login(client, accounts[who])
    assert "End early" not in client.get(f"/secondments/{row.id}").get_data(as_text=True)
    assert client.get(f"/secondments/{row.id}/end-early").status_code == 403
    assert client.post(f"/secondments/{row.id}/end-early", data=form(step="confirm")).status_code == 403
    assert _reload(row).status == "active"


def test_a_secondee_in_the_talent_team_still_cannot_end_their_own(app):
    row, accounts = started_100_days_ago()
    person = accounts["person"]
    person.role_rows.append(UserRole(role=Role.TALENT.value))
    db.session.commit()
    assert termination.role_to_end(person, row) is None
    with pytest.raises(DomainError, match="a secondee asks one of their managers") as refused:
        termination.terminate(row, actor=person, trigger="other", reason="I want to go home.", effective_on=TODAY)
    assert refused.value.status_code == 403


def test_a_signed_secondment_may_end_before_it_starts_a_planned_or_ended_one_may_not(client, app):
    signed, accounts = running_secondment(TODAY + dt.timedelta(days=20), status=SecondmentStatus.AGREEMENT_SIGNED)
    termination.terminate(signed, actor=accounts["host"], trigger="mutual_agreement", reason="Project dropped.",
                          effective_on=signed.start_date)
    assert (signed.status, signed.end_reason) == ("ended", "terminated_early")

    f.login(client, accounts["host"])
    assert client.get(f"/secondments/{signed.id}/end-early").status_code == 409  # already ended
    planned, planned_accounts = running_secondment(TODAY + dt.timedelta(days=20), status=SecondmentStatus.PLANNED,
                                                   develops=())
    with pytest.raises(DomainError, match="Only a signed or running secondment") as refused:
        termination.terminate(planned, actor=planned_accounts["host"], trigger="other", reason="x",
                              effective_on=planned.start_date)
    assert refused.value.status_code == 409


def test_check_ins_after_the_last_day_are_no_longer_due_and_nobody_is_reminded_of_them(app):
    row, accounts = started_100_days_ago()
    slots = check_ins.plan(row).slots
    held(row, slots[0].due_on)
    last_day = slots[2].due_on + dt.timedelta(days=1)  # after check-in 3 (overdue), before check-in 4
    assert [s.state for s in slots[:4]] == ["overdue", "overdue", "overdue", "upcoming"]
    termination.terminate(row, actor=accounts["home"], trigger="misconduct", reason="Investigation upheld.",
                          effective_on=last_day)

    after = check_ins.plan(row).slots
    assert [s.state for s in after] == ["recorded", "missed", "missed", "no_longer_due", "no_longer_due",
                                        "no_longer_due"]
    assert after[3].due_on > last_day
    assert reminders.send_due(TODAY)["check_in_reminders"] == 0
    with pytest.raises(DomainError, match="while the secondment runs"):
        check_ins.record(row, actor=accounts["host"], due_on=after[1].due_on, held_on=after[1].due_on,
                         rating="on_track", host_feedback="Late.", progress=[("on_track", "")])
