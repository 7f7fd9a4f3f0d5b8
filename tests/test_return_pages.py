"""The return pages: what each party sees on the secondment page, the forms they fill in, and the talent figures."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import ReturnPlan, SecondmentEvent, SkillGain
from marketplace.services import returns
from tests import factories as f
from tests.test_returns import DAY, TODAY, ended_days_ago, ending_in


def page(client, row) -> str:
    return client.get(f"/secondments/{row.id}").get_data(as_text=True)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- the return plan ------------------------------------------------------------------------------------------------

def test_the_home_manager_reads_the_wishes_and_records_the_plan_which_everyone_then_sees(client, app):
    row, accounts = ending_in(40)
    returns.record_wishes(row, actor=accounts["person"], text="I would like my old job back.")
    f.login(client, accounts["home"])
    assert "Record the return plan" in page(client, row)
    form = client.get(f"/secondments/{row.id}/return-plan").get_data(as_text=True)
    assert "I would like my old job back." in form and "Convert to a permanent move" in form

    response = client.post(f"/secondments/{row.id}/return-plan",
                           data={"outcome": "equivalent_role", "equivalent_role": "Lead analyst, Insight"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/secondments/{row.id}#return")
    client.post("/logout")
    for who in ("person", "host", "talent"):
        f.login(client, accounts[who])
        html = page(client, row)
        assert "Return to an equivalent role: Lead analyst, Insight" in html, who
        client.post("/logout")


def test_an_extension_past_the_cap_is_recorded_with_a_warning_and_the_amendment_still_to_come(client, app):
    row, accounts = ending_in(40)
    f.login(client, accounts["home"])
    later = row.start_date + 800 * DAY
    response = client.post(f"/secondments/{row.id}/return-plan", follow_redirects=True,
                           data={"outcome": "extension", "proposed_end_date": later.isoformat()})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "past the policy cap of 24 months" in html and 'id="return-plan-cap"' in html
    assert "agreed through an amendment of the agreement" in html


@pytest.mark.parametrize(("data", "message"), [
    ({}, "This field is required."),
    ({"outcome": "equivalent_role"}, "Name the equivalent role."),
    ({"outcome": "extension"}, "Propose a new end date after the current one"),
    ({"outcome": "extension", "proposed_end_date": "soon"}, "Not a valid date value."),
    ({"outcome": "original_role", "notes": "x" * 4001}, "Field cannot be longer than 4000 characters."),
])
def test_a_plan_with_a_mistake_is_shown_again_with_the_message_and_nothing_saved(client, app, data, message):
    row, accounts = ending_in(40)
    f.login(client, accounts["talent"])
    response = client.post(f"/secondments/{row.id}/return-plan", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(ReturnPlan) == 0 and count(SecondmentEvent) == 0


def test_an_overdue_plan_is_shown_as_overdue_until_it_is_recorded(client, app):
    row, accounts = ending_in(20)
    f.login(client, accounts["host"])
    assert "Return plan overdue" in page(client, row)
    assert "Record the return plan" not in page(client, row)  # the host does not record it
    returns.record_plan(row, actor=accounts["home"], outcome="original_role")
    assert "Return plan overdue" not in page(client, row)


def test_the_secondee_writes_their_wishes_on_the_secondment_page_but_does_not_record_the_plan(client, app):
    row, accounts = ending_in(40)
    f.login(client, accounts["person"])
    html = page(client, row)
    assert "Save my wishes" in html and "Record the return plan" not in html
    assert client.get(f"/secondments/{row.id}/return-plan").status_code == 403
    response = client.post(f"/secondments/{row.id}/return-plan/wishes", data={"text": "An extension, please."})
    assert response.status_code == 302
    assert "An extension, please." in page(client, row)
    assert client.post(f"/secondments/{row.id}/return-plan/wishes", data={"text": ""}).status_code == 400


@pytest.mark.parametrize("who", ["host", "stranger"])
def test_the_host_and_outsiders_cannot_record_the_plan_or_the_wishes(client, app, who):
    row, accounts = ending_in(40)
    f.login(client, accounts[who])
    assert client.post(f"/secondments/{row.id}/return-plan", data={"outcome": "original_role"}).status_code == 403
    assert client.post(f"/secondments/{row.id}/return-plan/wishes", data={"text": "Hi"}).status_code == 403
    assert count(ReturnPlan) == 0


# --- the return review ----------------------------------------------------------------------------------------------

REVIEW_FORM = {"how_it_went": "Settled back in.", "development_conversation": "More data work.",
               "next_steps": "Lead the Q3 dashboard."}


def test_the_home_manager_records_the_review_and_the_secondee_reads_it_while_the_host_sees_only_that_it_was_held(
        client, app):
    row, accounts = ended_days_ago(2)
    f.login(client, accounts["home"])
    html = page(client, row)
    assert "still to be held" in html and "Record the return review" in html
    form = client.get(f"/secondments/{row.id}/return-review").get_data(as_text=True)
    assert 'value="Analyst"' in form and f'value="{TODAY.isoformat()}"' in form
    response = client.post(f"/secondments/{row.id}/return-review",
                           data={**REVIEW_FORM, "held_on": TODAY.isoformat(), "role_returned_to": "Senior Analyst"})
    assert response.status_code == 302
    assert "Record the return review" not in page(client, row)
    assert client.get(f"/secondments/{row.id}/return-review").status_code == 409
    client.post("/logout")

    f.login(client, accounts["person"])
    html = page(client, row)
    assert "Senior Analyst" in html and "Lead the Q3 dashboard." in html
    client.post("/logout")
    f.login(client, accounts["host"])
    html = page(client, row)
    assert "The return review was held on" in html and "Lead the Q3 dashboard." not in html


def test_a_review_with_a_mistake_is_shown_again_and_nothing_is_saved(client, app):
    row, accounts = ended_days_ago(2)
    f.login(client, accounts["home"])
    response = client.post(f"/secondments/{row.id}/return-review",
                           data={**REVIEW_FORM, "held_on": (TODAY - 5 * DAY).isoformat(), "role_returned_to": "X"})
    assert response.status_code == 400 and "between the last day" in response.get_data(as_text=True)
    assert count(SecondmentEvent) == 0


def test_the_review_waits_for_the_end_and_is_the_home_managers(client, app):
    running, accounts = ending_in(10)
    f.login(client, accounts["home"])
    assert client.get(f"/secondments/{running.id}/return-review").status_code == 409
    assert "Return review" not in page(client, running)
    client.post("/logout")
    ended, accounts = ended_days_ago(2)
    for who in ("person", "host", "talent"):
        f.login(client, accounts[who])
        assert client.get(f"/secondments/{ended.id}/return-review").status_code == 403, who
        client.post("/logout")


# --- skills gained --------------------------------------------------------------------------------------------------

def test_the_host_proposes_skills_by_name_the_secondee_sees_them_and_after_confirmation_their_profile_lists_them(
        client, app):
    f.skill("Data modelling", aliases=("data modeling",))
    row, accounts = ending_in(10)
    f.login(client, accounts["host"])
    assert "Propose skills gained" in page(client, row)
    form = client.get(f"/secondments/{row.id}/skills-gained").get_data(as_text=True)
    assert "New level" in form and "data-skill-rows" in form
    response = client.post(f"/secondments/{row.id}/skills-gained",
                           data={"skills-0-skill_name": "data modeling", "skills-0-level": "4"})
    assert response.status_code == 302
    client.post("/logout")

    f.login(client, accounts["person"])
    html = page(client, row)
    assert "Data modelling: 4 · Advanced" in html and "Proposed by the host" in html
    assert "Confirm and add them" not in html
    client.post("/logout")

    f.login(client, accounts["host"])
    assert client.post(f"/secondments/{row.id}/skills-gained/confirm").status_code == 302
    assert "added to the profile" in page(client, row)
    client.post("/logout")
    f.login(client, accounts["person"])
    profile = client.get("/profile").get_data(as_text=True)
    assert 'value="Data modelling"' in profile and '<option selected value="4">' in profile


@pytest.mark.parametrize(("data", "message"), [
    ({"skills-0-skill_name": "Underwater basket weaving", "skills-0-level": "3"}, "is not a skill in the catalogue"),
    ({"skills-0-skill_name": "Python", "skills-0-level": ""}, "Choose a level from 1 to 5."),
    ({}, "Propose at least one skill"),
])
def test_a_proposal_with_a_mistake_is_shown_again_and_nothing_saved(client, app, data, message):
    f.skill("Python")
    row, accounts = ending_in(10)
    f.login(client, accounts["host"])
    response = client.post(f"/secondments/{row.id}/skills-gained", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert count(SkillGain) == 0


@pytest.mark.parametrize("who", ["person", "home", "talent"])
def test_only_the_host_opens_the_skills_gained_form(client, app, who):
    row, accounts = ending_in(10)
    f.login(client, accounts[who])
    assert "Propose skills gained" not in page(client, row)
    assert client.get(f"/secondments/{row.id}/skills-gained").status_code == 403
    assert client.post(f"/secondments/{row.id}/skills-gained/confirm").status_code == 403
