"""Every route for every role: who may use it, who gets a 403, and where anonymous visitors are sent.

Access follows role and ownership: an employee sees only their own applications, a host manager
sees applicants only for their own opportunities, the talent team sees everything, and anything
else is a 403. ``ROUTES`` classifies every route of the app; a new route fails
``test_every_route_of_the_app_is_classified`` until someone decides who may use it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pytest
from flask import url_for

from marketplace.extensions import db
from marketplace.models import (
    Application,
    CheckIn,
    Employee,
    ExplanationRequest,
    Invitation,
    JobKind,
    JobRun,
    Opportunity,
    Role,
    Secondment,
    User,
)
from marketplace.clock import utcnow
from marketplace.services import agreements, check_ins, secondments
from matching import HashingEncoder
from tests import factories as f

ANONYMOUS, EMPLOYEE, LINE_MANAGER, HOST, OTHER_HOST, TALENT, ADMIN = (
    "anonymous", "employee", "line_manager", "host", "other_host", "talent", "admin"
)
ROLES = (ANONYMOUS, EMPLOYEE, LINE_MANAGER, HOST, OTHER_HOST, TALENT, ADMIN)
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANONYMOUS}
EMPLOYEES = frozenset({EMPLOYEE, LINE_MANAGER, HOST, OTHER_HOST})  # every account with an employee record
HOSTS = frozenset({HOST, OTHER_HOST})
SECONDMENT_PARTIES = frozenset({EMPLOYEE, LINE_MANAGER, HOST, TALENT})  # the secondee, both managers, the talent team

# What each walking role holds; accounts linked to an employee record always hold Role.EMPLOYEE too.
GRANTS = {
    EMPLOYEE: (Role.EMPLOYEE,),
    LINE_MANAGER: (Role.LINE_MANAGER,),
    HOST: (Role.HOST_MANAGER,),
    OTHER_HOST: (Role.HOST_MANAGER,),
    TALENT: (Role.TALENT,),
    ADMIN: (Role.ADMIN,),
}
NOT_ROUTES = {"static", "bootstrap.static"}  # files, not pages
CHECKED_METHODS = {"GET", "POST"}  # HEAD and OPTIONS follow GET and Flask's defaults


@dataclass
class World:
    """One of everything the routes act on, with an account per walking role."""

    accounts: dict[str, User]
    hosted: Opportunity  # open, hosted by HOST; EMPLOYEE and an outsider applied
    draft: Opportunity  # HOST's draft, ready to publish
    elsewhere: Opportunity  # open, hosted by someone without an account; nobody in the walk applied
    other_hosts: Opportunity  # open, hosted by OTHER_HOST
    own_application: Application  # EMPLOYEE's application to ``hosted``
    outsiders_application: Application  # someone else's application to ``hosted``
    job: JobRun  # a finished import
    escalated: Application  # another report of LINE_MANAGER, to ``hosted``, release overdue
    released: Application  # someone else's released application to ``hosted``, for the host to decide
    invitation: Invitation  # EMPLOYEE invited to ``other_hosts``
    invitee: Employee  # eligible for ``hosted``, neither applied nor invited
    explanation: ExplanationRequest  # an open "why was I not selected?" about a rejection for ``hosted``
    secondment: Secondment  # EMPLOYEE's planned secondment, hosted by HOST; LINE_MANAGER is the home manager;
    # its agreement is a draft (version 1) still to complete
    running: Secondment  # as ``secondment`` but active, with a check-in open to record and ``check_in`` held;
    # its agreement (version 1) is signed and in force, with an acting-up backfill still to post
    check_in: CheckIn  # recorded by HOST on ``running``; nobody has responded yet
    returned: Secondment  # as ``secondment`` but ended 10 days ago, returned home; nothing of the return recorded


def application(opportunity: Opportunity, employee: Employee, status: str = "submitted") -> Application:
    row = Application(opportunity=opportunity, employee=employee, statement="I would love to help.", status=status)
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def world(app) -> World:
    app.extensions["encoder"] = HashingEncoder()  # the walk checks access, not ranking: no real model
    org = f.organisation("Ministry of Examples")
    policy, digital = f.department("Policy", org), f.department("Digital", org)
    python = f.skill("Python")
    boss = f.employee("Lena Lead", dept=policy)
    worker = f.employee("Eve Worker", dept=policy, manager=boss)
    outsider = f.employee("Otto Outsider", dept=digital)
    host = f.employee("Hana Host", dept=digital)
    other_host = f.employee("Hugo Otherhost", dept=digital)
    hosted = f.opportunity(host, {python: 3}, title="Census data lead")
    draft = f.opportunity(host, {python: 3}, status="draft", title="Census draft")
    elsewhere = f.opportunity(f.employee("Fay Far", dept=policy), {python: 2}, title="Harbour survey")
    other_hosts = f.opportunity(other_host, {python: 2}, title="Bridge audit")
    own, outsiders = application(hosted, worker), application(hosted, outsider)
    application(elsewhere, outsider)
    records = {EMPLOYEE: worker, LINE_MANAGER: boss, HOST: host, OTHER_HOST: other_host}
    accounts = {role: f.user(*GRANTS[role], employee_record=records.get(role)) for role in GRANTS}
    job = JobRun(kind=JobKind.IMPORT_EMPLOYEES.value, label="hris.csv", status="succeeded", total=2, processed=2)
    db.session.add(job)
    escalated = application(hosted, f.employee("Rita Report", dept=policy, manager=boss), "release_escalated")
    released = application(hosted, f.employee("Rex Released", dept=policy), "released")
    invitation = Invitation(opportunity=other_hosts, employee=worker, message="Join us.")
    db.session.add(invitation)
    invitee = f.employee("Ivy Invitee", dept=policy)
    rejected = application(hosted, f.employee("Rhea Rejected", dept=policy), "rejected")
    explanation = ExplanationRequest(application=rejected, question="Why not me?")
    db.session.add(explanation)
    placement = f.opportunity(host, {python: 2}, title="Census placement")
    secondment = secondments.plan(application(placement, worker, "offer_accepted"))
    agreements.draft_first(secondment)
    running, check_in = _running_secondment(host, worker, python, accounts[HOST])
    in_force = agreements.draft_first(running)
    in_force.status, in_force.signed_at = "signed", utcnow()
    in_force.terms = in_force.terms | {"backfill_plan": "acting_up"}
    returned = _returned_secondment(host, worker, python)
    db.session.commit()
    return World(
        accounts, hosted, draft, elsewhere, other_hosts, own, outsiders, job, escalated, released, invitation, invitee,
        explanation, secondment, running, check_in, returned,
    )


def _running_secondment(host: Employee, worker: Employee, skill, recorder: User) -> tuple[Secondment, CheckIn]:
    """Started 58 days ago (monthly): the first check-in is held, the second falls due in 1 to 4 days."""
    start = dt.date.today() - dt.timedelta(days=58)
    opportunity = f.opportunity(host, {skill: 2}, title="Census running", start_date=start,
                                closing_date=start - dt.timedelta(days=1))
    running = secondments.plan(application(opportunity, worker, "offer_accepted"))
    running.status = "active"
    first = check_ins.schedule(start, running.end_date, "monthly")[0]
    check_in = CheckIn(secondment=running, due_on=first, held_on=first, rating="on_track",
                       host_feedback="Going well.", recorded_by=recorder)
    db.session.add(check_in)
    return running, check_in


def _first_version(world: World) -> dict:
    return {"secondment_id": world.secondment.id, "version": 1}


def _returned_secondment(host: Employee, worker: Employee, skill) -> Secondment:
    """Ran from 200 to 10 days ago and ended as planned: the return review and evaluations are open."""
    start = dt.date.today() - dt.timedelta(days=200)
    opportunity = f.opportunity(host, {skill: 2}, title="Census returned", start_date=start,
                                end_date=start + dt.timedelta(days=190), closing_date=start - dt.timedelta(days=1))
    returned = secondments.plan(application(opportunity, worker, "offer_accepted"))
    returned.status, returned.end_reason, returned.ended_on = "ended", "returned", returned.end_date
    return returned


def as_role(client, world: World, role: str) -> None:
    if role != ANONYMOUS:
        f.login(client, world.accounts[role])


@dataclass(frozen=True)
class Rule:
    """Who may use a route, and the ids and form it is walked with."""

    methods: tuple[str, ...]
    allowed: frozenset[str]
    args: Callable[[World], dict] = lambda w: {}
    form: Callable[[World], dict] = lambda w: {}  # POST body; empty unless a valid one is cheap
    get_statuses: frozenset[int] = frozenset({200})  # what an allowed GET answers


GET, POST, GET_POST = ("GET",), ("POST",), ("GET", "POST")
ROUTES: dict[str, Rule] = {
    "auth.login": Rule(GET_POST, EVERYONE, get_statuses=frozenset({200, 302})),  # logged-in users go home
    "auth.logout": Rule(POST, EVERYONE),
    "account.change_password": Rule(GET_POST, LOGGED_IN),
    "account.forgot_password": Rule(GET_POST, EVERYONE),
    "account.reset_password": Rule(GET_POST, EVERYONE, lambda w: {"token": "not-a-token"},
                                   get_statuses=frozenset({400})),  # the link's token decides, not the role
    "main.healthz": Rule(GET, EVERYONE),
    "main.home": Rule(GET, LOGGED_IN),
    "skills.suggest": Rule(GET, LOGGED_IN),
    "opportunities.browse": Rule(GET, EMPLOYEES | {TALENT}),
    "opportunities.detail": Rule(GET, EMPLOYEES | {TALENT}, lambda w: {"opportunity_id": w.hosted.id}),
    "applications.apply": Rule(
        POST, EMPLOYEES, lambda w: {"opportunity_id": w.elsewhere.id}, lambda w: {"statement": "Pick me."}
    ),
    "applications.mine": Rule(GET, EMPLOYEES),
    "recommendations.mine": Rule(GET, EMPLOYEES),
    "applications.withdraw": Rule(
        POST, frozenset({EMPLOYEE}), lambda w: {"application_id": w.own_application.id}
    ),
    "profile.edit": Rule(GET_POST, EMPLOYEES),
    # Equality answers: each person their own; nobody else reads them one by one, the talent team only in aggregate.
    "equality.answers": Rule(GET_POST, EMPLOYEES),
    "equality.clear": Rule(POST, EMPLOYEES),
    "team.overview": Rule(GET, frozenset({LINE_MANAGER})),
    "host.my_opportunities": Rule(GET, HOSTS),
    "host.new": Rule(GET_POST, HOSTS),
    "host.edit": Rule(GET_POST, frozenset({HOST, TALENT}), lambda w: {"opportunity_id": w.hosted.id}),
    "host.publish": Rule(POST, frozenset({HOST, TALENT}), lambda w: {"opportunity_id": w.draft.id}),
    "host.close": Rule(POST, frozenset({HOST, TALENT}), lambda w: {"opportunity_id": w.hosted.id}),
    "host.cancel": Rule(POST, frozenset({HOST, TALENT}), lambda w: {"opportunity_id": w.hosted.id}),
    "host.applicants": Rule(GET, frozenset({HOST, TALENT}), lambda w: {"opportunity_id": w.hosted.id}),
    "host.candidates": Rule(GET, frozenset({HOST, TALENT}), lambda w: {"opportunity_id": w.hosted.id}),
    "talent.overview": Rule(GET, frozenset({TALENT})),
    # Returns without a review and the evaluations in aggregate: the talent team only.
    "talent.returns": Rule(GET, frozenset({TALENT})),
    # HR data: the talent team only; admins manage accounts and see no equality figures.
    "fairness.report": Rule(GET, frozenset({TALENT})),
    "fairness.download": Rule(GET, frozenset({TALENT}), lambda w: {"fmt": "csv"}),
    "admin.users": Rule(GET, frozenset({ADMIN})),
    "jobs.index": Rule(GET, frozenset({TALENT, ADMIN})),
    "jobs.show": Rule(GET, frozenset({TALENT, ADMIN}), lambda w: {"run_id": w.job.id}),
    "jobs.progress": Rule(GET, frozenset({TALENT, ADMIN}), lambda w: {"run_id": w.job.id}),
    "jobs.reembed": Rule(POST, frozenset({ADMIN})),
    "imports.new": Rule(GET_POST, frozenset({TALENT})),  # HR data: admins may not upload it
    "imports.report": Rule(GET, frozenset({TALENT}), lambda w: {"run_id": w.job.id}),
    "notifications.inbox": Rule(GET, LOGGED_IN),
    # Everyone may follow their own notifications; someone else's (here: none) is a 404 (test_notifications).
    "notifications.follow": Rule(GET, LOGGED_IN, lambda w: {"notification_id": 999_999}, get_statuses=frozenset({404})),
    "notifications.read_all": Rule(POST, LOGGED_IN),
    "notifications.email_preference": Rule(POST, LOGGED_IN, form=lambda w: {"email_notifications": "y"}),
    # Selection decisions: the service's table decides who may act; these walk one decision each.
    "selection.release": Rule(
        POST, frozenset({LINE_MANAGER, TALENT}), lambda w: {"application_id": w.escalated.id},
        lambda w: {"action": "approve_release"},
    ),
    "selection.appeal": Rule(
        POST, frozenset({EMPLOYEE}), lambda w: {"application_id": w.own_application.id},
        lambda w: {"action": "appeal", "reason": "My work is covered."},
    ),
    "selection.appeal_decision": Rule(
        POST, frozenset({TALENT}), lambda w: {"application_id": w.own_application.id},
        lambda w: {"action": "overturn", "reason": "Cover exists."},
    ),
    "selection.host_decision": Rule(
        POST, frozenset({HOST, TALENT}), lambda w: {"application_id": w.released.id},
        lambda w: {"action": "shortlist", "reason_code": "strong_skills_match", "override_code": "override_known_candidate"},
    ),
    "selection.answer_offer": Rule(
        POST, frozenset({EMPLOYEE}), lambda w: {"application_id": w.own_application.id},
        lambda w: {"action": "accept_offer"},
    ),
    "selection.invite": Rule(
        POST, frozenset({HOST, TALENT}), lambda w: {"opportunity_id": w.hosted.id},
        lambda w: {"employee_id": str(w.invitee.id), "message": "Interested?"},
    ),
    "selection.answer_invitation": Rule(
        POST, frozenset({EMPLOYEE}), lambda w: {"invitation_id": w.invitation.id}, lambda w: {"answer": "decline"}
    ),
    "selection.queue": Rule(GET, frozenset({TALENT})),
    # Explanation requests: only the applicant asks (here: before any outcome, so a 409); the host of the
    # opportunity and the talent team answer; another host is a 403 (see test_explanations).
    "explanations.ask": Rule(
        POST, frozenset({EMPLOYEE}), lambda w: {"application_id": w.own_application.id},
        lambda w: {"question": "Why was I not selected?"},
    ),
    "explanations.answer": Rule(
        POST, frozenset({HOST, TALENT}), lambda w: {"request_id": w.explanation.id}, lambda w: {"answer": "Because."}
    ),
    "selection.publication": Rule(
        POST, frozenset({TALENT}), lambda w: {"opportunity_id": w.draft.id}, lambda w: {"decision": "return"}
    ),
    # A secondment's four parties see it; anyone else gets a 403.
    "secondments.index": Rule(GET, LOGGED_IN),
    "secondments.detail": Rule(
        GET, frozenset({EMPLOYEE, LINE_MANAGER, HOST, TALENT}), lambda w: {"secondment_id": w.secondment.id}
    ),
    # Check-ins: the host records them; the secondee adds feedback and the home manager a note; every party reads.
    "check_ins.new": Rule(
        GET_POST, frozenset({HOST}), lambda w: {"secondment_id": w.running.id},
    ),
    "check_ins.show": Rule(
        GET, frozenset({EMPLOYEE, LINE_MANAGER, HOST, TALENT}),
        lambda w: {"secondment_id": w.running.id, "check_in_id": w.check_in.id},
    ),
    "check_ins.feedback": Rule(
        POST, frozenset({EMPLOYEE}), lambda w: {"secondment_id": w.running.id, "check_in_id": w.check_in.id},
        lambda w: {"text": "I am learning a lot."},
    ),
    "check_ins.note": Rule(
        POST, frozenset({LINE_MANAGER}), lambda w: {"secondment_id": w.running.id, "check_in_id": w.check_in.id},
        lambda w: {"text": "Keep the return in view."},
    ),
    "check_ins.calendar": Rule(
        GET, frozenset({EMPLOYEE, LINE_MANAGER, HOST, TALENT}), lambda w: {"secondment_id": w.secondment.id}
    ),
    # The agreement: every party reads each version, its print view and PDF; both managers and the talent team
    # write it and propose amendments (the secondee reads and signs); the three signers sign (here a draft still
    # incomplete, so a 409); a first agreement cannot be withdrawn (a 409); only the home manager posts the
    # acting-up backfill (here it is the plan: the post goes through).
    "agreements.current": Rule(GET, SECONDMENT_PARTIES, lambda w: {"secondment_id": w.secondment.id}),
    "agreements.show": Rule(GET, SECONDMENT_PARTIES, _first_version),
    "agreements.printable": Rule(GET, SECONDMENT_PARTIES, _first_version),
    "agreements.pdf": Rule(GET, SECONDMENT_PARTIES, _first_version),
    "agreements.edit": Rule(GET_POST, frozenset({LINE_MANAGER, HOST, TALENT}), _first_version),
    "agreements.sign": Rule(POST, frozenset({EMPLOYEE, LINE_MANAGER, HOST}), _first_version,
                            lambda w: {"revision": "1"}),
    "agreements.amend": Rule(GET_POST, frozenset({LINE_MANAGER, HOST, TALENT}),
                             lambda w: {"secondment_id": w.running.id},
                             lambda w: {"end_date": (w.running.end_date + dt.timedelta(days=30)).isoformat(),
                                        "note": "Extended to finish the census."}),
    "agreements.withdraw": Rule(POST, frozenset({LINE_MANAGER, HOST, TALENT}), _first_version),
    "agreements.acting_up_post": Rule(POST, frozenset({LINE_MANAGER}),
                                      lambda w: {"secondment_id": w.running.id, "version": 1}),
    # An early end: either manager or the talent team; the secondee asks them (services/termination.py).
    "termination.terminate": Rule(
        GET_POST, frozenset({LINE_MANAGER, HOST, TALENT}), lambda w: {"secondment_id": w.running.id},
        lambda w: {"step": "review", "trigger": "mutual_agreement", "reason": "Agreed by all.",
                   "effective_on": dt.date.today().isoformat()},
    ),
    # The return plan: the home manager or the talent team records it; the secondee writes their wishes for it.
    "returns.plan": Rule(
        GET_POST, frozenset({LINE_MANAGER, TALENT}), lambda w: {"secondment_id": w.running.id},
        lambda w: {"outcome": "original_role"},
    ),
    "returns.wishes": Rule(
        POST, frozenset({EMPLOYEE}), lambda w: {"secondment_id": w.running.id}, lambda w: {"text": "Home, please."}
    ),
    # The return review: the home manager, after the end (the talent team only when there is no home manager).
    "returns.review": Rule(
        GET_POST, frozenset({LINE_MANAGER}), lambda w: {"secondment_id": w.returned.id},
        lambda w: {"held_on": dt.date.today().isoformat(), "how_it_went": "Well.", "role_returned_to": "Analyst",
                   "development_conversation": "More data.", "next_steps": "Lead a project."},
    ),
    # Skills gained: the host proposes them with a level and confirms them (here: nothing proposed yet, so a 409).
    "skills_gained.propose": Rule(
        GET_POST, frozenset({HOST}), lambda w: {"secondment_id": w.returned.id},
        lambda w: {"skills-0-skill_name": "Python", "skills-0-level": "4"},
    ),
    "skills_gained.confirm": Rule(POST, frozenset({HOST}), lambda w: {"secondment_id": w.returned.id}),
    # The knowledge-capture note: the secondee writes it; the parties (and the home team, see test_return_pages) read it.
    "return_feedback.note": Rule(
        GET, frozenset({EMPLOYEE, LINE_MANAGER, HOST, TALENT}), lambda w: {"secondment_id": w.returned.id}
    ),
    "return_feedback.write_note": Rule(
        GET_POST, frozenset({EMPLOYEE}), lambda w: {"secondment_id": w.returned.id},
        lambda w: {"text": "What I learnt."},
    ),
    # Evaluations: each of the three parties once, after the end; the talent team reads them, gives none.
    "return_feedback.evaluation": Rule(
        GET_POST, frozenset({EMPLOYEE, LINE_MANAGER, HOST}), lambda w: {"secondment_id": w.returned.id},
        lambda w: {"objectives_met": "4", "development_value": "4", "support": "4", "would_recommend": "4"},
    ),
    "admin.set_roles": Rule(
        POST,
        frozenset({ADMIN}),
        lambda w: {"user_id": w.accounts[EMPLOYEE].id},
        lambda w: {"roles": [Role.EMPLOYEE.value]},
    ),
}

# (endpoint, method, role) -> why it fails today; each becomes a strict xfail that documents the bug.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}


def _cases() -> list:
    cases = []
    for endpoint, rule in ROUTES.items():
        for method in rule.methods:
            for role in ROLES:
                bug = KNOWN_BUGS.get((endpoint, method, role))
                marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
                cases.append(pytest.param(endpoint, method, role, marks=marks, id=f"{endpoint}-{method}-{role}"))
    return cases


def _app_routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in NOT_ROUTES
        for method in rule.methods & CHECKED_METHODS
    }


def _table_routes() -> set[tuple[str, str]]:
    return {(endpoint, method) for endpoint, rule in ROUTES.items() for method in rule.methods}


def test_every_route_of_the_app_is_classified(app):
    unclassified = sorted(_app_routes(app) - _table_routes())
    assert not unclassified, f"add these routes to ROUTES with the roles allowed to use them: {unclassified}"


def test_every_classified_route_still_exists(app):
    stale = sorted(_table_routes() - _app_routes(app))
    assert not stale, f"the app no longer has these routes; remove them from ROUTES: {stale}"


@pytest.mark.parametrize(("endpoint", "method", "role"), _cases())
def test_route_follows_the_access_rule(client, world, endpoint, method, role):
    rule = ROUTES[endpoint]
    as_role(client, world, role)
    path = url_for(endpoint, _external=False, **rule.args(world))
    response = client.open(path, method=method, data=rule.form(world) if method == "POST" else None)
    status = response.status_code

    if role in rule.allowed:
        assert status != 403 and status < 500, f"{role} may use {method} {path} but got {status}"
        expected = rule.get_statuses if method == "GET" else {*range(200, 400), 400, 409}
        assert status in expected, f"{method} {path} as {role}: {status}"
    elif role == ANONYMOUS and path.startswith("/api/"):
        assert status == 401, f"anonymous {method} {path}: {status}"
        assert response.is_json
    elif role == ANONYMOUS:
        assert status == 302, f"anonymous {method} {path}: {status}"
        assert response.headers["Location"].startswith("/login")
    else:
        assert status == 403, f"{role} must not use {method} {path} but got {status}"


def _reload(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def test_employee_cannot_withdraw_someone_elses_application(client, world):
    as_role(client, world, EMPLOYEE)
    response = client.post(f"/applications/{world.outsiders_application.id}/withdraw")
    assert response.status_code == 403
    assert _reload(world.outsiders_application).status == "submitted"


def test_line_manager_cannot_withdraw_their_reports_application(client, world):
    as_role(client, world, LINE_MANAGER)
    assert client.post(f"/applications/{world.own_application.id}/withdraw").status_code == 403
    assert _reload(world.own_application).status == "submitted"


def test_employee_withdraws_their_own_application(client, world):
    as_role(client, world, EMPLOYEE)
    assert client.post(f"/applications/{world.own_application.id}/withdraw").status_code == 302
    assert _reload(world.own_application).status == "withdrawn"


def test_employee_lists_only_their_own_applications(client, world):
    as_role(client, world, EMPLOYEE)
    html = client.get("/applications").get_data(as_text=True)
    assert "Census data lead" in html
    assert "Harbour survey" not in html  # the outsider applied there
    assert f"/applications/{world.outsiders_application.id}/withdraw" not in html


def test_line_manager_sees_only_their_own_reports(client, world):
    as_role(client, world, LINE_MANAGER)
    html = client.get("/team").get_data(as_text=True)
    assert "Eve Worker" in html and "Census data lead" in html
    assert "Otto Outsider" not in html and "Harbour survey" not in html


def _valid_opportunity_form(world: World) -> dict:
    start = dt.date.today() + dt.timedelta(days=60)
    return {
        "title": "Renamed by the request",
        "description": "Lead a small team that cleans census data.",
        "type": "cross_departmental",
        "host_department_id": str(world.hosted.host_department_id),
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=180)).isoformat(),
        "time_commitment_percent": "60",
        "location": "Leeds",
        "remote_policy": "hybrid",
        "openings": "1",
        "min_service_months": "0",
        "funding": "home_pays",
        "required_skills-0-skill_id": str(world.hosted.skills[0].skill_id),
        "required_skills-0-level": "3",
    }


# (method, endpoint, which opportunity, the status it is left in by a successful request)
MANAGING = [
    ("GET", "host.edit", "hosted", "open"),
    ("POST", "host.edit", "hosted", "open"),
    ("POST", "host.publish", "draft", "open"),
    ("POST", "host.close", "hosted", "closed"),
    ("POST", "host.cancel", "hosted", "cancelled"),
    ("GET", "host.applicants", "hosted", "open"),
]


def _manage(client, world: World, method: str, endpoint: str, which: str):
    opportunity = getattr(world, which)
    form = _valid_opportunity_form(world) if (method, endpoint) == ("POST", "host.edit") else {}
    path = url_for(endpoint, opportunity_id=opportunity.id, _external=False)
    return client.open(path, method=method, data=form if method == "POST" else None), opportunity


@pytest.mark.parametrize(("method", "endpoint", "which", "after"), MANAGING, ids=lambda v: str(v))
def test_another_host_cannot_manage_an_opportunity_they_do_not_host(client, world, method, endpoint, which, after):
    as_role(client, world, OTHER_HOST)
    before = (getattr(world, which).status, getattr(world, which).title)
    response, opportunity = _manage(client, world, method, endpoint, which)
    assert response.status_code == 403
    reloaded = _reload(opportunity)
    assert (reloaded.status, reloaded.title) == before
    assert "Eve Worker" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [HOST, TALENT])
@pytest.mark.parametrize(("method", "endpoint", "which", "after"), MANAGING, ids=lambda v: str(v))
def test_the_host_and_the_talent_team_manage_it(client, world, role, method, endpoint, which, after):
    as_role(client, world, role)
    response, opportunity = _manage(client, world, method, endpoint, which)
    assert response.status_code == (200 if method == "GET" else 302), response.get_data(as_text=True)
    reloaded = _reload(opportunity)
    assert reloaded.status == after
    if endpoint == "host.edit" and method == "POST":
        assert reloaded.title == "Renamed by the request"


@pytest.mark.parametrize("role", [HOST, TALENT])
def test_the_host_and_the_talent_team_see_every_applicant(client, world, role):
    as_role(client, world, role)
    html = client.get(f"/host/opportunities/{world.hosted.id}/applicants").get_data(as_text=True)
    assert "Eve Worker" in html and "Otto Outsider" in html


def test_a_host_lists_only_the_opportunities_they_host(client, world):
    as_role(client, world, OTHER_HOST)
    html = client.get("/host/opportunities").get_data(as_text=True)
    assert "Bridge audit" in html
    assert "Census data lead" not in html and "Census draft" not in html


@pytest.mark.parametrize(("role", "status"), [(HOST, 200), (TALENT, 200), (OTHER_HOST, 404), (EMPLOYEE, 404)])
def test_a_draft_is_seen_only_by_its_host_and_the_talent_team(client, world, role, status):
    # 404 rather than 403: a draft's existence is not revealed to people who may not see it.
    as_role(client, world, role)
    assert client.get(f"/opportunities/{world.draft.id}").status_code == status


def test_the_talent_team_sees_every_opportunity_and_application(client, world):
    as_role(client, world, TALENT)
    html = client.get("/talent").get_data(as_text=True)
    for title in ("Census data lead", "Census draft", "Harbour survey", "Bridge audit"):
        assert title in html
    assert "Eve Worker" in html and "Otto Outsider" in html


@pytest.mark.parametrize(
    "target",
    ["//evil.example/steal", "/\\evil.example/steal", "https://evil.example/", "/ok\r\nLocation: x"],
)
def test_logging_in_never_leaves_the_site(client, world, target):
    credentials = {"email": world.accounts[EMPLOYEE].email, "password": f.PASSWORD}
    response = client.post("/login", query_string={"next": target}, data=credentials)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_deactivated_account_loses_access_at_once(client, world):
    as_role(client, world, EMPLOYEE)
    world.accounts[EMPLOYEE].is_active_account = False
    db.session.commit()
    response = client.get("/applications")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
