"""Hosts decide on applicants, people answer offers and invitations, publishing may need approval; people on a secondment are not eligible."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from markupsafe import escape

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import Application, AuditEntry, Invitation, Opportunity, Role, Secondment
from marketplace.services import audit, eligibility, invitations, matching, secondments
from matching import HashingEncoder
from tests import factories as f


@pytest.fixture
def hosted(app):
    """A host with an open opportunity, and a released applicant with a line manager."""
    python = f.skill("Python")
    host = f.user(Role.HOST_MANAGER, employee_record=f.employee("Hana Host"))
    opportunity = f.opportunity(host.employee, {python: 2}, title="Census data lead")
    person = f.user(Role.EMPLOYEE, employee_record=f.employee("Eve Applicant", manager=f.employee("Lena Lead"),
                                                              skills={python: 3}))
    application = Application(opportunity=opportunity, employee=person.employee, statement="Pick me.", status="released")
    db.session.add(application)
    db.session.commit()
    return host, opportunity, person, application


def status_of(application: Application) -> str:
    db.session.expire_all()
    return db.session.get(Application, application.id).status


def test_the_host_takes_an_applicant_from_shortlist_to_offer_on_the_applicants_page(client, hosted):
    host, opportunity, person, application = hosted
    f.login(client, host)
    decide = f"/applications/{application.id}/decision"

    page = client.get(f"/host/opportunities/{opportunity.id}/applicants").get_data(as_text=True)
    assert "0 of 1 opening filled" in page and f'action="{decide}"' in page and ">Shortlist<" in page
    # Nobody was shown a ranking, so shortlisting Eve overrides it: the form asks why.
    assert 'name="reason_code"' in page and 'name="override_code"' in page and "never shown in a ranking" in page
    refused = client.post(decide, data={"action": "shortlist", "reason_code": "strong_skills_match"})
    assert refused.status_code == 400 and "choose an override reason" in refused.get_data(as_text=True)
    assert client.post(decide, data={"action": "shortlist", "reason_code": "strong_skills_match",
                                     "override_code": "override_known_candidate"}).status_code == 302
    assert status_of(application) == "shortlisted"

    when = (dt.datetime.now() + dt.timedelta(days=5)).replace(second=0, microsecond=0)
    response = client.post(decide, data={"action": "schedule_interview", "interview_at": when.strftime("%Y-%m-%dT%H:%M"),
                                         "note": "Room 4.12, bring a data story."})
    assert response.status_code == 302
    assert status_of(application) == "interview"
    page = client.get(f"/host/opportunities/{opportunity.id}/applicants").get_data(as_text=True)
    assert "Room 4.12, bring a data story." in page and "Make an offer" in page

    assert client.post(decide, data={"action": "offer", "reason_code": "other",
                                     "override_code": "override_known_candidate"}).status_code == 400  # "other" needs words
    assert client.post(decide, data={"action": "offer", "reason_code": "other", "reason": "Led the 2021 census pilot.",
                                     "override_code": "override_known_candidate"}).status_code == 302
    assert status_of(application) == "offered"


def test_an_unreadable_interview_time_is_a_400_with_the_field_named(client, hosted):
    host, _, _, application = hosted
    application.status = "shortlisted"
    db.session.commit()
    f.login(client, host)
    response = client.post(f"/applications/{application.id}/decision",
                           data={"action": "schedule_interview", "interview_at": "next tuesday"})
    assert response.status_code == 400
    assert "Interview date and time: Not a valid datetime value" in response.get_data(as_text=True)
    assert status_of(application) == "shortlisted"


def test_rejecting_needs_a_reason_which_the_applicant_then_reads(client, hosted):
    host, _, person, application = hosted
    f.login(client, host)
    refused = client.post(f"/applications/{application.id}/decision", data={"action": "reject"})
    assert refused.status_code == 400 and "Give a reason to reject" in refused.get_data(as_text=True)
    refused = client.post(f"/applications/{application.id}/decision",
                          data={"action": "reject", "reason": "We need deeper SQL."})
    assert refused.status_code == 400 and "Choose a reason code to reject" in refused.get_data(as_text=True)
    assert client.post(f"/applications/{application.id}/decision",
                       data={"action": "reject", "reason": "We need deeper SQL.", "reason_code": "skills_gap"}
                       ).status_code == 302
    client.post("/logout")
    f.login(client, person)
    page = client.get("/applications").get_data(as_text=True)
    assert "Rejected" in page and "Reason: We need deeper SQL." in page
    assert "Reason code: Gap in the required skills" in page
    assert f"/applications/{application.id}/withdraw" not in page


def test_a_refused_decision_leads_back_to_the_page_it_came_from_and_no_further(client, hosted):
    host, opportunity, _, application = hosted
    f.login(client, host)
    form_page = f"http://localhost/host/opportunities/{opportunity.id}/applicants"
    refused = client.post(f"/applications/{application.id}/decision", data={"action": "reject"},
                          headers={"Referer": form_page})
    assert refused.status_code == 400
    assert f'href="/host/opportunities/{opportunity.id}/applicants">Back to the form' in refused.get_data(as_text=True)

    elsewhere = client.post(f"/applications/{application.id}/decision", data={"action": "reject"},
                            headers={"Referer": "https://phish.example/host/opportunities"})
    assert elsewhere.status_code == 400 and "Back to the form" not in elsewhere.get_data(as_text=True)


def test_the_applicant_accepts_the_offer_and_the_secondment_is_planned(client, hosted):
    _, opportunity, person, application = hosted
    application.status = "offered"
    db.session.commit()
    f.login(client, person)
    page = client.get("/applications").get_data(as_text=True)
    assert "Accept offer" in page and "Decline offer" in page

    response = client.post(f"/applications/{application.id}/offer", data={"action": "accept_offer"})

    assert response.status_code == 302
    assert status_of(application) == "offer_accepted"
    secondment = db.session.scalar(sa.select(Secondment))
    assert (secondment.employee_id, secondment.status, secondment.home_manager.name) == (
        person.employee_id, "planned", "Lena Lead"
    )
    assert db.session.get(Opportunity, opportunity.id).status == "filled"


# ---------------------------------------------------------------- eligibility: not on a secondment


def planned_secondment(employee, status="planned") -> Secondment:
    place = f.opportunity(title="Somewhere else")
    application = Application(opportunity=place, employee=employee, statement="x", status="offer_accepted")
    db.session.add(application)
    db.session.flush()
    row = secondments.plan(application)
    row.status = status
    db.session.commit()
    return row


@pytest.mark.parametrize("status", ["planned", "agreement_signed", "active"])
def test_someone_on_or_about_to_start_a_secondment_is_not_eligible(app, status):
    person = f.employee("Sam Seconded")
    planned_secondment(person, status)
    verdict = eligibility.check(person, f.opportunity())
    assert not verdict.eligible
    assert [(x.group, x.message) for x in verdict.failures] == [
        ("on a secondment", "Already on a secondment, or about to start one.")
    ]


def test_someone_whose_secondment_ended_is_eligible_again(app):
    person = f.employee("Rae Returned")
    row = planned_secondment(person, "active")
    secondments.move(row, secondments.SecondmentStatus.ENDED, end_reason=secondments.SecondmentEndReason.RETURNED)
    assert eligibility.check(person, f.opportunity()).eligible
    assert row.end_reason == "returned" and row.ended_on is not None


def test_people_on_a_secondment_are_left_out_of_the_ranking_with_the_reason(app):
    app.extensions["encoder"] = HashingEncoder()
    python = f.skill("Python")
    opportunity = f.opportunity(f.employee("Hana Host"), {python: 2})
    f.employee("Fay Free", skills={python: 4})
    busy = f.employee("Bo Busy", skills={python: 5})
    planned_secondment(busy)
    ranking = matching.rank_candidates(opportunity)
    names = [row.employee.name for row in ranking.rows]
    assert "Fay Free" in names and "Bo Busy" not in names
    assert ranking.excluded.get("on a secondment") == 1


def test_someone_on_a_secondment_cannot_apply(client, app):
    person = f.user(Role.EMPLOYEE, employee_record=f.employee("Sam Seconded", manager=f.employee()))
    planned_secondment(person.employee)
    opportunity = f.opportunity(title="Next move")
    db.session.commit()
    f.login(client, person)
    response = client.post(f"/opportunities/{opportunity.id}/apply", data={"statement": "Me again."})
    assert response.status_code == 409
    assert "You are on a secondment, or about to start one" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application).where(
        Application.opportunity_id == opportunity.id)) == 0


# ---------------------------------------------------------------- invitations


def test_the_host_invites_from_the_ranked_list_and_the_person_accepts_into_the_usual_flow(client, hosted):
    client.application.extensions["encoder"] = HashingEncoder()
    host, opportunity, _, _ = hosted
    ivy = f.user(Role.EMPLOYEE, employee_record=f.employee("Ivy Invitee", manager=f.employee("Mo Manager"),
                                                           skills={opportunity.skills[0].skill: 4}))
    db.session.commit()
    f.login(client, host)
    candidates = client.get(f"/host/opportunities/{opportunity.id}/candidates").get_data(as_text=True)
    assert "Invite to apply" in candidates
    response = client.post(f"/host/opportunities/{opportunity.id}/invite",
                           data={"employee_id": str(ivy.employee_id), "message": "Your SQL would help."})
    assert response.status_code == 302
    again = client.post(f"/host/opportunities/{opportunity.id}/invite", data={"employee_id": str(ivy.employee_id)})
    assert again.status_code == 409 and REFUSED in again.get_data(as_text=True)
    client.post("/logout")

    f.login(client, ivy)
    page = client.get("/applications").get_data(as_text=True)
    assert "Invitations to apply" in page and "Your SQL would help." in page
    invitation = db.session.scalar(sa.select(Invitation))
    assert client.post(f"/invitations/{invitation.id}", data={"answer": "accept"}).status_code == 302

    application = db.session.scalar(sa.select(Application).where(Application.employee_id == ivy.employee_id))
    assert application.status == "submitted"  # the line manager still has to release
    assert application.statement == "I accept the host's invitation to apply."
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).status == "accepted"
    assert "Invitations to apply" not in client.get("/applications").get_data(as_text=True)
    # The invitation is in the audit log like any pick: who chose whom, and the rank the ranking showed them at.
    logged = {e.action: e for e in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.subject == f"invitation:{invitation.id}"))}
    assert set(logged) == {"invitation.sent", "invitation.accepted"}
    sent = json.loads(logged["invitation.sent"].payload)
    assert logged["invitation.sent"].actor == f"user:{host.id}" and sent["candidate"] == f"employee:{ivy.employee_id}"
    assert sent["best_rank_shown"] is not None and sent["override"] is False  # Ivy was on the ranked list shown


REFUSED = str(escape(invitations.NOT_INVITABLE))  # as the error page prints it


def shown(opportunity: Opportunity, reviewer, *people) -> None:
    """Record that a ranking of ``opportunity`` showed ``people`` (in that order) to ``reviewer``."""
    audit.record("ranking.shown", audit.reference(opportunity), actor=reviewer, role=Role.HOST_MANAGER, payload={
        "opportunity": audit.reference(opportunity),
        "shown": [{"rank": rank, "candidate": audit.reference(p)} for rank, p in enumerate(people, 1)],
    })
    db.session.commit()


def test_an_invitation_can_be_declined_once(client, hosted):
    host, opportunity, _, _ = hosted
    ivy = f.user(Role.EMPLOYEE, employee_record=f.employee("Ivy Invitee"))
    shown(opportunity, host, ivy.employee)
    invitation = invitations.invite(opportunity, ivy.employee_id, host)
    f.login(client, ivy)
    assert client.post(f"/invitations/{invitation.id}", data={"answer": "decline"}).status_code == 302
    again = client.post(f"/invitations/{invitation.id}", data={"answer": "accept"})
    assert again.status_code == 409 and "You already declined this invitation." in again.get_data(as_text=True)
    logged = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.subject == f"invitation:{invitation.id}"))
    assert list(logged) == ["invitation.sent", "invitation.declined"]
    sent = db.session.scalar(sa.select(AuditEntry.payload).where(AuditEntry.action == "invitation.sent"))
    assert json.loads(sent)["best_rank_shown"] == 1 and json.loads(sent)["override"] is False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application).where(
        Application.employee_id == ivy.employee_id)) == 0


def test_a_host_invites_only_people_a_ranking_showed_them_and_every_refusal_reads_the_same(client, hosted):
    """Finding 7: the invite form looked anyone up and its refusals named them, their grade and secondment."""
    host, opportunity, person, application = hosted
    application.status = "rejected"  # Eve Applicant has applied
    other_host = f.user(Role.HOST_MANAGER, employee_record=f.employee("Olga Otherhost"))
    away = f.employee("Sam Seconded", grade="G9", capacity_percent=40)
    today = dt.date.today()
    f.secondment(away, start=today - dt.timedelta(days=10), end=today + dt.timedelta(days=90), status="active")
    hidden = f.employee("Nina Notshown", grade="G5")  # eligible, but no ranking showed her to this host
    seen_elsewhere = f.employee("Wes Elsewhere")  # shown to another reviewer only
    shown(opportunity, host, person.employee, away, host.employee)
    shown(opportunity, other_host, seen_elsewhere)
    f.login(client, host)

    refusals = {
        "unknown id": 987654321, "too large an id": 10**30, "not shown": hidden.id, "shown to someone else":
        seen_elsewhere.id, "already applied": person.employee_id, "on a secondment": away.id,
        "hosts it": host.employee_id,
    }
    for why, employee_id in refusals.items():
        response = client.post(f"/host/opportunities/{opportunity.id}/invite", data={"employee_id": str(employee_id)})
        page = response.get_data(as_text=True)
        assert response.status_code == 409, why
        assert REFUSED in page, why
        said = page.split('<main')[1].split("</main>")[0]
        for leak in ("Eve Applicant", "Sam Seconded", "Nina Notshown", "Wes Elsewhere", "Hana Host", "G9", "G5",
                     "40 %", "capacity", "secondment", "already", "eligible"):
            assert leak not in said, (why, leak)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


@pytest.mark.parametrize("status", ["released", "rejected"])
def test_nobody_ineligible_or_already_applying_is_invited(hosted, status):
    host, opportunity, person, application = hosted
    application.status = status
    shown(opportunity, host, person.employee, host.employee)
    with pytest.raises(DomainError, match=invitations.NOT_INVITABLE):
        invitations.invite(opportunity, person.employee_id, host)
    with pytest.raises(DomainError, match=invitations.NOT_INVITABLE):
        invitations.invite(opportunity, host.employee_id, host)


def test_someone_else_cannot_answer_an_invitation(client, hosted):
    host, opportunity, person, _ = hosted
    ivy = f.employee("Ivy Invitee")
    shown(opportunity, host, ivy)
    invitation = invitations.invite(opportunity, ivy.id, host)
    f.login(client, person)
    response = client.post(f"/invitations/{invitation.id}", data={"answer": "accept"})
    assert response.status_code == 403
    assert db.session.get(Invitation, invitation.id).status == "pending"


# ---------------------------------------------------------------- publishing with approval


def test_when_publishing_needs_approval_the_talent_team_approves_or_returns(client, app):
    app.config["PUBLISH_REQUIRES_APPROVAL"] = True
    python = f.skill("Python")
    host = f.user(Role.HOST_MANAGER, employee_record=f.employee("Hana Host"))
    first = f.opportunity(host.employee, {python: 2}, status="draft", title="First draft")
    second = f.opportunity(host.employee, {python: 2}, status="draft", title="Second draft")
    talent = f.user(Role.TALENT)
    db.session.commit()

    f.login(client, host)
    for opportunity in (first, second):
        response = client.post(f"/host/opportunities/{opportunity.id}/publish", follow_redirects=True)
        assert "is sent to the talent team for approval" in response.get_data(as_text=True)
    db.session.expire_all()
    assert {o.status for o in (db.session.get(Opportunity, first.id), db.session.get(Opportunity, second.id))} == {
        "pending_approval"
    }
    assert client.get(f"/opportunities/{first.id}").status_code == 200  # the host still sees it
    client.post("/logout")

    f.login(client, talent)
    page = client.get("/talent/releases").get_data(as_text=True)
    assert "First draft" in page and "Second draft" in page
    client.post(f"/talent/opportunities/{first.id}/approval", data={"decision": "approve"})
    client.post(f"/talent/opportunities/{second.id}/approval", data={"decision": "return"})
    db.session.expire_all()
    approved, returned = db.session.get(Opportunity, first.id), db.session.get(Opportunity, second.id)
    assert (approved.status, returned.status) == ("open", "draft")
    assert approved.published_at is not None
    again = client.post(f"/talent/opportunities/{second.id}/approval", data={"decision": "approve"})
    assert again.status_code == 302  # the talent team may publish a draft itself
