"""The application state machine: every allowed move by the right person, every other move refused with its reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationAction,
    ApplicationEvent,
    ApplicationStatus,
    Notification,
    Opportunity,
    Role,
    Secondment,
    User,
)
from marketplace.models.reasons import OVERRIDE_PICKS, OverrideCode, codes_for
from marketplace.services import selection
from marketplace.services.selection import DECIDERS, MOVES, Party
from marketplace.services.selection_notices import notices_for
from tests import factories as f

S, A = ApplicationStatus, ApplicationAction
NEXT_WEEK = utcnow().replace(microsecond=0) + dt.timedelta(days=7)


@dataclass
class Cast:
    """An application to a hosted opportunity, with an account for everyone who may act on it."""

    application: Application
    accounts: dict[Party, User | None]
    outsider: User  # an employee with no part in it
    other_host: User


@pytest.fixture
def cast(app) -> Cast:
    manager = f.employee("Lena Lead")
    person = f.employee("Eve Applicant", manager=manager)
    host = f.employee("Hana Host")
    opportunity = f.opportunity(host, title="Census data lead", openings=2)
    application = Application(opportunity=opportunity, employee=person, statement="Pick me.")
    db.session.add(application)
    accounts = {
        Party.APPLICANT: f.user(Role.EMPLOYEE, employee_record=person),
        Party.LINE_MANAGER: f.user(Role.LINE_MANAGER, employee_record=manager),
        Party.HOST: f.user(Role.HOST_MANAGER, employee_record=host),
        Party.TALENT: f.user(Role.TALENT),
        Party.SYSTEM: None,
    }
    outsider = f.user(Role.EMPLOYEE, Role.LINE_MANAGER)
    other_host = f.user(Role.HOST_MANAGER)
    db.session.commit()
    return Cast(application, accounts, outsider, other_host)


def at(cast: Cast, status: ApplicationStatus) -> Application:
    cast.application.status = status.value
    db.session.commit()
    return cast.application


def arguments(action: ApplicationAction) -> dict:
    """What each action needs besides the actor: a reason and its code, an interview time."""
    if action == A.SCHEDULE_INTERVIEW:
        return {"interview_at": NEXT_WEEK, "note": "Room 4, bring a short example of your work."}
    needs = {}
    if any(move.reason_required for (_, a), move in MOVES.items() if a == action):
        needs["reason"] = "Because the work cannot be covered this quarter."
    if codes_for(action):
        needs["reason_code"] = codes_for(action)[0].value
    if action in OVERRIDE_PICKS:  # nobody was shown a ranking in these tests
        needs["override_code"] = OverrideCode.KNOWN_CANDIDATE.value
    return needs


def codes(action: ApplicationAction) -> dict:
    """A valid reason code for an action that takes one."""
    return {"reason_code": codes_for(action)[0].value} if codes_for(action) else {}


ALLOWED = [
    pytest.param(start, action, party, id=f"{start.value}-{action.value}-by-{party.value}")
    for (start, action), move in MOVES.items()
    for party in sorted(move.by)
]


@pytest.mark.parametrize(("start", "action", "party"), ALLOWED)
def test_every_allowed_move_by_the_right_person_is_taken_and_recorded(cast, start, action, party):
    application = at(cast, start)
    actor = cast.accounts[party]

    event = selection.transition(application, action, actor, **arguments(action))

    db.session.expire_all()
    reloaded = db.session.get(Application, application.id)
    assert reloaded.status == MOVES[(start, action)].to.value
    [recorded] = db.session.scalars(sa.select(ApplicationEvent)).all()
    assert (recorded.id, recorded.from_status, recorded.to_status, recorded.action) == (
        event.id, start.value, reloaded.status, action.value
    )
    assert recorded.actor_id == (actor.id if actor else None)
    assert recorded.actor_role == party.value
    assert recorded.reason == arguments(action).get("reason")


INVALID = [
    pytest.param(status, action, id=f"{status.value}-{action.value}")
    for status in ApplicationStatus
    for action in DECIDERS
    if (status, action) not in MOVES
]


@pytest.mark.parametrize(("status", "action"), INVALID)
def test_every_move_the_table_lacks_is_refused_naming_what_is_possible(cast, status, action):
    application = at(cast, status)
    party = sorted(DECIDERS[action])[0]

    with pytest.raises(DomainError) as refused:
        selection.transition(application, action, cast.accounts[party], **arguments(action))

    assert refused.value.status_code == 409
    message = refused.value.message
    assert message.startswith(f"You cannot {selection.VERBS[action]}: the application is {status.label.lower()}.")
    possible = selection.allowed_actions(status)
    if possible:
        assert all(selection.VERBS[a] in message for a in possible)
    else:
        assert "Nothing more can be decided on it." in message
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == status.value
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApplicationEvent)) == 0


@pytest.mark.parametrize(
    ("start", "action", "who", "message"),
    [
        (S.SUBMITTED, A.APPROVE_RELEASE, "host", "Only the applicant's line manager or the talent team can approve"),
        (S.SUBMITTED, A.APPROVE_RELEASE, "outsider", "Only the applicant's line manager or the talent team"),
        # Before escalation the talent team leaves the decision to the manager.
        (S.SUBMITTED, A.APPROVE_RELEASE, "talent", "Only the applicant's line manager can approve the release here."),
        (S.RELEASED, A.SHORTLIST, "other_host", "Only the host manager or the talent team can shortlist"),
        (S.RELEASED, A.SHORTLIST, "line_manager", "Only the host manager or the talent team can shortlist"),
        (S.OFFERED, A.ACCEPT_OFFER, "host", "Only the applicant can accept the offer"),
        (S.RELEASE_APPEALED, A.OVERTURN, "line_manager", "Only the talent team can overturn the decline"),
        (S.RELEASE_DECLINED, A.APPEAL, "line_manager", "Only the applicant can appeal the decline"),
    ],
)
def test_the_wrong_person_is_refused_with_who_may(cast, start, action, who, message):
    application = at(cast, start)
    actor = {
        "host": cast.accounts[Party.HOST], "talent": cast.accounts[Party.TALENT],
        "line_manager": cast.accounts[Party.LINE_MANAGER], "outsider": cast.outsider, "other_host": cast.other_host,
    }[who]
    with pytest.raises(DomainError, match=message) as refused:
        selection.transition(application, action, actor, **arguments(action))
    assert refused.value.status_code == 403
    assert db.session.get(Application, application.id).status == start.value


def test_nobody_decides_on_their_own_application_even_on_the_talent_team(cast):
    applicant = cast.accounts[Party.APPLICANT]
    applicant.role_rows.append(type(applicant.role_rows[0])(role=Role.TALENT.value))
    db.session.commit()
    application = at(cast, S.RELEASE_ESCALATED)
    with pytest.raises(DomainError, match="You cannot decide on your own application.") as refused:
        selection.transition(application, A.APPROVE_RELEASE, applicant)
    assert refused.value.status_code == 403


@pytest.mark.parametrize(
    ("start", "action", "party"),
    [
        (S.SUBMITTED, A.DECLINE_RELEASE, Party.LINE_MANAGER),
        (S.RELEASE_DECLINED, A.APPEAL, Party.APPLICANT),
        (S.RELEASE_APPEALED, A.OVERTURN, Party.TALENT),
        (S.RELEASE_APPEALED, A.UPHOLD, Party.TALENT),
        (S.RELEASED, A.REJECT, Party.HOST),
        (S.INTERVIEW, A.REJECT, Party.TALENT),
    ],
)
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_decisions_that_need_a_reason_are_refused_without_one(cast, start, action, party, reason):
    application = at(cast, start)
    with pytest.raises(DomainError, match="Give a reason to") as refused:
        selection.transition(application, action, cast.accounts[party], reason=reason, **codes(action))
    assert (refused.value.status_code, refused.value.field) == (400, "reason")
    assert db.session.get(Application, application.id).status == start.value


def test_an_interview_needs_a_time_in_the_future(cast):
    application = at(cast, S.SHORTLISTED)
    host = cast.accounts[Party.HOST]
    with pytest.raises(DomainError, match="Give the date and time of the interview."):
        selection.transition(application, A.SCHEDULE_INTERVIEW, host)
    with pytest.raises(DomainError, match="The interview time has passed"):
        selection.transition(application, A.SCHEDULE_INTERVIEW, host, interview_at=utcnow() - dt.timedelta(hours=1))
    selection.transition(application, A.SCHEDULE_INTERVIEW, host, interview_at=NEXT_WEEK, note="Room 4")
    assert (application.status, application.interview_at, application.interview_notes) == (
        "interview", NEXT_WEEK, "Room 4"
    )


def test_two_people_acting_on_the_same_application_at_once_cannot_both_succeed(cast):
    application = at(cast, S.RELEASED)
    # Someone else shortlists it on another connection after this session loaded it.
    with db.engine.begin() as other:
        other.execute(sa.update(Application).where(Application.id == application.id).values(status="rejected"))
    with pytest.raises(DomainError, match="Someone else acted first: this application is now rejected.") as refused:
        selection.transition(application, A.SHORTLIST, cast.accounts[Party.HOST], **arguments(A.SHORTLIST))
    assert refused.value.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApplicationEvent)) == 0


def test_the_whole_way_from_application_to_a_planned_secondment(cast):
    application, people = cast.application, cast.accounts
    host = people[Party.HOST]
    selection.record_submission(application, people[Party.APPLICANT])
    db.session.commit()
    selection.transition(application, A.APPROVE_RELEASE, people[Party.LINE_MANAGER])
    selection.transition(application, A.SHORTLIST, host, **arguments(A.SHORTLIST))
    selection.transition(application, A.SCHEDULE_INTERVIEW, host, interview_at=NEXT_WEEK)
    selection.transition(application, A.OFFER, host, **arguments(A.OFFER))
    selection.transition(application, A.ACCEPT_OFFER, people[Party.APPLICANT])

    opportunity = application.opportunity
    secondment = db.session.scalar(sa.select(Secondment))
    assert (secondment.employee_id, secondment.opportunity_id, secondment.status) == (
        application.employee_id, opportunity.id, "planned"
    )
    assert (secondment.home_manager.name, secondment.host_manager.name) == ("Lena Lead", "Hana Host")
    assert (secondment.start_date, secondment.end_date) == (opportunity.start_date, opportunity.end_date)
    assert opportunity.status == "open"  # one of two openings taken
    assert [e.action for e in application.events] == [
        "submit", "approve_release", "shortlist", "schedule_interview", "offer", "accept_offer"
    ]
    with pytest.raises(DomainError, match="You cannot withdraw: the application is offer accepted"):
        selection.transition(application, A.WITHDRAW, people[Party.APPLICANT])


def offered(opportunity: Opportunity, name: str) -> tuple[Application, User]:
    person = f.employee(name, manager=f.employee())
    account = f.user(Role.EMPLOYEE, employee_record=person)
    application = Application(opportunity=opportunity, employee=person, statement="Me.", status="offered")
    db.session.add(application)
    db.session.commit()
    return application, account


def test_the_last_opening_filled_fills_the_opportunity_and_later_acceptances_are_refused(app):
    opportunity = f.opportunity(openings=2, title="Bridge audit")
    first, second, third = (offered(opportunity, name) for name in ("Ann", "Ben", "Cat"))
    selection.transition(first[0], A.ACCEPT_OFFER, first[1])
    assert opportunity.status == "open"
    selection.transition(second[0], A.ACCEPT_OFFER, second[1])
    assert db.session.get(Opportunity, opportunity.id).status == "filled"

    with pytest.raises(DomainError, match="All 2 openings of this secondment are already filled.") as refused:
        selection.transition(third[0], A.ACCEPT_OFFER, third[1])
    assert refused.value.status_code == 409
    assert db.session.get(Application, third[0].id).status == "offered"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Secondment)) == 2


def test_when_the_last_opening_fills_everyone_still_in_the_running_is_told(app):
    opportunity = f.opportunity(openings=1, title="Bridge audit")
    taker, still_offered = offered(opportunity, "Ann"), offered(opportunity, "Ben")
    shortlisted, _ = offered(opportunity, "Cat")
    shortlisted.status = "shortlisted"
    rejected, _ = offered(opportunity, "Dan")
    rejected.status = "rejected"
    db.session.commit()

    selection.transition(taker[0], A.ACCEPT_OFFER, taker[1])

    told = db.session.execute(
        sa.select(Notification.recipient_id, Notification.body).where(Notification.subject == "All places filled: Bridge audit")
    ).all()
    assert {recipient for recipient, _ in told} == {still_offered[1].id, _account_of(shortlisted)}
    assert all("can no longer be accepted" in body for _, body in told)


def _account_of(application: Application) -> int:
    return db.session.scalar(sa.select(User.id).where(User.employee_id == application.employee_id))


def test_no_offer_is_made_once_every_opening_is_filled(cast):
    application = at(cast, S.INTERVIEW)
    cast.application.opportunity.openings = 1
    taken, account = offered(cast.application.opportunity, "Quick Taker")
    selection.transition(taken, A.ACCEPT_OFFER, account)
    with pytest.raises(DomainError, match="The opening of this secondment is already filled."):
        selection.transition(application, A.OFFER, cast.accounts[Party.HOST], **arguments(A.OFFER))


def test_someone_with_a_planned_secondment_cannot_accept_a_second_one(app):
    first_place, second_place = f.opportunity(title="First"), f.opportunity(title="Second")
    application, account = offered(first_place, "Dee Double")
    selection.transition(application, A.ACCEPT_OFFER, account)
    again = Application(opportunity=second_place, employee=account.employee, statement="Me too.", status="offered")
    db.session.add(again)
    db.session.commit()
    with pytest.raises(DomainError, match="You already have a secondment to “First”"):
        selection.transition(again, A.ACCEPT_OFFER, account)


def test_submission_skips_the_release_when_the_opportunity_needs_none(app):
    opportunity = f.opportunity(requires_release=False)
    person = f.employee(manager=f.employee())
    application = Application(opportunity=opportunity, employee=person, statement="Me.")
    db.session.add(application)
    selection.record_submission(application, None)
    db.session.commit()
    assert application.status == "released"
    assert [e.action for e in application.events] == ["submit", "skip_release"]


def test_submission_goes_to_the_talent_team_when_nobody_can_release_the_person(app):
    application = Application(opportunity=f.opportunity(), employee=f.employee(), statement="Me.")
    db.session.add(application)
    selection.record_submission(application, None)
    db.session.commit()
    assert application.status == "release_escalated"
    assert application.events[-1].note == "No line manager on record."


def test_actions_for_offers_each_person_only_their_own_buttons(cast):
    application = at(cast, S.RELEASE_ESCALATED)
    offered_to = {party: selection.actions_for(application, account) for party, account in cast.accounts.items()
                  if account is not None}
    assert offered_to[Party.LINE_MANAGER] == {A.APPROVE_RELEASE, A.DECLINE_RELEASE}
    assert offered_to[Party.TALENT] == {A.APPROVE_RELEASE, A.DECLINE_RELEASE}
    assert offered_to[Party.APPLICANT] == {A.WITHDRAW}
    assert offered_to[Party.HOST] == set()


def test_each_decision_says_who_is_told(cast):
    application = at(cast, S.SUBMITTED)
    decline = selection.transition(
        application, A.DECLINE_RELEASE, cast.accounts[Party.LINE_MANAGER], reason="Peak season.",
        reason_code="business_critical_period",
    )
    [to_applicant] = notices_for(decline)
    assert [p.name for p in to_applicant.recipients] == ["Eve Applicant"]
    assert "Reason: Peak season." in to_applicant.message and "appeal" in to_applicant.message

    appeal = selection.transition(application, A.APPEAL, cast.accounts[Party.APPLICANT], reason="Cover exists.")
    to_manager, to_talent = notices_for(appeal)
    assert [p.name for p in to_manager.recipients] == ["Lena Lead"]
    assert to_talent.talent_team and not to_talent.recipients


@pytest.mark.parametrize("action", list(ApplicationAction), ids=lambda a: a.value)
def test_every_decision_tells_someone_about_this_opportunity(cast, action):
    with db.session.no_autoflush:  # a decision described, not recorded
        event = ApplicationEvent(
            application=cast.application, action=action.value, from_status="submitted", to_status="submitted",
            actor_role="system", reason="Because.",
        )
        notices = notices_for(event)
    assert notices
    assert all("“Census data lead”" in n.message and (n.recipients or n.talent_team) for n in notices)
    db.session.rollback()
