"""An applicant not selected asks why; the host or the talent team answers in writing, on record and notified."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from marketplace.cli_audit import verify_command
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    Application,
    AuditEntry,
    ExplanationRequest,
    Notification,
    NotificationKind,
    Role,
)
from marketplace.services import audit, explanations, selection
from tests import factories as f

QUESTION = "Which skills would have made the difference for me?"
ANSWER = "The team needed someone with advanced SQL from day one; your Python was strong."


@pytest.fixture
def cast(app):
    """A host's opportunity, an applicant on it (released), a talent team member and another host."""
    host = f.user(Role.HOST_MANAGER, employee_record=f.employee("Hana Host"))
    person = f.user(Role.EMPLOYEE, employee_record=f.employee("Eve Applicant"))
    talent = f.user(Role.TALENT)
    other_host = f.user(Role.HOST_MANAGER)
    opportunity = f.opportunity(host.employee, title="Census data lead")
    application = Application(opportunity=opportunity, employee=person.employee, statement="Me.", status="released")
    db.session.add(application)
    db.session.commit()
    return {"host": host, "person": person, "talent": talent, "other_host": other_host, "application": application}


def rejected(cast) -> Application:
    return reject(cast["application"], cast["host"])


def reject(application: Application, host) -> Application:
    selection.transition(application, "reject", host, reason="We need advanced SQL.", reason_code="skills_gap")
    return application


def kinds_of(user) -> list[str]:
    return list(db.session.scalars(sa.select(Notification.kind).where(Notification.recipient_id == user.id)))


def test_a_rejected_applicant_asks_the_host_answers_and_the_applicant_reads_it_on_my_applications(client, cast):
    application = rejected(cast)
    f.login(client, cast["person"])
    page = client.get("/applications").get_data(as_text=True)
    assert "Ask why I was not selected" in page and f"/applications/{application.id}/explanation" in page
    assert client.post(f"/applications/{application.id}/explanation", data={"question": QUESTION}).status_code == 302
    page = client.get("/applications").get_data(as_text=True)
    assert QUESTION in page and "Waiting for an answer." in page and "Ask why I was not selected" not in page
    assert NotificationKind.EXPLANATION_REQUESTED in kinds_of(cast["host"])
    assert NotificationKind.EXPLANATION_REQUESTED in kinds_of(cast["talent"])

    client.post("/logout")
    f.login(client, cast["host"])
    page = client.get(f"/host/opportunities/{application.opportunity_id}/applicants").get_data(as_text=True)
    [request] = db.session.scalars(sa.select(ExplanationRequest)).all()
    assert "Explanation requests (1)" in page and QUESTION in page
    assert f'<label class="form-label small" for="answer-{request.id}">Answer to Eve Applicant' in page
    assert client.post(f"/explanations/{request.id}/answer", data={"answer": " "}).status_code == 400
    response = client.post(f"/explanations/{request.id}/answer", data={"answer": ANSWER})
    assert response.status_code == 302 and response.headers["Location"].endswith("/applicants")
    assert client.post(f"/explanations/{request.id}/answer", data={"answer": "Again."}).status_code == 409

    client.post("/logout")
    f.login(client, cast["person"])
    page = client.get("/applications").get_data(as_text=True)
    assert ANSWER in page and "from Hana Host" in page
    assert "Recorded decision: Gap in the required skills — We need advanced SQL." in page
    assert NotificationKind.EXPLANATION_ANSWERED in kinds_of(cast["person"])
    assert "Ask why I was not selected" in page  # answered: a follow-up question may be asked


def test_the_log_proves_question_and_answer_by_digest_without_holding_them(app, runner, cast):
    application = rejected(cast)
    request = explanations.ask(application, cast["person"], QUESTION)
    explanations.answer(request, cast["talent"], ANSWER)
    asked = db.session.get(AuditEntry, request.asked_audit_seq)
    answered = db.session.get(AuditEntry, request.answered_audit_seq)
    assert (asked.action, asked.subject, asked.actor_role) == (
        "explanation.requested", f"application:{application.id}", "applicant")
    assert (answered.action, answered.actor, answered.actor_role) == (
        "explanation.answered", f"user:{cast['talent'].id}", "talent")
    assert json.loads(asked.payload)["question_sha256"] == explanations.digest(QUESTION)
    assert json.loads(answered.payload)["answer_sha256"] == explanations.digest(ANSWER)
    for entry in (asked, answered):
        assert QUESTION not in entry.payload and ANSWER not in entry.payload and "Eve" not in entry.payload
        assert entry.reason_text is None
    result = runner.invoke(verify_command)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("status", ["submitted", "released", "shortlisted", "interview", "offered", "withdrawn",
                                    "offer_declined", "offer_accepted"])
def test_one_can_ask_only_after_not_being_selected(cast, status):
    application = cast["application"]
    application.status = status
    db.session.commit()
    with pytest.raises(DomainError, match="once the application was not taken forward") as refused:
        explanations.ask(application, cast["person"], QUESTION)
    assert refused.value.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExplanationRequest)) == 0


@pytest.mark.parametrize("ending", ["filled", "cancelled"])
def test_an_opportunity_filled_or_cancelled_without_them_counts_as_not_selected(cast, ending):
    application = cast["application"]
    application.opportunity.status = ending
    db.session.commit()
    assert explanations.ask(application, cast["person"], QUESTION).is_open


def test_one_open_request_per_application(cast):
    application = rejected(cast)
    first = explanations.ask(application, cast["person"], QUESTION)
    with pytest.raises(DomainError, match="You already asked about this application") as refused:
        explanations.ask(application, cast["person"], "And another thing?")
    assert refused.value.status_code == 409
    explanations.answer(first, cast["host"], ANSWER)
    assert explanations.ask(application, cast["person"], "Could I reapply next year?").is_open


def test_the_database_keeps_one_open_request_even_if_the_service_check_is_raced(cast):
    application = rejected(cast)
    db.session.add_all([ExplanationRequest(application=application, question="One?"),
                        ExplanationRequest(application=application, question="Two?")])
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_only_the_applicant_asks_and_only_the_host_or_talent_answer(client, cast):
    application = rejected(cast)
    for someone in ("host", "talent", "other_host"):
        with pytest.raises(DomainError) as refused:
            explanations.ask(application, cast[someone], QUESTION)
        assert refused.value.status_code == 403
    request = explanations.ask(application, cast["person"], QUESTION)
    f.login(client, cast["other_host"])
    assert client.post(f"/explanations/{request.id}/answer", data={"answer": ANSWER}).status_code == 403
    client.post("/logout")
    f.login(client, cast["person"])  # the applicant is no host: the route refuses them before the service
    assert client.post(f"/explanations/{request.id}/answer", data={"answer": ANSWER}).status_code == 403
    db.session.expire_all()
    assert db.session.get(ExplanationRequest, request.id).is_open


def test_the_talent_team_sees_every_open_request_in_its_queue_and_answers_there(client, cast):
    application = rejected(cast)
    request = explanations.ask(application, cast["person"], QUESTION)
    f.login(client, cast["talent"])
    page = client.get("/talent/releases").get_data(as_text=True)
    assert "Eve Applicant</strong> about “Census data lead”" in page and QUESTION in page
    response = client.post(f"/explanations/{request.id}/answer", data={"answer": ANSWER})
    assert response.status_code == 302 and response.headers["Location"].endswith("/talent/releases")
    assert "No explanation requests are waiting." in client.get("/talent/releases").get_data(as_text=True)


def test_the_answer_comes_with_the_match_explanation_a_reviewer_was_shown(client, cast):
    application = cast["application"]
    audit.record("ranking.shown", audit.reference(application.opportunity), actor=cast["host"], role="host_manager",
                 payload={"shown": [{"rank": 3, "candidate": audit.reference(application.employee),
                                     "parts": {"required": 0.4, "fit": 0.55, "nice_to_have": None, "score": 0.5}}]})
    db.session.commit()
    reject(application, cast["host"])
    explanations.answer(explanations.ask(application, cast["person"], QUESTION), cast["host"], ANSWER)
    f.login(client, cast["person"])
    page = client.get("/applications").get_data(as_text=True)
    assert "Required skills: 40%" in page and "Fit now: 55%" in page and "Overall match: 50%" in page
    assert "Nice-to-have skills" not in page


def test_the_verifier_names_an_answer_edited_after_it_was_logged(app, runner, cast):
    request = explanations.ask(rejected(cast), cast["person"], QUESTION)
    explanations.answer(request, cast["host"], ANSWER)
    assert runner.invoke(verify_command).exit_code == 0
    request.answer = "Something kinder, written later."
    db.session.commit()
    result = runner.invoke(verify_command)
    assert result.exit_code != 0
    assert f"explanation request {request.id} (answer) was changed after it was logged" in result.output
