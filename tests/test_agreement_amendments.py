"""Amendments of a signed agreement, and the backfill an agreement may post: the acting-up opportunity.

An amendment is a new version (an extension, changed terms), signed or withdrawn. The old version
stays as it was signed; the amendment comes into force with the third signature and moves the
secondment's dates, and its check-ins and calendar run on to the new return date.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import sqlalchemy as sa

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import AuditEntry, EmployeeSkill, Notification, Opportunity, Role, SecondmentEvent
from marketplace.services import acting_up, agreement_amendments, agreements, check_ins, eligibility, secondments
from marketplace.services.secondment_calendar import secondment_calendar
from matching import HashingEncoder
from tests import factories as f
from tests.test_agreements import TODAY, accepted, ready, sign

DAY = dt.timedelta(days=1)
NOTE = "The platform launch moved to the spring; Sam stays to see it through."


def _reload(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def signed(*, start: dt.date | None = None, **changes):
    """Sam's secondment with version 1 signed by everyone (``changes`` made to its terms first)."""
    secondment, accounts = accepted(start=start)
    sign(ready(secondment, accounts, **changes), accounts, "person", "home", "host")
    return _reload(secondment), accounts


def running(**changes):
    """As ``signed``, but it started 40 days ago and runs (monthly check-ins)."""
    secondment, accounts = signed(start=TODAY - 40 * DAY, **changes)
    secondments.start_due()
    return _reload(secondment), accounts


def propose(secondment, accounts, who: str = "host", *, end_date: dt.date | None = None, note: str = NOTE):
    end_date = end_date or secondment.end_date + 60 * DAY
    return agreement_amendments.propose(secondment, actor=accounts[who], end_date=end_date, note=note)


def events(action: str) -> list[SecondmentEvent]:
    return list(db.session.scalars(sa.select(SecondmentEvent).where(SecondmentEvent.action == action)))


def amend_path(secondment) -> str:
    return f"/secondments/{secondment.id}/agreement/amend"


def post_amendment(client, secondment, days_longer: int = 9):
    """The amendment form sent with a return date ``days_longer`` after the one in force."""
    end_date = secondment.end_date + days_longer * DAY
    return client.post(amend_path(secondment), data={"end_date": end_date.isoformat(), "note": NOTE})


# --- proposing ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["signed", "running"])
def test_an_amendment_is_a_new_draft_copying_the_terms_in_force_with_the_new_return_date(app, state):
    secondment, accounts = signed() if state == "signed" else running()
    v1 = agreements.in_force(secondment)
    old_end, new_end = secondment.end_date, secondment.end_date + 60 * DAY

    amendment = propose(secondment, accounts, "home", end_date=new_end)

    assert (amendment.version, amendment.status, amendment.change_note) == (2, "draft", NOTE)
    assert amendment.terms == dict(v1.terms, end_date=new_end.isoformat())
    v1 = _reload(v1)
    assert (v1.status, v1.terms["end_date"]) == ("signed", old_end.isoformat())  # still in force until signed
    assert _reload(secondment).end_date == old_end
    [event] = events("agreement.amendment_proposed")
    assert (event.actor_role, event.reason) == ("home_manager", NOTE)
    told = set(db.session.scalars(sa.select(Notification.recipient_id).where(Notification.body == event.summary)))
    assert told == {accounts["person"].id, accounts["host"].id}


def test_the_page_proposes_it_and_lists_both_versions_the_old_one_still_readable(client, app):
    secondment, accounts = running()
    old_end, new_end = secondment.end_date, secondment.end_date + 60 * DAY
    f.login(client, accounts["host"])
    form = client.get(amend_path(secondment)).get_data(as_text=True)
    assert "Propose an amendment or extension" in form and f'value="{old_end.isoformat()}"' in form

    response = client.post(amend_path(secondment), data={"end_date": new_end.isoformat(), "note": NOTE})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/secondments/{secondment.id}/agreement/versions/2")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Amendment v2 proposed." in page and NOTE in page
    assert f'href="/secondments/{secondment.id}/agreement/versions/1">Version 1</a>' in page
    assert "Signed, in force" in page and "Draft, to sign" in page
    assert f"{new_end.day} {new_end:%b %Y}" in page

    old = client.get(f"/secondments/{secondment.id}/agreement/versions/1")
    assert old.status_code == 200
    assert f"{old_end.day} {old_end:%b %Y}" in old.get_data(as_text=True)


def test_the_secondee_cannot_propose_one(client, app):
    secondment, accounts = running()
    with pytest.raises(DomainError, match="the secondee asks one of them") as refused:
        propose(secondment, accounts, "person")
    assert refused.value.status_code == 403
    f.login(client, accounts["person"])
    assert client.get(amend_path(secondment)).status_code == 403
    response = post_amendment(client, secondment)
    assert response.status_code == 403
    assert len(agreements.versions(secondment)) == 1
    assert "Propose an amendment" not in client.get(f"/secondments/{secondment.id}/agreement").get_data(as_text=True)


def test_a_second_open_amendment_is_refused(client, app):
    secondment, accounts = running()
    propose(secondment, accounts)
    with pytest.raises(DomainError, match="Version 2 is already open for signing") as refused:
        propose(_reload(secondment), accounts, "talent")
    assert refused.value.status_code == 409
    f.login(client, accounts["home"])
    assert client.get(amend_path(secondment)).status_code == 409
    response = post_amendment(client, secondment)
    assert response.status_code == 409
    assert "Version 2 is already open for signing" in response.get_data(as_text=True)
    assert [v.version for v in agreements.versions(secondment)] == [1, 2]


def test_a_draft_first_agreement_is_not_amended_but_edited(app):
    secondment, accounts = accepted()
    with pytest.raises(DomainError) as refused:
        propose(secondment, accounts)
    assert refused.value.status_code == 409


@pytest.mark.parametrize(("end_date", "note", "field", "message"), [
    (lambda: TODAY - DAY, NOTE, "end_date", "The new return date comes after the start and after today"),
    (lambda: TODAY, NOTE, "end_date", "The new return date comes after the start and after today"),
    (lambda: "", NOTE, "end_date", "Give the return date."),
    (lambda: "31/02/2027", NOTE, "end_date", "Not a valid date value."),
    (lambda: TODAY + 90 * DAY, "", "note", "Say what the amendment changes, and why."),
    (lambda: TODAY + 90 * DAY, "   ", "note", "Say what the amendment changes, and why."),
    (lambda: TODAY + 90 * DAY, "x" * 2001, "note", "Keep it to 2,000 characters."),
])
def test_a_wrong_date_or_no_note_is_refused_next_to_its_field_and_nothing_is_made(client, app, end_date, note,
                                                                                   field, message):
    secondment, accounts = running()
    day = end_date()
    f.login(client, accounts["host"])
    response = client.post(amend_path(secondment), data={
        "end_date": day.isoformat() if isinstance(day, dt.date) else day, "note": note})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<div id="{field}-error" class="invalid-feedback d-block">{message}' in html
    assert len(agreements.versions(secondment)) == 1
    assert not events("agreement.amendment_proposed")


def test_past_the_duration_cap_the_page_warns_and_asks_for_the_box_to_be_ticked(client, app):
    app.config["SECONDMENT_MAX_MONTHS"] = 12
    secondment, accounts = running()
    far = secondment.start_date + 400 * DAY
    form = {"end_date": far.isoformat(), "note": NOTE}
    f.login(client, accounts["talent"])

    first = client.post(amend_path(secondment), data=form)
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert 'id="cap-warning"' in html and "past the policy cap of 12 months" in html
    assert "I have read the warning: propose it anyway" in html
    assert agreements.open_draft(secondment) is None

    again = client.post(amend_path(secondment), data=form | {"cap_warned": "y"})
    html = again.get_data(as_text=True)
    assert again.status_code == 400
    assert '<div id="past_cap_ok-error" class="invalid-feedback d-block">' in html
    assert agreements.open_draft(secondment) is None

    done = client.post(amend_path(secondment), data=form | {"past_cap_ok": "y"})
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert 'id="cap-warning"' in page  # the signers read it too
    [event] = events("agreement.amendment_proposed")
    assert event.summary.endswith("past the duration cap")


def test_within_the_cap_there_is_no_warning_and_no_box(client, app):
    app.config["SECONDMENT_MAX_MONTHS"] = 24
    secondment, accounts = running()
    f.login(client, accounts["host"])
    response = post_amendment(client, secondment, 30)
    assert response.status_code == 302
    assert "cap-warning" not in client.get(response.headers["Location"]).get_data(as_text=True)


# --- signing it -----------------------------------------------------------------------------------------------------

def test_signed_by_all_three_it_extends_the_secondment_and_supersedes_the_old_version(app):
    secondment, accounts = running()
    old_end, new_end = secondment.end_date, secondment.end_date + 92 * DAY
    v1 = agreements.in_force(secondment)
    before = check_ins.plan(secondment).slots

    amendment = sign(propose(secondment, accounts, end_date=new_end), accounts, "person", "home", "host")

    secondment, v1, amendment = _reload(secondment), _reload(v1), _reload(amendment)
    assert (secondment.status, secondment.end_date) == ("active", new_end)
    assert (amendment.status, v1.status) == ("signed", "superseded")
    assert v1.terms["end_date"] == old_end.isoformat() and len(v1.signatures) == 3  # kept as it was signed
    assert agreements.in_force(secondment).id == amendment.id
    [event] = events("agreement.extended")
    assert event.summary == f"Extended to {new_end.day} {new_end:%b %Y} by amendment v2, signed by everyone"
    assert event.audit_seq is not None
    told = set(db.session.scalars(sa.select(Notification.recipient_id).where(Notification.body == event.summary)))
    assert told == {accounts["person"].id, accounts["home"].id, accounts["talent"].id}  # not the host who signed last

    after = check_ins.plan(secondment).slots
    assert len(after) > len(before)
    assert [s.due_on for s in after] == check_ins.schedule(secondment.start_date, new_end, "monthly")
    assert max(s.due_on for s in after) > old_end


def test_the_calendar_runs_on_to_the_new_return_date(app):
    secondment, accounts = running()
    new_end = secondment.end_date + 92 * DAY
    before = icalendar.Calendar.from_ical(secondment_calendar(secondment))
    sign(propose(secondment, accounts, end_date=new_end), accounts, "person", "home", "host")
    ics = secondment_calendar(_reload(secondment)).decode()
    after = icalendar.Calendar.from_ical(ics)
    [old_last_day] = [e for e in before.walk("VEVENT") if e["uid"].startswith(f"secondment-{secondment.id}-end@")]
    [last_day] = [e for e in after.walk("VEVENT") if e["uid"] == old_last_day["uid"]]
    assert last_day.decoded("dtstart") == new_end
    assert last_day["sequence"] > old_last_day["sequence"]  # so calendars move the event they hold
    last_check_in = check_ins.schedule(secondment.start_date, new_end, "monthly")[-1]
    assert last_check_in > secondment.end_date - 92 * DAY
    assert f"DTSTART;VALUE=DATE:{last_check_in:%Y%m%d}" in ics


def test_an_amendment_of_a_secondment_not_yet_started_may_move_its_start(app):
    secondment, accounts = signed()
    amendment = propose(secondment, accounts)
    later = secondment.start_date + 7 * DAY
    agreements.edit(amendment, actor=accounts["host"], revision=amendment.revision,
                    values=agreements.agreement_terms.read(amendment.terms) | {"start_date": later})
    sign(amendment, accounts, "person", "home", "host")
    secondment = _reload(secondment)
    assert (secondment.status, secondment.start_date) == ("agreement_signed", later)


def test_once_signed_another_amendment_may_follow(app):
    secondment, accounts = running()
    sign(propose(secondment, accounts), accounts, "person", "home", "host")
    third = propose(_reload(secondment), accounts, "talent", end_date=_reload(secondment).end_date + 30 * DAY)
    assert third.version == 3 and third.terms["end_date"] == (_reload(secondment).end_date + 30 * DAY).isoformat()
    assert [v.status for v in agreements.versions(secondment)] == ["superseded", "signed", "draft"]


# --- withdrawing it -------------------------------------------------------------------------------------------------

def test_a_withdrawn_amendment_leaves_the_terms_in_force_as_they_were(client, app):
    secondment, accounts = running()
    old_end = secondment.end_date
    amendment = propose(secondment, accounts)
    f.login(client, accounts["home"])
    response = client.post(f"/secondments/{secondment.id}/agreement/versions/2/withdraw")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Amendment v2 withdrawn; the terms in force stay as they are." in page
    assert "Secondment agreement, version 1" in page

    assert _reload(amendment).status == "withdrawn"
    secondment = _reload(secondment)
    assert secondment.end_date == old_end and agreements.in_force(secondment).version == 1
    [event] = events("agreement.amendment_withdrawn")
    assert event.summary == "Amendment v2 withdrawn; the terms of v1 stay in force"
    withdrawn = client.get(f"/secondments/{secondment.id}/agreement/versions/2").get_data(as_text=True)
    assert "This amendment was withdrawn before everyone signed it" in withdrawn
    assert "Sign version 2" not in withdrawn and "Withdraw this amendment" not in withdrawn
    assert propose(secondment, accounts).version == 3  # a new one may be proposed


def test_the_secondee_cannot_withdraw_and_the_first_agreement_cannot_be_withdrawn(client, app):
    secondment, accounts = running()
    amendment = propose(secondment, accounts)
    f.login(client, accounts["person"])
    assert client.post(f"/secondments/{secondment.id}/agreement/versions/2/withdraw").status_code == 403
    assert _reload(amendment).status == "draft"
    client.post("/logout")
    f.login(client, accounts["host"])
    assert client.post(f"/secondments/{secondment.id}/agreement/versions/1/withdraw").status_code == 409
    agreement_amendments.withdraw(_reload(amendment), actor=accounts["host"])
    with pytest.raises(DomainError) as twice:
        agreement_amendments.withdraw(_reload(amendment), actor=accounts["host"])
    assert twice.value.status_code == 409
    assert len(events("agreement.amendment_withdrawn")) == 1


# --- backfill: the acting-up opportunity ----------------------------------------------------------------------------

@pytest.fixture
def fake_encoder(app):
    app.extensions["encoder"] = HashingEncoder(dimension=64)


def acting_up_path(secondment, version: int = 1) -> str:
    return f"/secondments/{secondment.id}/agreement/versions/{version}/acting-up"


def with_acting_up(**changes):
    """Sam's secondment signed with an acting-up backfill; Sam is good at SQL and Python."""
    secondment, accounts = signed(backfill_plan="acting_up", **changes)
    person = secondment.employee
    person.skills = [EmployeeSkill(skill=f.skill("SQL modelling"), level=4),
                     EmployeeSkill(skill=f.skill("Python scripting"), level=3)]
    db.session.commit()
    return secondment, accounts


def test_the_home_manager_posts_the_acting_up_draft_in_one_step(client, app, fake_encoder):
    secondment, accounts = with_acting_up()
    person, home = secondment.employee, secondment.home_manager
    f.login(client, accounts["home"])
    page = client.get(f"/secondments/{secondment.id}/agreement").get_data(as_text=True)
    assert "Post the acting-up opportunity" in page

    response = client.post(acting_up_path(secondment))
    assert response.status_code == 302
    opportunity = db.session.scalars(sa.select(Opportunity).where(Opportunity.title == "Acting up: Data Analyst")).one()
    assert response.headers["Location"] == f"/host/opportunities/{opportunity.id}/edit"
    assert (opportunity.status, opportunity.host_manager_id) == ("draft", home.id)
    assert (opportunity.start_date, opportunity.end_date) == (secondment.start_date, secondment.end_date)
    assert [d.id for d in opportunity.eligible_departments] == [person.department_id]
    assert opportunity.host_department_id == person.department_id
    assert {(row.skill.name, row.min_level) for row in opportunity.skills} == {("SQL modelling", 3),
                                                                               ("Python scripting", 2)}
    assert agreements.in_force(_reload(secondment)).acting_up_opportunity_id == opportunity.id
    [event] = events("agreement.acting_up_posted")
    assert event.summary == "Acting-up opportunity for the home team drafted: Acting up: Data Analyst"
    # the home manager may now host it: they open the draft to check and publish it
    assert _reload(accounts["home"]).has_role(Role.HOST_MANAGER)
    assert db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "account.roles_changed")).one()
    edit = client.get(response.headers["Location"])
    assert edit.status_code == 200 and "Acting up: Data Analyst" in edit.get_data(as_text=True)

    page = client.get(f"/secondments/{secondment.id}/agreement").get_data(as_text=True)
    assert (f'<a href="/opportunities/{opportunity.id}">Acting up: Data Analyst</a>' in page
            and "Post the acting-up opportunity" not in page)


def test_the_acting_up_opportunity_is_open_to_the_home_team_only(app, fake_encoder):
    secondment, accounts = with_acting_up(start=TODAY - 10 * DAY)
    secondments.start_due()
    opportunity = acting_up.post(agreements.in_force(_reload(secondment)), actor=accounts["home"])
    assert opportunity.start_date == TODAY  # a running secondment: from today to its return date
    colleague = f.employee("Cara Colleague", dept=secondment.employee.department)
    elsewhere = f.employee("Olly Elsewhere")
    assert eligibility.check(colleague, opportunity).eligible
    assert "Department is not among the eligible departments." in eligibility.check(elsewhere, opportunity).reasons


def test_posting_it_twice_is_refused(client, app, fake_encoder):
    secondment, accounts = with_acting_up()
    f.login(client, accounts["home"])
    assert client.post(acting_up_path(secondment)).status_code == 302
    again = client.post(acting_up_path(secondment))
    assert again.status_code == 409
    assert "The acting-up opportunity “Acting up: Data Analyst” is already posted." in again.get_data(as_text=True)
    amendment = propose(_reload(secondment), accounts)  # an amendment keeps the link
    assert acting_up.posted(amendment) is not None and not acting_up.may_post(accounts["home"], amendment)
    assert client.post(acting_up_path(secondment, 2)).status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Opportunity).where(
        Opportunity.title.startswith("Acting up"))) == 1


@pytest.mark.parametrize("who", ["person", "host", "talent", "stranger"])
def test_nobody_but_the_home_manager_posts_it(client, app, fake_encoder, who):
    secondment, accounts = with_acting_up()
    f.login(client, accounts[who])
    assert "Post the acting-up opportunity" not in client.get(f"/secondments/{secondment.id}").get_data(as_text=True)
    assert client.post(acting_up_path(secondment)).status_code == 403
    with pytest.raises(DomainError) as refused:
        acting_up.post(agreements.in_force(secondment), actor=accounts[who])
    assert refused.value.status_code == 403
    assert acting_up.posted(agreements.in_force(secondment)) is None


def test_another_backfill_plan_posts_nothing(client, app, fake_encoder):
    secondment, accounts = signed()  # temporary cover
    f.login(client, accounts["home"])
    assert "acting-up" not in client.get(f"/secondments/{secondment.id}/agreement").get_data(as_text=True)
    response = client.post(acting_up_path(secondment))
    assert response.status_code == 409
    assert "is not an acting-up opportunity" in response.get_data(as_text=True)


def test_an_amendment_of_a_running_secondment_cannot_be_edited_or_signed_to_end_before_tomorrow(app):
    secondment, accounts = running()
    amendment = propose(secondment, accounts)
    values = agreements.agreement_terms.read(amendment.terms)
    with pytest.raises(agreements.agreement_terms.InvalidTerms) as refused:
        agreements.edit(amendment, actor=accounts["host"], revision=amendment.revision,
                        values=values | {"end_date": TODAY - DAY})
    assert "to end the secondment sooner, end it early" in refused.value.problems["end_date"]
    # proposed to run to a day that has passed by the time the last one signs: nobody signs it as it is
    late = _reload(amendment)
    late.terms = dict(late.terms, end_date=TODAY.isoformat())
    db.session.commit()
    with pytest.raises(DomainError, match=r"not complete yet \(return date\)"):
        sign(late, accounts, "person")
    assert _reload(secondment).end_date > TODAY
