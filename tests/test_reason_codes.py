"""Shortlists, rejections, offers and declined releases carry a reason code from a fixed vocabulary; picks
from outside any ranking carry an override code too."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import Application, ApplicationAction, AuditEntry, Role
from marketplace.models.reasons import CODES, OverrideCode, ReasonCode, codes_for
from marketplace.services import audit, selection
from tests import factories as f

A = ApplicationAction
START: dict = {A.SHORTLIST: "released", A.REJECT: "released", A.OFFER: "interview", A.DECLINE_RELEASE: "submitted"}


@pytest.fixture
def people(app):
    """An application, its applicant's line manager and its host, all with accounts."""
    host = f.user(Role.HOST_MANAGER, employee_record=f.employee("Hana Host"))
    manager = f.user(Role.LINE_MANAGER, employee_record=f.employee("Lena Lead"))
    person = f.employee("Eve Applicant", manager=manager.employee)
    opportunity = f.opportunity(host.employee, title="Census data lead")
    application = Application(opportunity=opportunity, employee=person, statement="Pick me.")
    db.session.add(application)
    db.session.commit()
    return application, {A.DECLINE_RELEASE: manager}, host


def deciding(people, action):
    application, accounts, host = people
    application.status = START[action]
    db.session.commit()
    return application, accounts.get(action, host)


def shown_in_ranking(application):
    audit.record("ranking.shown", audit.reference(application.opportunity), actor=None, role="host_manager",
                 payload={"shown": [{"rank": 1, "candidate": audit.reference(application.employee)}]})
    db.session.commit()


@pytest.mark.parametrize("action", list(CODES))
def test_a_coded_decision_without_a_code_is_refused_naming_the_field(people, action):
    application, actor = deciding(people, action)
    shown_in_ranking(application)
    with pytest.raises(DomainError, match="Choose a reason code to") as refused:
        selection.transition(application, action, actor, reason="Because.")
    assert (refused.value.status_code, refused.value.field) == (400, "reason_code")
    assert db.session.get(Application, application.id).status == START[action]


@pytest.mark.parametrize("action", list(CODES))
def test_a_code_from_another_decisions_vocabulary_is_refused(people, action):
    application, actor = deciding(people, action)
    shown_in_ranking(application)
    foreign = next(c for c in ReasonCode if c not in codes_for(action))
    with pytest.raises(DomainError, match=f"“{foreign.value}” is not a reason code") as refused:
        selection.transition(application, action, actor, reason="Because.", reason_code=foreign.value)
    assert refused.value.field == "reason_code"


@pytest.mark.parametrize("action", list(CODES))
def test_other_needs_the_reason_in_words_and_the_code_is_kept_on_the_decision_and_in_the_log(people, action):
    application, actor = deciding(people, action)
    shown_in_ranking(application)
    # Rejections and declines need words anyway; shortlists and offers need them with "other".
    message = "Give a reason to" if selection.MOVES[(START[action], action)].reason_required else "With the reason code “Other”"
    with pytest.raises(DomainError, match=message) as refused:
        selection.transition(application, action, actor, reason_code="other")
    assert refused.value.field == "reason"

    event = selection.transition(application, action, actor, reason="A case of its own.", reason_code="other")
    assert event.reason_code == "other" and event.reason_label == "Other (explain in the reason)"
    entry = db.session.get(AuditEntry, event.audit_seq)
    assert (entry.reason_code, entry.reason_text) == ("other", "A case of its own.")


def test_decisions_without_a_vocabulary_take_no_code(people):
    application, _, host = people
    with pytest.raises(DomainError, match="To approve the release takes no reason code."):
        selection.transition(application, A.APPROVE_RELEASE, people[1][A.DECLINE_RELEASE],
                             reason_code="strong_skills_match")


@pytest.mark.parametrize("action", [A.SHORTLIST, A.OFFER])
def test_picking_someone_no_ranking_showed_needs_an_override_code(people, action):
    application, actor = deciding(people, action)
    code = codes_for(action)[0].value
    with pytest.raises(DomainError, match="Eve Applicant was never shown in a ranking") as refused:
        selection.transition(application, action, actor, reason_code=code)
    assert refused.value.field == "override_code"
    with pytest.raises(DomainError, match="is not an override reason"):
        selection.transition(application, action, actor, reason_code=code, override_code="skills_gap")
    with pytest.raises(DomainError, match="With the override reason “Other”, write the reason."):
        selection.transition(application, action, actor, reason_code=code, override_code="other")

    event = selection.transition(application, action, actor, reason_code=code,
                                 override_code=OverrideCode.RANKING_MISSED_SKILL.value)
    payload = json.loads(db.session.get(AuditEntry, event.audit_seq).payload)
    assert payload["override"] is True and payload["override_code"] == "override_ranking_missed_skill"


def test_an_interview_after_an_override_shortlist_is_flagged_but_not_asked_again(people):
    import datetime as dt

    from marketplace.clock import utcnow

    application, _, host = people
    application.status = "shortlisted"
    db.session.commit()
    event = selection.transition(application, A.SCHEDULE_INTERVIEW, host, interview_at=utcnow() + dt.timedelta(days=3))
    assert json.loads(db.session.get(AuditEntry, event.audit_seq).payload)["override"] is True
    assert event.override_code is None


def test_the_database_refuses_a_code_outside_the_vocabulary(people):
    application, _, host = people
    application.status = "released"
    db.session.commit()
    shown_in_ranking(application)
    event = selection.transition(application, A.SHORTLIST, host, reason_code="strong_skills_match")
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.update(type(event)).where(type(event).id == event.id).values(reason_code="whim"))
        db.session.flush()
    db.session.rollback()


def test_the_release_form_offers_the_decline_codes_as_a_labelled_select(client, people):
    application, accounts, _ = people
    f.login(client, accounts[A.DECLINE_RELEASE])
    page = client.get("/team").get_data(as_text=True)
    select_id = f"code-decline_release-{application.id}"
    assert f'<label class="form-label small" for="{select_id}">Reason code' in page
    assert f'id="{select_id}" name="reason_code" required aria-describedby="code-help-decline_release-{application.id}"' in page
    assert "No cover (backfill) available" in page and "Strong match on the required skills" not in page
    response = client.post(f"/applications/{application.id}/release",
                           data={"action": "decline_release", "reason": "Year end.", "reason_code": "no_backfill"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application.id).events[-1].reason_code == "no_backfill"
