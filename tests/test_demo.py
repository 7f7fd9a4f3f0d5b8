"""The demo organisation: big and varied enough to try every feature, the same on every run, loaded once."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace import create_app
from marketplace.extensions import db
from marketplace.models import (
    Application,
    Department,
    DevelopmentGoal,
    Employee,
    EmployeeSkill,
    Evaluation,
    Opportunity,
    OpportunitySkill,
    OpportunityStatus,
    OpportunityType,
    Organisation,
    ReturnReview,
    Role,
    Secondment,
    SkillRequirement,
    User,
)
from marketplace.models.reasons import CODES
from marketplace.services import demo, releases
from marketplace.services.catalogue import load_catalogue
from marketplace.services.demo import DEMO_ACCOUNTS, MissingDemoSkills, build_plan, demo_counts, seed_demo
from tests.conftest import _empty_all_tables, _test_config
from tests.test_home import section

TODAY = dt.date(2026, 3, 2)
LABELS = sorted(build_plan(TODAY).skill_labels())


def test_plan_is_the_same_every_time():
    assert build_plan(TODAY) == build_plan(TODAY)
    other = build_plan(TODAY, seed=7)
    assert [p.name for p in other.people] != [p.name for p in build_plan(TODAY).people]


def test_plan_dates_fit_the_rules_the_database_enforces():
    plan = build_plan(TODAY)
    for o in plan.opportunities:
        assert o.closing_date <= o.start_date < o.end_date, o.content.title
        assert (o.published_on is None) == (o.content.status in ("draft", "pending_approval"))
        if o.content.status == "open":
            assert o.closing_date > TODAY
    for p in plan.people:
        assert p.available_until is None or p.available_until >= p.available_from
        assert p.start_date < TODAY


# Tests on the function-scoped `app` fixture come first: its clean-up empties every table,
# which must not happen while the module's seeded demo below is in use.


def test_a_skill_missing_from_the_catalogue_stops_the_seed_before_anything_is_written(app, monkeypatch):
    loaded = []

    def catalogue_without_statistics():
        loaded.append(True)
        return load_catalogue(only=[label for label in LABELS if label != "statistics"])

    monkeypatch.setattr(demo, "load_catalogue", catalogue_without_statistics)

    with pytest.raises(MissingDemoSkills, match="statistics"):
        seed_demo(app.config["DEMO_PASSWORD"], today=TODAY)

    assert loaded, "an empty catalogue is loaded before seeding"
    counts = demo_counts()
    assert counts["organisations"] == counts["employees"] == counts["log-ins"] == 0


@pytest.fixture(scope="module")
def seeded(database_url, tmp_path_factory):
    """The demo seeded once for this module (on the demo's skills only, to keep it fast)."""
    config = _test_config(database_url, tmp_path_factory.mktemp("demo")) | {"LOGIN_RATE_LIMIT": "100 per minute"}
    app = create_app(config)
    with app.app_context():
        load_catalogue(only=LABELS)
        report = seed_demo(app.config["DEMO_PASSWORD"], today=TODAY)
        yield app, report
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_demo_is_big_and_varied_enough_to_try_everything(seeded):
    _, report = seeded
    internal = Organisation.kind == "internal"
    assert not report.already_loaded
    company = db.session.scalar(sa.select(Organisation).where(internal))
    assert count(Employee, Employee.department.has(Department.organisation_id == company.id)) >= 300
    assert len(company.departments) >= 8
    partners = db.session.scalars(sa.select(Organisation).where(~internal)).all()
    assert len(partners) == 2 and all(p.departments for p in partners)
    assert {p.kind for p in partners} == {"charity", "client"}

    opportunities = db.session.scalars(sa.select(Opportunity)).all()
    assert len(opportunities) >= 30
    assert {o.type for o in opportunities} == set(OpportunityType.values())
    statuses = Counter(o.status for o in opportunities)
    assert set(statuses) == set(OpportunityStatus.values())
    assert statuses["open"] > len(opportunities) / 2
    assert any(o.funding == "host_recharges" and o.recharge_percent for o in opportunities)
    assert any(o.eligible_grades for o in opportunities)
    assert any(o.eligible_departments for o in opportunities)
    assert any(o.min_service_months for o in opportunities)
    assert all(o.skills_of(SkillRequirement.REQUIRED) for o in opportunities)

    applications = Counter(a.status for a in db.session.scalars(sa.select(Application)))
    assert applications["submitted"] >= 30 and applications["withdrawn"] >= 3


def test_every_employee_has_a_believable_profile(seeded):
    employees = db.session.scalars(sa.select(Employee)).all()
    skills = Counter(db.session.scalars(sa.select(EmployeeSkill.employee_id)))
    goals = Counter(db.session.scalars(sa.select(DevelopmentGoal.employee_id)))
    levels = set(db.session.scalars(sa.select(EmployeeSkill.level)))
    assert levels == {1, 2, 3, 4, 5}
    for e in employees:
        assert 3 <= skills[e.id] <= 8, e
        assert 1 <= goals[e.id] <= 3, e
        assert e.summary and e.job_title and e.grade and e.location
    assert count(DevelopmentGoal, DevelopmentGoal.skill_id.is_(None)) > 20  # free-text areas too
    assert len({e.location for e in employees}) >= 8
    assert {e.grade for e in employees} >= {"G4", "G5", "G6", "G7", "G8", "G9", "SCS"}
    assert sum(e.available_from is not None for e in employees) > len(employees) / 2
    assert sum(e.manager_id is None for e in employees) == 3  # the chief executive and each partner's head
    managers = {e.manager_id for e in employees}
    for manager in db.session.scalars(sa.select(Employee).where(Employee.id.in_(managers))):
        account = db.session.scalar(sa.select(User).where(User.employee_id == manager.id))
        assert account is not None and account.has_role(Role.LINE_MANAGER), manager
    for opportunity in db.session.scalars(sa.select(Opportunity)):
        assert opportunity.host_manager_id in {u.employee_id for u in _users_with(Role.HOST_MANAGER)}


def _users_with(role: Role) -> list[User]:
    return [u for u in db.session.scalars(sa.select(User)) if u.has_role(role)]


def test_summaries_mention_skills_in_words(seeded):
    priya = db.session.scalar(sa.select(Employee).where(Employee.name == "Priya Shah"))
    assert "SQL" in priya.summary and "perform data analysis" in priya.summary
    assert "machine learning" in priya.summary  # one of her development goals


def test_database_holds_exactly_the_planned_demo(seeded):
    plan = build_plan(TODAY)
    rows = db.session.execute(sa.select(Employee.employee_number, Employee.name, Employee.email, Employee.grade)
                              .order_by(Employee.employee_number)).all()
    assert [tuple(r) for r in rows] == sorted((p.number, p.name, p.email, p.grade) for p in plan.people)
    titles = db.session.scalars(sa.select(Opportunity.title).order_by(Opportunity.id)).all()
    assert titles == [o.content.title for o in plan.opportunities]
    assert count(OpportunitySkill) == sum(
        len(o.content.required) + len(o.content.nice) + len(o.content.develops) for o in plan.opportunities
    )


def test_seeding_again_changes_nothing(seeded, runner_for_seeded):
    before = {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
              for table in db.metadata.sorted_tables}

    again = seed_demo("another password", today=TODAY)
    result = runner_for_seeded.invoke(args=["seed-demo"])

    assert again.already_loaded
    assert result.exit_code == 0, result.output
    assert "already loaded" in result.output
    for account in DEMO_ACCOUNTS:
        assert account.email in result.output
    after = {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
             for table in db.metadata.sorted_tables}
    assert after == before


@pytest.fixture
def runner_for_seeded(seeded):
    return seeded[0].test_cli_runner()


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.key)
def test_every_demo_account_logs_in_with_the_demo_password(seeded, account):
    app, _ = seeded
    client = app.test_client()
    response = client.post("/login", data={"email": account.email, "password": app.config["DEMO_PASSWORD"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get("/").status_code == 200
    user = db.session.scalar(sa.select(User).where(User.email == account.email))
    assert user.has_role(account.role)


def test_demo_accounts_fit_together(seeded):
    users = {a.key: db.session.scalar(sa.select(User).where(User.email == a.email)) for a in DEMO_ACCOUNTS}
    employee, manager = users["employee"].employee, users["line_manager"].employee
    assert employee.manager_id == manager.id
    assert users["line_manager"].has_role(Role.LINE_MANAGER)
    hosted = count(Opportunity, Opportunity.host_manager_id == users["host"].employee_id)
    assert hosted >= 3
    assert users["talent"].employee.department.name == "People & HR"
    assert users["talent"].has_role(Role.TALENT) and users["talent"].has_role(Role.EMPLOYEE)
    assert users["admin"].employee is None and users["admin"].roles == {Role.ADMIN}
    applied = {a.status for a in db.session.scalars(sa.select(Application).where(Application.employee_id == employee.id))}
    assert applied == {"submitted", "withdrawn", "offered", "offer_accepted"}  # the last: her secondment last year
    secondee = users["secondee"].employee
    assert secondee.manager_id == manager.id and users["secondee"].roles == {Role.EMPLOYEE}


def test_demo_shows_applications_at_every_stage_with_the_decisions_behind_them(seeded):
    users = {a.key: db.session.scalar(sa.select(User).where(User.email == a.email)) for a in DEMO_ACCOUNTS}
    statuses = Counter(a.status for a in db.session.scalars(sa.select(Application)))
    for stage in ("submitted", "release_escalated", "release_appealed", "released", "shortlisted", "interview",
                  "offered", "rejected", "offer_accepted", "withdrawn"):
        assert statuses[stage] >= 1, stage
    for application in db.session.scalars(sa.select(Application)):
        assert application.events[0].action == "submit", application.id
        assert application.events[-1].to_status == application.status, application.id
        for event in application.events:  # coded decisions carry their code, picks their override code
            assert (event.reason_code is not None) == (event.action in CODES), (event.action, application.id)
            assert (event.override_code is not None) == (event.action in ("shortlist", "offer")), event.action
    assert [a.employee.name for a in releases.pending_for(users["line_manager"].employee)] == ["Priya Shah"]
    assert {a.status for a in releases.talent_queue()} == {"release_escalated", "release_appealed"}
    assert any(row.decisions for row in releases.manager_figures())
    host_statuses = {a.status for a in db.session.scalars(
        sa.select(Application).join(Opportunity).where(Opportunity.host_manager_id == users["host"].employee_id))}
    assert {"released", "shortlisted", "interview", "offered"} <= host_statuses
    for secondment in db.session.scalars(sa.select(Secondment)):
        assert secondment.opportunity.status == "filled" and secondment.application.status == "offer_accepted"
    assert count(Opportunity, Opportunity.status == "pending_approval") == 1


def test_demo_holds_secondments_in_every_state_each_with_its_recorded_steps(seeded):
    rows = db.session.scalars(sa.select(Secondment)).all()
    states = Counter((s.status, s.end_reason) for s in rows)
    for state in (("planned", None), ("agreement_signed", None), ("active", None), ("ended", "returned"),
                  ("ended", "terminated_early"), ("ended", "extended")):
        assert states[state] >= 1, state
    expected = {"planned": [], "agreement_signed": ["agreement_signed"],
                "active": ["agreement_signed", "active"]}
    for secondment in rows:
        actions = [event.action for event in secondment.events]
        steps = [a for a in actions if a in ("agreement_signed", "active") or a.startswith("ended.")]
        assert steps == expected.get(secondment.status, ["agreement_signed", "active", f"ended.{secondment.end_reason}"])
        if steps:  # the home manager completed the agreement, then the three signed it
            assert actions[:5] == ["agreement.edited", *["agreement.signed"] * 3, "agreement_signed"]
        assert all(event.audit_seq is not None for event in secondment.events)
        assert [e.at for e in secondment.events] == sorted(e.at for e in secondment.events)  # dated as it happened
        assert all(e.at.date() < TODAY for e in secondment.events)
    ended_early = next(s for s in rows if s.end_reason == "terminated_early")
    ending = next(e for e in ended_early.events if e.action == "ended.terminated_early")
    assert ended_early.ended_on < ended_early.end_date and ending.reason_code == "organisational_change"


def test_the_documented_secondee_has_check_ins_held_with_feedback_and_one_overdue(seeded):
    from marketplace.services import check_ins

    secondee = db.session.scalar(sa.select(User).where(User.email == "secondee@northwind.example")).employee
    [running] = db.session.scalars(sa.select(Secondment).where(Secondment.employee_id == secondee.id)).all()
    plan = check_ins.plan(running, TODAY)
    assert running.status == "active" and len(plan.held) == 2 and len(plan.overdue) == 1
    first = plan.held[0].record
    assert first.secondee_feedback and first.home_manager_note and first.objectives
    assert first.recorded_at.date() == first.held_on == first.due_on
    assert plan.next_due == plan.overdue[0]


def test_demo_decisions_are_in_a_sound_audit_log_and_told_to_the_people_concerned(seeded, runner_for_seeded):
    from marketplace.models import ApplicationEvent, Notification

    assert count(ApplicationEvent, ApplicationEvent.audit_seq.is_(None)) == 0
    result = runner_for_seeded.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    manager = db.session.scalar(sa.select(User).where(User.email == "linemanager@northwind.example"))
    assert count(Notification, Notification.recipient_id == manager.id) >= 1  # Priya's release request


def test_every_signed_demo_secondment_has_an_agreement_signed_by_all_three_before_it_started(seeded):
    from marketplace.services import agreement_terms, agreements

    for secondment in db.session.scalars(sa.select(Secondment).where(Secondment.status != "planned")):
        signed = agreements.in_force(secondment)
        assert signed is not None and signed.version == 1, secondment.opportunity.title
        assert {s.party for s in signed.signatures} == {"employee", "home_manager", "host_manager"}
        assert all(s.terms_sha256 == agreement_terms.digest(signed.terms) for s in signed.signatures)
        assert signed.terms["backfill_plan"] and not agreement_terms.problems_of(signed.terms)
        assert signed.created_at < min(s.signed_at for s in signed.signatures)
        assert signed.signed_at == max(s.signed_at for s in signed.signatures) < dt.datetime.combine(
            secondment.start_date, dt.time())
        assert secondment.check_in_frequency == signed.terms["check_in_frequency"]
    extended = db.session.scalar(sa.select(Secondment).where(Secondment.end_reason == "extended"))
    assert extended.check_in_frequency == "quarterly"  # as the story agreed, through the terms
    planned = db.session.scalar(sa.select(Secondment).join(Opportunity).where(
        Opportunity.title == "Service insight analyst in Data & Analytics"))
    draft = agreements.open_draft(planned)
    assert planned.status == "planned" and draft is not None
    assert {s.party for s in draft.signatures} == {"employee", "home_manager"}  # the host is still to sign


def test_the_employee_accounts_last_secondment_shows_its_return(seeded):
    app, _ = seeded
    client = app.test_client()
    client.post("/login", data={"email": "employee@northwind.example", "password": app.config["DEMO_PASSWORD"]})
    priya = db.session.scalar(sa.select(User).where(User.email == "employee@northwind.example")).employee
    returned = db.session.scalar(sa.select(Secondment).where(Secondment.employee_id == priya.id))
    html = client.get(f"/secondments/{returned.id}").get_data(as_text=True)

    assert "Back in the analytics team" in section(html, "return-plan")
    review = section(html, "return-review")
    assert "Data Analyst" in review and "machine learning" in review
    gains = section(html, "skills-gained-list")
    assert gains.count("Confirmed") == 2 and "A/B testing" in gains and "marketing analytics" in gains
    assert "wrote up what they learnt" in section(html, "knowledge-note-link")
    assert {row.skill.name for row in priya.skills} >= {"A/B testing", "marketing analytics"}  # in her profile


def test_the_readme_says_what_the_demo_holds(seeded):
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    demo_section = " ".join(readme[readme.index("### Demo log-ins"):readme.index("## Production")].split())
    departments, employees, opportunities = map(int, re.search(
        r"Northwind Group: (\d+) departments, (\d+) employees; .*?; (\d+) opportunities", demo_section).groups())
    company = db.session.scalar(sa.select(Organisation).where(Organisation.kind == "internal"))
    assert departments == len(company.departments)
    assert employees == count(Employee, Employee.department.has(Department.organisation_id == company.id))
    assert opportunities == count(Opportunity)
    returns = count(Secondment, Secondment.end_reason.in_(("returned", "terminated_early")))
    assert "four returns with their review and every party's evaluation, and a fifth" in demo_section
    assert (returns, count(ReturnReview), count(Evaluation)) == (5, 4, 4 * 3 + 1)
    for account in DEMO_ACCOUNTS:
        assert f"`{account.email}`" in demo_section
