"""The return from a secondment, through its services: the plan, the periodic end, the review, skills gained,
the knowledge note and the evaluations, with what each records and who is told."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from marketplace.clock import today as utc_today
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    AuditEntry,
    EmployeeSkill,
    Notification,
    ReturnPlan,
    SecondmentEvent,
    SecondmentStatus,
)
from marketplace.services import returns
from marketplace.services.audit import signing
from marketplace.services.audit.verify import verify
from tests import factories as f
from tests.test_check_ins import running_secondment

TODAY = utc_today()
DAY = dt.timedelta(days=1)


def ending_in(days: int, status: SecondmentStatus = SecondmentStatus.ACTIVE, **kwargs):
    """Sam Secondee's secondment, started 100 days ago, ending ``days`` from today (negative: in the past)."""
    return running_secondment(TODAY - 100 * DAY, TODAY + days * DAY, status=status, develops=(), **kwargs)


def ended_days_ago(days: int, reason: str = "returned", **kwargs):
    """As ``ending_in``, ended ``days`` ago on its end date (straight into the database)."""
    row, accounts = ending_in(-days, **kwargs)
    row.status, row.end_reason, row.ended_on = "ended", reason, row.end_date
    db.session.commit()
    return row, accounts


def events(action: str | None = None) -> list[SecondmentEvent]:
    query = sa.select(SecondmentEvent).order_by(SecondmentEvent.id)
    if action:
        query = query.where(SecondmentEvent.action == action)
    return list(db.session.scalars(query))


def told() -> set[int]:
    return set(db.session.scalars(sa.select(Notification.recipient_id)))


def reload(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


# --- the return plan ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("ends_in", "state"), [(31, "upcoming"), (30, "due_today"), (29, "overdue"), (0, "overdue")])
def test_the_plan_falls_due_thirty_days_before_the_end(app, ends_in, state):
    row, _ = ending_in(ends_in)
    status = returns.plan_status(row)
    assert status.due_on == row.end_date - 30 * DAY
    assert status.state == state


def test_the_days_before_the_end_come_from_the_config(app):
    app.config["RETURN_PLAN_DAYS"] = 45
    row, _ = ending_in(40)
    assert returns.plan_status(row).state == "overdue"


def test_the_home_manager_records_the_plan_and_the_secondee_and_host_are_told(app):
    row, accounts = ending_in(40)
    status = returns.record_plan(row, actor=accounts["home"], outcome="original_role", notes="Back on 1 June.")
    assert status.recorded and status.cap_warning is None
    plan = status.plan
    assert (plan.outcome, plan.recorded_role, plan.notes) == ("original_role", "home_manager", "Back on 1 June.")
    [event] = events()
    assert (event.action, event.actor_role, event.summary) == (
        "return_plan.recorded", "home_manager", "Return plan: return to the original role")
    payload = json.loads(db.session.get(AuditEntry, event.audit_seq).payload)
    assert payload["outcome"] == "original_role" and "Back on 1 June" not in json.dumps(payload)
    assert told() == {accounts["person"].id, accounts["host"].id}
    assert verify(signing.signing_key().public_key()).ok


def test_an_equivalent_role_is_named_and_an_extension_proposes_a_later_date(app):
    row, accounts = ending_in(40)
    with pytest.raises(DomainError, match="Name the equivalent role") as refused:
        returns.record_plan(row, actor=accounts["home"], outcome="equivalent_role", equivalent_role="  ")
    assert refused.value.field == "equivalent_role"
    with pytest.raises(DomainError, match="new end date after the current one"):
        returns.record_plan(row, actor=accounts["home"], outcome="extension", proposed_end_date=row.end_date)
    with pytest.raises(DomainError, match="Choose what happens"):
        returns.record_plan(row, actor=accounts["home"], outcome="stay_forever")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReturnPlan)) == 0 and events() == []

    status = returns.record_plan(row, actor=accounts["home"], outcome="equivalent_role",
                                 equivalent_role="Senior analyst, Insight team", proposed_end_date=TODAY + 99 * DAY)
    assert (status.plan.equivalent_role, status.plan.proposed_end_date) == ("Senior analyst, Insight team", None)


def test_an_extension_past_the_cap_is_recorded_with_the_warning(app):
    row, accounts = ending_in(40)
    within = returns.record_plan(row, actor=accounts["home"], outcome="extension",
                                 proposed_end_date=row.start_date + 700 * DAY)
    assert within.cap_warning is None
    past = returns.record_plan(row, actor=accounts["talent"], outcome="extension",
                               proposed_end_date=row.start_date + 800 * DAY)
    assert "past the policy cap of 24 months" in past.cap_warning
    assert returns.plan_status(row).cap_warning == past.cap_warning
    changed = events("return_plan.changed")[-1]
    assert changed.actor_role == "talent" and "to be agreed by an amendment" in changed.summary
    assert json.loads(db.session.get(AuditEntry, changed.audit_seq).payload)["past_cap"] is True
    assert reload(row).end_date == TODAY + 40 * DAY  # only the intent: the amendment moves the date


def test_changing_the_plan_is_recorded_and_drops_what_no_longer_applies(app):
    row, accounts = ending_in(40)
    returns.record_plan(row, actor=accounts["home"], outcome="extension", proposed_end_date=TODAY + 100 * DAY)
    status = returns.record_plan(row, actor=accounts["home"], outcome="conversion")
    assert (status.plan.outcome, status.plan.proposed_end_date) == ("conversion", None)
    assert [e.action for e in events()] == ["return_plan.recorded", "return_plan.changed"]
    assert events()[-1].summary == "Return plan changed: convert to a permanent move"


@pytest.mark.parametrize("who", ["person", "host", "stranger"])
def test_only_the_home_manager_or_the_talent_team_records_the_plan(app, who):
    row, accounts = ending_in(40)
    with pytest.raises(DomainError) as refused:
        returns.record_plan(row, actor=accounts[who], outcome="original_role")
    assert refused.value.status_code == 403
    assert events() == []


def test_an_ended_secondment_takes_no_plan_and_shows_none_was_recorded(app):
    row, accounts = ended_days_ago(5)
    assert returns.plan_status(row).state == "closed"
    with pytest.raises(DomainError, match="has ended") as refused:
        returns.record_plan(row, actor=accounts["home"], outcome="original_role")
    assert refused.value.status_code == 409
    with pytest.raises(DomainError, match="has ended"):
        returns.record_wishes(row, actor=accounts["person"], text="Home, please.")


def test_the_secondee_writes_their_wishes_and_the_home_manager_is_told(app):
    row, accounts = ending_in(40)
    returns.record_wishes(row, actor=accounts["person"], text="I would like to stay on in the data team.")
    plan = returns.record_wishes(row, actor=accounts["person"], text="  Back home, with the new skills used.  ")
    assert plan.secondee_wishes == "Back home, with the new skills used." and plan.outcome is None
    assert returns.plan_status(row).state == "upcoming"  # wishes are not the plan
    assert told() == {accounts["home"].id}
    with pytest.raises(DomainError, match="Only the secondee") as refused:
        returns.record_wishes(row, actor=accounts["home"], text="She wants to stay.")
    assert refused.value.status_code == 403
    with pytest.raises(DomainError, match="Write what you would like"):
        returns.record_wishes(row, actor=accounts["person"], text=" ")
    returns.record_plan(row, actor=accounts["home"], outcome="original_role")
    assert reload(plan).secondee_wishes == "Back home, with the new skills used."


# --- the periodic end and the reminder of a missing plan ------------------------------------------------------------

def test_the_periodic_task_ends_running_secondments_past_their_end_date_as_returned_on_that_date(app):
    from jobs import lifecycle

    past, accounts = ending_in(-3)
    today_last, _ = ending_in(0)
    signed_past, _ = ending_in(-3, status=SecondmentStatus.AGREEMENT_SIGNED)
    assert lifecycle.end_due_secondments() == 1
    past, today_last, signed_past = reload(past), reload(today_last), reload(signed_past)
    assert (past.status, past.end_reason, past.ended_on) == ("ended", "returned", TODAY - 3 * DAY)
    assert today_last.status == "active"  # its last day is today
    assert signed_past.status == "agreement_signed"  # starting it is start_due's job, then it ends next run
    [event] = events()
    assert (event.action, event.actor_id, event.actor_role) == ("ended.returned", None, "system")
    assert told() == {accounts["person"].id, accounts["home"].id, accounts["host"].id}
    assert lifecycle.end_due_secondments() == 0  # idempotent
    assert len(events()) == 1


def test_the_end_task_is_on_the_beat_schedule(app):
    from marketplace.config import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["end-due-secondments"]["task"] == "marketplace.end_due_secondments"


def _plan_reminders(day: dt.date) -> int:
    from marketplace.services import reminders

    return reminders.send_due(day)["return_plan_reminders"]


def test_the_home_manager_is_reminded_once_when_the_plan_falls_due_and_is_missing(app):
    row, accounts = ending_in(31)
    assert _plan_reminders(TODAY) == 0  # due tomorrow
    assert _plan_reminders(TODAY + DAY) == 1
    assert _plan_reminders(TODAY + 2 * DAY) == 0  # once
    [note] = db.session.scalars(sa.select(Notification).where(Notification.kind == "return_plan_due")).all()
    assert note.recipient_id == accounts["home"].id and note.link == f"/secondments/{row.id}"
    assert "is due by" in note.body and "Sam Secondee" in note.body


def test_no_reminder_once_the_plan_is_recorded_and_the_talent_team_hears_when_there_is_no_home_manager(app):
    planned_row, accounts = ending_in(20)
    returns.record_plan(planned_row, actor=accounts["home"], outcome="original_role")
    orphan, orphan_accounts = ending_in(20)
    orphan.home_manager_id = None
    db.session.commit()
    assert _plan_reminders(TODAY) == 2  # each of the two talent-team accounts these builders made
    notes = db.session.scalars(sa.select(Notification).where(Notification.kind == "return_plan_due")).all()
    assert {n.recipient_id for n in notes} == {accounts["talent"].id, orphan_accounts["talent"].id}
    assert {n.link for n in notes} == {f"/secondments/{orphan.id}"}


# --- the return review ----------------------------------------------------------------------------------------------

def review_fields(**changes) -> dict:
    return {"held_on": TODAY, "how_it_went": "Settled back in within a week.", "role_returned_to": "Data Analyst",
            "development_conversation": "Use the new SQL skills on the reporting backlog.",
            "next_steps": "Share the pipeline design with the team by March.", **changes}


def test_the_home_manager_records_the_return_review_once_after_the_end_and_the_secondee_is_told(app):
    row, accounts = ended_days_ago(3)
    review = returns.record_review(row, actor=accounts["home"], **review_fields())
    assert (review.role_returned_to, review.held_on, review.recorded_by_id) == (
        "Data Analyst", TODAY, accounts["home"].id)
    [event] = events()
    assert (event.action, event.actor_role) == ("return.reviewed", "home_manager")
    assert event.summary == f"Return review held on {TODAY.day} {TODAY:%b %Y}: back as Data Analyst"
    payload = db.session.get(AuditEntry, event.audit_seq).payload
    assert "Settled back in" not in payload and len(json.loads(payload)["texts_sha256"]) == 4
    assert told() == {accounts["person"].id}
    with pytest.raises(DomainError, match="already") as twice:
        returns.record_review(row, actor=accounts["home"], **review_fields())
    assert twice.value.status_code == 409


@pytest.mark.parametrize(("changes", "field"), [
    ({"held_on": TODAY - 4 * DAY}, "held_on"),  # before the last day
    ({"held_on": TODAY + DAY}, "held_on"),
    ({"held_on": None}, "held_on"),
    ({"how_it_went": " "}, "how_it_went"),
    ({"role_returned_to": ""}, "role_returned_to"),
    ({"role_returned_to": "x" * 201}, "role_returned_to"),
    ({"development_conversation": ""}, "development_conversation"),
    ({"next_steps": "x" * 4001}, "next_steps"),
])
def test_a_review_needs_every_part_and_a_day_between_the_end_and_today(app, changes, field):
    row, accounts = ended_days_ago(3)
    with pytest.raises(DomainError) as refused:
        returns.record_review(row, actor=accounts["home"], **review_fields(**changes))
    assert (refused.value.field, refused.value.status_code) == (field, 400)
    assert returns.review_of(row) is None and events() == []


def test_no_review_before_the_end_or_after_an_end_by_extension(app):
    running, accounts = ending_in(10)
    with pytest.raises(DomainError, match="after the secondment ends") as refused:
        returns.record_review(running, actor=accounts["home"], **review_fields())
    assert refused.value.status_code == 409
    extended, accounts = ended_days_ago(3, reason="extended")
    with pytest.raises(DomainError, match="after the secondment ends"):
        returns.record_review(extended, actor=accounts["home"], **review_fields())
    early, accounts = ended_days_ago(3, reason="terminated_early")
    assert returns.record_review(early, actor=accounts["home"], **review_fields()).id


@pytest.mark.parametrize("who", ["person", "host", "talent", "stranger"])
def test_only_the_home_manager_records_the_review(app, who):
    row, accounts = ended_days_ago(3)
    with pytest.raises(DomainError) as refused:
        returns.record_review(row, actor=accounts[who], **review_fields())
    assert refused.value.status_code == 403


def test_the_talent_team_records_the_review_when_no_home_manager_is_on_record(app):
    row, accounts = ended_days_ago(3)
    row.home_manager_id = None
    db.session.commit()
    returns.record_review(row, actor=accounts["talent"], **review_fields())
    assert events()[0].actor_role == "talent"


def test_the_review_form_starts_with_the_role_the_plan_named(app):
    row, accounts = ending_in(40)
    assert returns.suggested_role(row) == "Analyst"  # the builders' job title
    returns.record_plan(row, actor=accounts["home"], outcome="equivalent_role", equivalent_role="Insight lead")
    assert returns.suggested_role(row) == "Insight lead"


# --- skills gained --------------------------------------------------------------------------------------------------

@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Employee ids whose re-embedding was queued."""
    from marketplace.services import embedding

    calls: list[int] = []
    monkeypatch.setattr(embedding, "queue_employee", calls.append)
    return calls


def test_the_host_proposes_skills_gained_and_the_secondee_sees_the_proposal(app):
    from marketplace.services import skills_gained

    row, accounts = ending_in(10)
    sql, python = f.skill("SQL"), f.skill("Python")
    skills_gained.propose(row, actor=accounts["host"], skills=[(sql, 4), (python, 3)])
    gains = skills_gained.propose(row, actor=accounts["host"], skills=[(sql, 5)])  # Python dropped, SQL higher
    assert [(g.skill.name, g.level, g.confirmed_at) for g in gains] == [("SQL", 5, None)]
    assert [e.summary for e in events()] == ["Skills gained proposed by the host: SQL (4), Python (3)",
                                             "Skills gained proposed by the host: SQL (5)"]
    assert told() == {accounts["person"].id}
    assert {s.skill.name for s in reload(row).employee.skills} == set()  # nothing in the profile yet


def test_confirmed_skills_raise_the_profile_never_lower_it_add_the_missing_and_re_embed_it(app, queued):
    from marketplace.services import skills_gained

    sql, python, excel = f.skill("SQL"), f.skill("Python"), f.skill("Spreadsheets")
    row, accounts = ending_in(10)
    person = row.employee
    person.skills = [EmployeeSkill(skill=sql, level=2), EmployeeSkill(skill=excel, level=5)]
    person.embedding_stale_since = None
    db.session.commit()
    skills_gained.propose(row, actor=accounts["host"], skills=[(sql, 4), (python, 3), (excel, 3)])
    gains = skills_gained.confirm(row, actor=accounts["host"])

    person = reload(person)
    assert {s.skill.name: s.level for s in person.skills} == {"SQL": 4, "Python": 3, "Spreadsheets": 5}
    assert person.embedding_stale_since is not None and queued == [person.id]
    assert {g.skill.name: (g.level_before, g.confirmed_by_id is not None) for g in gains} == {
        "SQL": (2, True), "Python": (None, True), "Spreadsheets": (5, True)}
    confirmed = events("skills.confirmed")[0]
    assert confirmed.summary == ("Skills gained confirmed and added to the profile: "
                                 "Python added at 3, SQL 2 → 4, Spreadsheets already at 5")
    changes = json.loads(db.session.get(AuditEntry, confirmed.audit_seq).payload)["skills"]
    assert {(c["skill"], c["from"], c["to"]) for c in changes} == {(sql.id, 2, 4), (python.id, None, 3),
                                                                   (excel.id, 5, 5)}
    assert verify(signing.signing_key().public_key()).ok

    with pytest.raises(DomainError, match="no proposed skills") as again:
        skills_gained.confirm(row, actor=accounts["host"])
    assert again.value.status_code == 409
    with pytest.raises(DomainError, match="SQL is already confirmed at level 4"):
        skills_gained.propose(row, actor=accounts["host"], skills=[(sql, 5)])


def test_a_profile_that_already_has_every_skill_at_that_level_is_not_re_embedded(app, queued):
    from marketplace.services import skills_gained

    sql = f.skill("SQL")
    row, accounts = ended_days_ago(2)
    row.employee.skills = [EmployeeSkill(skill=sql, level=5)]
    db.session.commit()
    skills_gained.propose(row, actor=accounts["host"], skills=[(sql, 4)])
    skills_gained.confirm(row, actor=accounts["host"])
    assert queued == [] and {s.level for s in reload(row.employee).skills} == {5}


@pytest.mark.parametrize("who", ["person", "home", "talent", "stranger"])
def test_only_the_host_proposes_and_confirms_skills_gained(app, who):
    from marketplace.services import skills_gained

    row, accounts = ending_in(10)
    for attempt in (lambda: skills_gained.propose(row, actor=accounts[who], skills=[(f.skill("SQL"), 3)]),
                    lambda: skills_gained.confirm(row, actor=accounts[who])):
        with pytest.raises(DomainError, match="Only the host manager") as refused:
            attempt()
        assert refused.value.status_code == 403


def test_skills_gained_wait_for_the_start_and_need_a_level(app):
    from marketplace.services import skills_gained

    signed, accounts = ending_in(100, status=SecondmentStatus.AGREEMENT_SIGNED)
    with pytest.raises(DomainError, match="once the secondment has started"):
        skills_gained.propose(signed, actor=accounts["host"], skills=[(f.skill("SQL"), 3)])
    running, accounts = ending_in(10)
    with pytest.raises(DomainError, match="level from 1 to 5"):
        skills_gained.propose(running, actor=accounts["host"], skills=[(f.skill("R"), 6)])
    with pytest.raises(DomainError, match="at least one skill"):
        skills_gained.propose(running, actor=accounts["host"], skills=[])
    assert events() == []
