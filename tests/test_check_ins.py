"""Check-ins: when they fall due, who records and adds to them, what each party sees, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace.clock import today as utc_today
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    CheckIn,
    Notification,
    OpportunitySkill,
    SecondmentEvent,
    SecondmentStatus,
    SkillRequirement,
)
from marketplace.services import check_ins
from marketplace.services.audit import signing
from marketplace.services.audit.verify import verify
from tests import factories as f
from tests.test_secondment_pages import planned_secondment

D = dt.date


def running_secondment(start: dt.date, end: dt.date | None = None, *, frequency: str = "monthly",
                       status: SecondmentStatus = SecondmentStatus.ACTIVE, develops: tuple[str, ...] = ("SQL",)):
    """Sam Secondee's secondment hosted by Gina Host, Hal Home at home; it develops ``develops``."""
    row, accounts = planned_secondment(start)
    row.status, row.check_in_frequency = status.value, frequency
    if end is not None:
        row.end_date = row.opportunity.end_date = end
    row.opportunity.skills += [OpportunitySkill(skill=f.skill(name), kind=SkillRequirement.DEVELOPS.value)
                               for name in develops]
    db.session.commit()
    return row, accounts


def held(secondment, due_on: dt.date, **fields) -> CheckIn:
    """A check-in recorded straight into the database (the service path is tested below)."""
    row = CheckIn(secondment=secondment, due_on=due_on, held_on=fields.pop("held_on", due_on),
                  rating=fields.pop("rating", "on_track"), host_feedback=fields.pop("host_feedback", "Fine."), **fields)
    db.session.add(row)
    db.session.commit()
    return row


# --- the schedule ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "frequency", "expected"), [
    # a 31 January start: clamped to each month's end, never drifting to the 28th; none on the end date
    (D(2027, 1, 31), D(2027, 7, 31), "monthly",
     [D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30), D(2027, 5, 31), D(2027, 6, 30)]),
    (D(2028, 1, 31), D(2028, 5, 1), "monthly", [D(2028, 2, 29), D(2028, 3, 31), D(2028, 4, 30)]),  # leap year
    (D(2026, 11, 15), D(2027, 3, 20), "monthly", [D(2026, 12, 15), D(2027, 1, 15), D(2027, 2, 15), D(2027, 3, 15)]),
    (D(2026, 11, 30), D(2027, 11, 30), "quarterly", [D(2027, 2, 28), D(2027, 5, 30), D(2027, 8, 30)]),
    (D(2027, 1, 15), D(2027, 2, 15), "monthly", []),  # the only date is the end date
    (D(2027, 1, 15), D(2027, 2, 16), "monthly", [D(2027, 2, 15)]),
    (D(2027, 3, 1), D(2027, 3, 31), "monthly", []),  # shorter than a month
    (D(2027, 3, 1), D(2027, 5, 31), "quarterly", []),
])
def test_check_ins_fall_due_on_the_same_day_each_period_before_the_end(start, end, frequency, expected):
    assert check_ins.schedule(start, end, frequency) == expected


def test_an_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        check_ins.schedule(D(2027, 1, 1), D(2027, 12, 1), "weekly")


def test_objectives_are_the_skills_the_opportunity_develops(app):
    row, _ = running_secondment(D(2027, 1, 1), develops=("Stakeholder management", "Data modelling"))
    assert check_ins.objectives_of(row) == ["Data modelling", "Stakeholder management"]


def test_each_check_in_is_recorded_due_soon_overdue_or_upcoming_as_of_today(app):
    row, _ = running_secondment(D(2027, 1, 1), D(2027, 7, 1))
    held(row, D(2027, 2, 1))
    plan = check_ins.plan(row, D(2027, 3, 28))  # the reminder window is 5 days

    assert [(s.number, s.due_on, s.state) for s in plan.slots] == [
        (1, D(2027, 2, 1), "recorded"), (2, D(2027, 3, 1), "overdue"), (3, D(2027, 4, 1), "due"),
        (4, D(2027, 5, 1), "upcoming"), (5, D(2027, 6, 1), "upcoming"),
    ]
    assert plan.next_due.due_on == D(2027, 3, 1)
    assert [s.due_on for s in plan.open] == [D(2027, 3, 1), D(2027, 4, 1)]


def test_nothing_is_due_before_the_secondment_starts(app):
    row, _ = running_secondment(D(2027, 1, 1), D(2027, 7, 1), status=SecondmentStatus.AGREEMENT_SIGNED)
    plan = check_ins.plan(row, D(2027, 3, 28))
    assert {s.state for s in plan.slots} == {"upcoming"} and plan.open == []


# --- recording, through the pages -----------------------------------------------------------------------------------

def started_58_days_ago():
    """Check-in 1 is overdue (due about four weeks ago); check-in 2 falls due in 1 to 4 days."""
    return running_secondment(utc_today() - dt.timedelta(days=58), develops=("SQL", "Public speaking"))


def record_form(due_on: dt.date, **fields) -> dict:
    return {
        "due_on": due_on.isoformat(), "held_on": due_on.isoformat(), "rating": "at_risk",
        "host_feedback": "Strong start; the data model needs more time.",
        "objectives-0-status": "achieved", "objectives-0-progress": "Wrote the reporting queries.",
        "objectives-1-status": "not_started", "objectives-1-progress": "",
        **fields,
    }


def test_the_host_records_a_check_in_and_the_secondee_and_home_manager_are_told(client, app):
    row, accounts = started_58_days_ago()
    first, second = check_ins.plan(row).slots[:2]
    f.login(client, accounts["host"])
    page = client.get(f"/secondments/{row.id}/check-ins/new").get_data(as_text=True)
    assert "Public speaking" in page and "SQL" in page
    assert f"Check-in 1, due {first.due_on.day}" in page and "(overdue)" in page and "Check-in 2" in page

    response = client.post(f"/secondments/{row.id}/check-ins/new", data=record_form(first.due_on))
    assert response.status_code == 302
    check_in = db.session.scalars(sa.select(CheckIn)).one()
    assert response.headers["Location"].endswith(f"/secondments/{row.id}/check-ins/{check_in.id}")
    assert [(o.objective, o.status, o.progress) for o in check_in.objectives] == [
        ("Public speaking", "achieved", "Wrote the reporting queries."), ("SQL", "not_started", "")]
    assert (check_in.rating, check_in.recorded_by_id) == ("at_risk", accounts["host"].id)

    told = set(db.session.scalars(sa.select(Notification.recipient_id)))
    assert told == {accounts["person"].id, accounts["home"].id}
    event = db.session.scalars(sa.select(SecondmentEvent)).one()
    assert (event.action, event.actor_role) == ("check_in.recorded", "host_manager")
    assert verify(signing.signing_key().public_key()).ok

    for who in ("person", "home", "talent"):
        client.post("/logout")
        f.login(client, accounts[who])
        html = client.get(f"/secondments/{row.id}/check-ins/{check_in.id}").get_data(as_text=True)
        assert "Strong start; the data model needs more time." in html and "Wrote the reporting queries." in html
        assert "At risk" in html, who


@pytest.mark.parametrize("who", ["person", "home", "talent", "stranger"])
def test_only_the_host_records_a_check_in(client, app, who):
    row, accounts = started_58_days_ago()
    f.login(client, accounts[who])
    response = client.post(f"/secondments/{row.id}/check-ins/new", data=record_form(check_ins.plan(row).slots[0].due_on))
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


@pytest.mark.parametrize(("change", "message"), [
    ({"host_feedback": "  "}, "Write the host&#39;s feedback."),
    ({"rating": "fine"}, "Not a valid choice."),
    ({"objectives-1-status": "done"}, "Not a valid choice."),
    ({"held_on": (utc_today() + dt.timedelta(days=1)).isoformat()}, "between the start of the secondment and today"),
])
def test_a_check_in_with_a_mistake_is_shown_again_with_the_message_and_nothing_saved(client, app, change, message):
    row, accounts = started_58_days_ago()
    f.login(client, accounts["host"])
    response = client.post(f"/secondments/{row.id}/check-ins/new",
                           data=record_form(check_ins.plan(row).slots[0].due_on, **change))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SecondmentEvent)) == 0


def test_a_check_in_is_recorded_once_and_only_when_open(app):
    row, accounts = started_58_days_ago()
    first, second, third = check_ins.plan(row).slots[:3]
    record = dict(actor=accounts["host"], rating="on_track", host_feedback="Good.",
                  progress=[("on_track", ""), ("on_track", "")])
    check_ins.record(row, due_on=first.due_on, held_on=first.due_on, **record)
    with pytest.raises(DomainError, match="no check-in to record") as refused:
        check_ins.record(row, due_on=first.due_on, held_on=first.due_on, **record)
    assert refused.value.status_code == 409
    with pytest.raises(DomainError, match="no check-in to record"):  # a month away: not open yet
        check_ins.record(row, due_on=third.due_on, held_on=utc_today(), **record)
    with pytest.raises(DomainError, match="every objective"):
        check_ins.record(row, due_on=second.due_on, held_on=utc_today(), **{**record, "progress": [("on_track", "")]})
    assert [c.due_on for c in check_ins.held_check_ins(row)] == [first.due_on]


def test_no_check_in_is_recorded_before_the_secondment_runs(app):
    row, accounts = running_secondment(utc_today() - dt.timedelta(days=58), status=SecondmentStatus.AGREEMENT_SIGNED)
    with pytest.raises(DomainError, match="while the secondment runs"):
        check_ins.record(row, actor=accounts["host"], due_on=check_ins.plan(row).slots[0].due_on, held_on=utc_today(),
                         rating="on_track", host_feedback="x", progress=[("on_track", "")])


# --- the secondee's feedback and the home manager's note -------------------------------------------------------------

def test_the_secondee_adds_feedback_the_host_reads_it_and_it_cannot_be_added_twice(client, app):
    row, accounts = started_58_days_ago()
    check_in = held(row, check_ins.plan(row).slots[0].due_on, recorded_by=accounts["host"])
    path = f"/secondments/{row.id}/check-ins/{check_in.id}"
    f.login(client, accounts["person"])
    assert "Your feedback on this check-in" in client.get(path).get_data(as_text=True)
    assert client.post(f"{path}/feedback", data={"text": "I am learning fast."}).status_code == 302
    assert client.post(f"{path}/feedback", data={"text": "Again."}).status_code == 409

    told = set(db.session.scalars(sa.select(Notification.recipient_id)))
    assert told == {accounts["host"].id, accounts["home"].id}
    client.post("/logout")
    f.login(client, accounts["host"])
    html = client.get(path).get_data(as_text=True)
    assert "I am learning fast." in html and "Again." not in html
    assert "Your feedback on this check-in" not in html
    assert client.post(f"{path}/feedback", data={"text": "Written by the host."}).status_code == 403
    assert verify(signing.signing_key().public_key()).ok


def test_the_home_manager_adds_a_note_that_the_secondee_and_host_see(client, app):
    row, accounts = started_58_days_ago()
    check_in = held(row, check_ins.plan(row).slots[0].due_on)
    path = f"/secondments/{row.id}/check-ins/{check_in.id}"
    f.login(client, accounts["home"])
    assert client.post(f"{path}/note", data={"text": "Let us plan the return in June."}).status_code == 302
    assert client.post(f"{path}/note", data={"text": ""}).status_code == 400
    event = db.session.scalars(sa.select(SecondmentEvent)).one()
    assert (event.action, event.actor_role) == ("check_in.home_manager_note", "home_manager")
    assert set(db.session.scalars(sa.select(Notification.recipient_id))) == {accounts["person"].id, accounts["host"].id}
    client.post("/logout")
    f.login(client, accounts["person"])
    assert "Let us plan the return in June." in client.get(path).get_data(as_text=True)
    assert client.post(f"{path}/note", data={"text": "My own note."}).status_code == 403


def test_a_check_in_of_another_secondment_is_not_found_through_this_one(client, app):
    row, accounts = started_58_days_ago()
    other, _ = running_secondment(utc_today() - dt.timedelta(days=58), develops=())
    check_in = held(other, check_ins.plan(other).slots[0].due_on)
    f.login(client, accounts["talent"])
    assert client.get(f"/secondments/{row.id}/check-ins/{check_in.id}").status_code == 404


# --- the secondment page --------------------------------------------------------------------------------------------

def test_the_secondment_page_warns_of_an_overdue_check_in_until_it_is_recorded(client, app):
    row, accounts = started_58_days_ago()
    first, second = check_ins.plan(row).slots[:2]
    f.login(client, accounts["home"])
    html = client.get(f"/secondments/{row.id}").get_data(as_text=True)
    assert "1 check-in overdue" in html and f"{first.due_on.day} {first.due_on:%b %Y}" in html
    assert "Record a check-in" not in html  # the host records it

    held(row, first.due_on)
    html = client.get(f"/secondments/{row.id}").get_data(as_text=True)
    assert "overdue" not in html
    assert f"Next check-in: <strong>{second.due_on.day} {second.due_on:%b %Y}</strong>" in html
    assert "Recorded" in html and "Due soon" in html
    client.post("/logout")
    f.login(client, accounts["host"])
    assert "Record a check-in" in client.get(f"/secondments/{row.id}").get_data(as_text=True)
