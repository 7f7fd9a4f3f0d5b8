"""The secondment agreement: the first draft, editing, signing, versions, amendments and the acting-up post."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace.clock import today as utc_today
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    AgreementSignature,
    Application,
    ApplicationAction,
    OpportunitySkill,
    Role,
    Secondment,
    SecondmentAgreement,
    SecondmentEvent,
    SkillRequirement,
)
from marketplace.services import agreement_terms, agreements, check_ins, selection
from tests import factories as f

TODAY = utc_today()


def accepted(*, start: dt.date | None = None, develops: tuple[str, ...] = ("SQL", "Stakeholder management"),
             **opportunity_fields) -> tuple[Secondment, dict]:
    """Sam Secondee accepts Gina Host's offer (Hal Home is his manager): a planned secondment with its draft."""
    start = start or TODAY + dt.timedelta(days=30)
    home = f.employee("Hal Home")
    person = f.employee("Sam Secondee", manager=home, job_title="Data Analyst", goals=[f.skill("Forecasting")])
    host = f.employee("Gina Host")
    fields = dict(title="Data platform secondment", description="Build the new data platform with the team.",
                  start_date=start, closing_date=start - dt.timedelta(days=1), time_commitment_percent=60,
                  location="Leeds") | opportunity_fields
    opportunity = f.opportunity(host, **fields)
    opportunity.skills += [OpportunitySkill(skill=f.skill(name), kind=SkillRequirement.DEVELOPS.value)
                           for name in develops]
    application = Application(opportunity=opportunity, employee=person, statement="Me.", status="offered")
    db.session.add(application)
    accounts = {
        "person": f.user(Role.EMPLOYEE, employee_record=person),
        "home": f.user(Role.EMPLOYEE, Role.LINE_MANAGER, employee_record=home),
        "host": f.user(Role.EMPLOYEE, Role.HOST_MANAGER, employee_record=host),
        "talent": f.user(Role.TALENT),
        "stranger": f.user(Role.EMPLOYEE, employee_record=f.employee("Stan Stranger")),
    }
    db.session.commit()
    selection.transition(application, ApplicationAction.ACCEPT_OFFER, accounts["person"])
    return db.session.scalar(sa.select(Secondment)), accounts


def complete(agreement: SecondmentAgreement, **changes) -> dict:
    """The draft's terms as a form would post them, with the backfill decided and ``changes`` made."""
    return agreement_terms.read(agreement.terms) | {"backfill_plan": "temporary_cover"} | changes


def _reload(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


# --- the first draft ------------------------------------------------------------------------------------------------

def test_accepting_the_offer_drafts_version_1_from_it(app):
    secondment, _ = accepted()
    [draft] = agreements.versions(secondment)
    assert (draft.version, draft.status, draft.revision) == (1, "draft", 1)
    terms = draft.terms
    assert terms["purpose"] == "Build the new data platform with the team."
    assert terms["objectives"] == ["SQL", "Stakeholder management"]
    assert terms["learning_goals"] == ["Forecasting"]
    assert (terms["start_date"], terms["end_date"]) == (secondment.start_date.isoformat(),
                                                         secondment.end_date.isoformat())
    assert (terms["working_percent"], terms["location"]) == (60, "Leeds")
    assert (terms["host_day_to_day_manager"], terms["home_manager"]) == ("Gina Host", "Hal Home")
    assert terms["check_in_frequency"] == "monthly"
    # the one decision the offer cannot make: how the home team covers the work
    assert agreement_terms.problems_of(terms, agreements.rules_for(secondment)) == {
        "backfill_plan": "Choose how the home team covers the work."
    }


def test_a_secondment_without_an_agreement_gets_its_draft_on_first_view_and_only_one(app):
    secondment, _ = accepted()
    db.session.execute(sa.delete(SecondmentAgreement))  # as the demo data and rows older than agreements are
    db.session.commit()
    first = agreements.ensure_agreement(secondment)
    again = agreements.ensure_agreement(secondment)
    assert first.id == again.id and first.version == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SecondmentAgreement)) == 1


def test_an_ended_secondment_without_an_agreement_gets_none(app):
    secondment, _ = accepted()
    db.session.execute(sa.delete(SecondmentAgreement))
    secondment.status, secondment.end_reason, secondment.ended_on = "ended", "returned", TODAY
    db.session.commit()
    assert agreements.ensure_agreement(secondment) is None


def test_check_ins_report_on_the_develops_skills_until_an_agreement_is_signed(app):
    secondment, _ = accepted()
    assert check_ins.objectives_of(secondment) == ["SQL", "Stakeholder management"]


# --- editing --------------------------------------------------------------------------------------------------------

def draft_of(secondment: Secondment) -> SecondmentAgreement:
    return agreements.open_draft(secondment)


def test_a_manager_edits_the_draft_and_the_signers_are_told(app):
    secondment, accounts = accepted()
    draft = draft_of(secondment)
    done = agreements.edit(draft, actor=accounts["home"], revision=1,
                           values=complete(draft, objectives="Ship the ingestion pipeline\n\nTrain two analysts\n"))
    assert done.changed == ["objectives", "backfill_plan"] and done.cleared == []
    draft = _reload(draft)
    assert draft.revision == 2
    assert draft.terms["objectives"] == ["Ship the ingestion pipeline", "Train two analysts"]
    assert draft.terms["backfill_plan"] == "temporary_cover"
    event = db.session.scalars(sa.select(SecondmentEvent).where(SecondmentEvent.action == "agreement.edited")).one()
    assert (event.actor_role, event.summary) == ("home_manager", "Agreement v1 changed: objectives, backfill plan")
    assert event.audit_seq is not None


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"purpose": "  "}, "purpose", "Say what the secondment is for."),
    ({"objectives": ""}, "objectives", "Give at least one objective."),
    ({"objectives": "x" * 301}, "objectives", "Keep each line to 300 characters."),
    ({"end_date": TODAY}, "end_date", "The return date comes after the start date."),
    ({"working_percent": None}, "working_percent", "Give the share of full time or the hours a week."),
    ({"working_hours": 20}, "working_percent", "Give the share of full time or the hours a week, not both."),
    ({"recharge_percent": 101}, "recharge_percent", "Give a number from 0 to 100."),
    ({"salary_paid_by": "host", "recharge_percent": 40}, "recharge_percent", "nothing to recharge"),
    ({"return_arrangement": "another_role"}, "return_role", "Name the role the secondee returns to."),
    ({"termination_triggers": []}, "termination_triggers", "Tick at least one event"),
    ({"backfill_plan": "hire_a_robot"}, "backfill_plan", "Choose how the home team covers the work."),
    ({"check_in_frequency": None}, "check_in_frequency", "Choose how often check-ins are held."),
])
def test_terms_that_break_a_rule_are_refused_next_to_their_field_and_nothing_is_saved(app, changes, field, message):
    secondment, accounts = accepted()
    draft = draft_of(secondment)
    before = dict(draft.terms)
    with pytest.raises(agreement_terms.InvalidTerms) as refused:
        agreements.edit(draft, actor=accounts["host"], revision=1, values=complete(draft, **changes))
    assert refused.value.status_code == 400
    assert message in refused.value.problems[field]
    draft = _reload(draft)
    assert (draft.terms, draft.revision) == (before, 1)
    assert not db.session.scalars(sa.select(SecondmentEvent)).all()


def test_an_international_move_needs_its_tax_and_immigration_notes(app):
    secondment, accounts = accepted(type="international")
    draft = draft_of(secondment)
    with pytest.raises(agreement_terms.InvalidTerms) as refused:
        agreements.edit(draft, actor=accounts["host"], revision=1, values=complete(draft))
    assert refused.value.problems == {"tax_immigration": "An international move needs its tax and immigration notes."}


def test_the_secondee_reads_but_does_not_write_the_agreement(app):
    secondment, accounts = accepted()
    draft = draft_of(secondment)
    for who in ("person", "stranger"):
        with pytest.raises(DomainError, match="the secondee reads and signs it") as refused:
            agreements.edit(draft, actor=accounts[who], revision=1, values=complete(draft))
        assert refused.value.status_code == 403
    assert _reload(draft).revision == 1


def test_an_edit_over_someone_elses_edit_is_refused_rather_than_lost(app):
    secondment, accounts = accepted()
    draft = draft_of(secondment)
    agreements.edit(draft, actor=accounts["host"], revision=1, values=complete(draft, location="York"))
    with pytest.raises(DomainError, match="Someone else changed or signed this version") as refused:
        agreements.edit(draft, actor=accounts["home"], revision=1, values=complete(draft, location="Hull"))
    assert refused.value.status_code == 409
    assert _reload(draft).terms["location"] == "York"
