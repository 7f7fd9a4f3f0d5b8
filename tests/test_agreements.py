"""The secondment agreement: the first draft, editing, signing, versions, amendments and the acting-up post."""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from marketplace.clock import today as utc_today
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    AgreementSignature,
    Application,
    ApplicationAction,
    Notification,
    OpportunitySkill,
    Role,
    Secondment,
    SecondmentAgreement,
    SecondmentEvent,
    SecondmentParty,
    SkillRequirement,
    User,
)
from marketplace.services import agreement_signing, agreement_terms, agreements, check_ins, selection
from marketplace.services.audit import signing
from marketplace.services.audit.verify import verify
from tests import factories as f
from tests.test_openings_concurrency import postgres_only  # noqa: F401  (a fixture)

P = SecondmentParty

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


# --- signing --------------------------------------------------------------------------------------------------------

SIGNERS = (("person", "employee"), ("home", "home_manager"), ("host", "host_manager"))


def ready(secondment: Secondment, accounts: dict, **changes) -> SecondmentAgreement:
    """The draft, completed by the host (with ``changes``), ready to sign."""
    draft = draft_of(secondment)
    agreements.edit(draft, actor=accounts["host"], revision=draft.revision, values=complete(draft, **changes))
    return _reload(draft)


def sign(agreement: SecondmentAgreement, accounts: dict, *who: str) -> SecondmentAgreement:
    for name in who:
        party = dict(SIGNERS)[name]
        agreement = agreement_signing.sign(_reload(agreement), actor=accounts[name], party=party,
                                           revision=_reload(agreement).revision)
    return agreement


def test_each_signer_signs_with_a_time_and_the_third_signature_brings_it_into_force(app):
    secondment, accounts = accepted()
    new_end = secondment.end_date + dt.timedelta(days=31)
    draft = ready(secondment, accounts, end_date=new_end, check_in_frequency="quarterly",
                  objectives="Ship the pipeline\nTrain two analysts")
    sign(draft, accounts, "person", "home")
    draft = _reload(draft)
    assert draft.status == "draft" and [s.party for s in draft.signatures] == ["employee", "home_manager"]
    assert all(s.signed_at and s.terms_sha256 == agreement_terms.digest(draft.terms) for s in draft.signatures)
    assert _reload(secondment).status == "planned"

    sign(draft, accounts, "host")
    draft, secondment = _reload(draft), _reload(secondment)
    assert (draft.status, secondment.status) == ("signed", "agreement_signed")
    assert draft.signed_at is not None
    assert (secondment.end_date, secondment.check_in_frequency) == (new_end, "quarterly")
    assert check_ins.objectives_of(secondment) == ["Ship the pipeline", "Train two analysts"]
    actions = db.session.scalars(sa.select(SecondmentEvent.action).order_by(SecondmentEvent.id)).all()
    assert actions == ["agreement.edited", "agreement.signed", "agreement.signed", "agreement.signed",
                       "agreement_signed"]
    summaries = db.session.scalars(sa.select(SecondmentEvent.summary).order_by(SecondmentEvent.id)).all()
    assert summaries[1:] == ["Agreement v1 signed by Sam Secondee (the secondee)",
                             "Agreement v1 signed by Hal Home (the home manager)",
                             "Agreement v1 signed by Gina Host (the host manager)",
                             "Agreement v1 signed by everyone"]
    assert verify(signing.signing_key().public_key()).ok


def test_the_secondee_hears_when_everyone_has_signed(app):
    secondment, accounts = accepted()
    draft = ready(secondment, accounts)
    sign(draft, accounts, "home", "host", "person")
    inbox = db.session.scalars(sa.select(Notification.body).where(
        Notification.recipient_id == accounts["home"].id)).all()
    assert "Agreement v1 signed by everyone" in inbox and "Agreement v1 signed by Gina Host (the host manager)" in inbox
    own = db.session.scalars(sa.select(Notification.body).where(Notification.recipient_id == accounts["person"].id))
    assert "Agreement v1 signed by Sam Secondee (the secondee)" not in own.all()  # nobody is told of their own step


def test_an_incomplete_draft_cannot_be_signed(app):
    secondment, accounts = accepted()
    with pytest.raises(DomainError, match=r"not complete yet \(backfill plan\)") as refused:
        agreement_signing.sign(draft_of(secondment), actor=accounts["person"], party="employee", revision=1)
    assert refused.value.status_code == 409
    assert not db.session.scalars(sa.select(AgreementSignature)).all()


@pytest.mark.parametrize(("who", "party"), [
    ("home", "employee"), ("person", "host_manager"), ("talent", "home_manager"), ("stranger", "employee"),
    ("host", "talent"), ("host", "nobody"),
])
def test_nobody_signs_for_someone_else(app, who, party):
    secondment, accounts = accepted()
    draft = ready(secondment, accounts)
    with pytest.raises(DomainError, match="each for themselves") as refused:
        agreement_signing.sign(draft, actor=accounts[who], party=party, revision=draft.revision)
    assert refused.value.status_code == 403


def test_the_talent_team_signs_for_a_secondee_without_a_home_manager(app):
    secondment, accounts = accepted()
    secondment.home_manager_id = None
    db.session.commit()
    draft = ready(secondment, accounts, home_manager="The talent team")
    agreement_signing.sign(draft, actor=accounts["talent"], party="home_manager", revision=draft.revision)
    assert _reload(draft).signature_of(P.HOME_MANAGER).signed_by_id == accounts["talent"].id


def test_signing_twice_or_over_a_changed_revision_is_refused(app):
    secondment, accounts = accepted()
    draft = ready(secondment, accounts)
    sign(draft, accounts, "person")
    with pytest.raises(DomainError, match="already signed for the secondee") as twice:
        agreement_signing.sign(_reload(draft), actor=accounts["person"], party="employee", revision=draft.revision)
    assert twice.value.status_code == 409
    with pytest.raises(DomainError, match="The terms changed") as stale:
        agreement_signing.sign(_reload(draft), actor=accounts["home"], party="home_manager", revision=1)
    assert stale.value.status_code == 409
    assert len(_reload(draft).signatures) == 1


def test_an_edit_after_someone_signed_clears_the_signatures_and_says_so(app):
    secondment, accounts = accepted()
    draft = ready(secondment, accounts)
    sign(draft, accounts, "person", "home")
    draft = _reload(draft)
    done = agreements.edit(draft, actor=accounts["host"], revision=draft.revision, values=complete(draft, leave="New."))
    assert done.cleared == ["Sam Secondee", "Hal Home"]
    draft = _reload(draft)
    assert draft.signatures == [] and draft.status == "draft"
    event = db.session.scalars(sa.select(SecondmentEvent).order_by(SecondmentEvent.id.desc()).limit(1)).one()
    assert event.summary == ("Agreement v1 changed after it was signed, so the signatures are cleared and everyone "
                             "signs again; changed: leave")
    told = set(db.session.scalars(sa.select(Notification.recipient_id).where(Notification.body == event.summary)))
    assert told == {accounts["person"].id, accounts["home"].id}


def test_saving_the_same_words_clears_no_signature(app):
    secondment, accounts = accepted()
    draft = ready(secondment, accounts)
    sign(draft, accounts, "person")
    draft = _reload(draft)
    done = agreements.edit(draft, actor=accounts["home"], revision=draft.revision, values=complete(draft))
    assert done.changed == [] and len(_reload(draft).signatures) == 1


def test_a_signed_version_cannot_be_edited_or_signed_again(app):
    secondment, accounts = accepted()
    signed = sign(ready(secondment, accounts), accounts, "person", "home", "host")
    with pytest.raises(DomainError, match="Propose an amendment") as edit:
        agreements.edit(signed, actor=accounts["host"], revision=signed.revision, values=complete(signed))
    assert edit.value.status_code == 409
    with pytest.raises(DomainError, match="nothing to sign") as again:
        agreement_signing.sign(signed, actor=accounts["host"], party="host_manager", revision=signed.revision)
    assert again.value.status_code == 409


@pytest.fixture
def slow_signing(monkeypatch):
    """Widen the gap between taking a signer's turn and counting the signatures, as a busy server would."""
    digest = agreement_terms.digest

    def slow_digest(document):
        time.sleep(0.05)
        return digest(document)

    monkeypatch.setattr(agreement_terms, "digest", slow_digest)


def _at_once(app, *steps) -> list[str]:
    """Run each step in its own session, all released at the same moment; "done" or the refusal of each.

    A step is (prepare, act): ``prepare()`` reads what its person sees, ``act(prepared)`` does it.
    """
    start = threading.Barrier(len(steps))

    def run(step) -> str:
        prepare, act = step
        with app.app_context():
            try:
                prepared = prepare()
                start.wait()
                act(prepared)
                return "done"
            except DomainError as refused:
                return refused.message
            finally:
                db.session.remove()

    with ThreadPoolExecutor(len(steps)) as pool:
        return list(pool.map(run, steps))


def signing_step(agreement_id: int, user_id: int, party: str):
    """A signer opens the version (and its revision), then signs it."""
    def prepare():
        agreement = db.session.get(SecondmentAgreement, agreement_id)
        return agreement, agreement.revision

    def act(prepared):
        agreement, revision = prepared
        agreement_signing.sign(agreement, actor=db.session.get(User, user_id), party=party, revision=revision)

    return prepare, act


def editing_step(agreement_id: int, user_id: int, **changes):
    """An editor opens the form on the version, then saves ``changes``."""
    def prepare():
        agreement = db.session.get(SecondmentAgreement, agreement_id)
        return agreement, complete(agreement, **changes), agreement.revision

    def act(prepared):
        agreement, values, revision = prepared
        agreements.edit(agreement, actor=db.session.get(User, user_id), values=values, revision=revision)

    return prepare, act


def test_three_signers_at_once_lose_no_signature_and_move_the_secondment_once(app, postgres_only, slow_signing):
    secondment, accounts = accepted()
    draft = ready(secondment, accounts)
    outcomes = _at_once(app, *(signing_step(draft.id, accounts[name].id, party) for name, party in SIGNERS))

    assert outcomes == ["done"] * 3
    draft, secondment = _reload(draft), _reload(secondment)
    assert {s.party for s in draft.signatures} == {"employee", "home_manager", "host_manager"}
    assert (draft.status, secondment.status) == ("signed", "agreement_signed")
    moves = db.session.scalars(sa.select(SecondmentEvent).where(SecondmentEvent.action == "agreement_signed")).all()
    assert len(moves) == 1


def test_the_same_signer_twice_at_once_signs_once(app, postgres_only, slow_signing):
    secondment, accounts = accepted()
    draft = ready(secondment, accounts)
    outcomes = _at_once(app, *[signing_step(draft.id, accounts["home"].id, "home_manager")] * 2)

    assert sorted(outcomes) == ["Version 1 is already signed for the home manager.", "done"]
    assert len(_reload(draft).signatures) == 1


def test_a_signature_racing_an_edit_never_stands_on_words_its_signer_did_not_read(app, postgres_only, slow_signing):
    secondment, accounts = accepted()
    draft = ready(secondment, accounts)
    outcomes = _at_once(app, editing_step(draft.id, accounts["host"].id, leave="Changed at the same moment."),
                        signing_step(draft.id, accounts["person"].id, "employee"))

    # the edit always goes through; the signature is either refused (edit first) or cleared by it (signature first)
    assert outcomes[0] == "done" and outcomes[1] in ("done", "The terms changed, or were signed by everyone, while "
                                                     "you were reading them. Read this version again before you sign.")
    draft = _reload(draft)
    assert draft.terms["leave"] == "Changed at the same moment." and draft.signatures == []
