"""Releases: escalation after N working days, appeals, each manager's figures, and the pages people use for them."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from jobs import lifecycle as lifecycle_tasks
from marketplace.extensions import db
from marketplace.models import Application, ApplicationAction, ApplicationEvent, Role
from marketplace.services import releases, selection
from tests import factories as f
from tests.test_home import section

A = ApplicationAction


def applied(person, opportunity=None, *, on: dt.datetime, status: str = "submitted") -> Application:
    application = Application(
        opportunity=opportunity or f.opportunity(), employee=person, statement="Me.", status=status,
        submitted_at=on, updated_at=on,
    )
    db.session.add(application)
    db.session.flush()
    return application


@pytest.fixture
def team(app):
    """A line manager with one report, both with accounts."""
    manager = f.user(Role.LINE_MANAGER, employee_record=f.employee("Lena Lead"))
    person = f.user(Role.EMPLOYEE, employee_record=f.employee("Eve Report", manager=manager.employee))
    db.session.commit()
    return manager, person


THURSDAY = dt.date(2026, 1, 8)


@pytest.mark.parametrize(
    ("submitted", "days", "due"),
    [
        (THURSDAY, 2, dt.date(2026, 1, 12)),  # Fri, then the weekend is skipped, Mon
        (THURSDAY, 5, dt.date(2026, 1, 15)),
        (dt.date(2026, 1, 10), 1, dt.date(2026, 1, 12)),  # submitted on a Saturday
        (dt.date(2026, 1, 9), 0, dt.date(2026, 1, 9)),
    ],
)
def test_the_release_is_due_after_the_given_working_days(submitted, days, due):
    assert releases.release_due(submitted, days) == due


def test_undecided_releases_escalate_after_the_working_days_weekend_skipped(team):
    _, person = team
    application = applied(person.employee, on=dt.datetime.combine(THURSDAY, dt.time(16, 0)))
    db.session.commit()

    for quiet_day in (dt.date(2026, 1, 10), dt.date(2026, 1, 11), dt.date(2026, 1, 12)):  # Sat, Sun, Mon
        assert releases.escalate_overdue_releases(quiet_day, working_days=2) == 0
    assert application.status == "submitted"

    assert releases.escalate_overdue_releases(dt.date(2026, 1, 13), working_days=2) == 1
    assert application.status == "release_escalated"
    event = application.events[-1]
    assert (event.action, event.actor_id, event.actor_role) == ("escalate", None, "system")
    assert event.note == "No decision within 2 working days."
    assert releases.escalate_overdue_releases(dt.date(2026, 1, 14), working_days=2) == 0  # once only
    assert releases.talent_queue() == [application]


def test_the_escalation_task_uses_the_configured_working_days(app, team):
    _, person = team
    long_ago = dt.datetime.now() - dt.timedelta(days=30)
    recent = dt.datetime.now()
    old, new = applied(person.employee, on=long_ago), applied(person.employee, on=recent)
    db.session.commit()
    app.config["RELEASE_ESCALATION_WORKING_DAYS"] = 5

    assert lifecycle_tasks.escalate_overdue_releases() == 1

    db.session.expire_all()
    assert (db.session.get(Application, old.id).status, db.session.get(Application, new.id).status) == (
        "release_escalated", "submitted"
    )


def test_a_declined_release_can_be_appealed_and_overturned_by_the_talent_team(team):
    manager, person = team
    talent = f.user(Role.TALENT)
    application = applied(person.employee, on=dt.datetime(2026, 1, 5, 9))
    db.session.commit()

    selection.transition(application, A.DECLINE_RELEASE, manager, reason="Year-end close.", reason_code="business_critical_period")
    selection.transition(application, A.APPEAL, person, reason="My work is covered by Sam.")
    assert releases.talent_queue() == [application]
    selection.transition(application, A.OVERTURN, talent, reason="Cover is agreed.")

    assert application.status == "released"
    assert releases.talent_queue() == []
    assert [(e.action, e.actor_role, e.reason) for e in application.events] == [
        ("decline_release", "line_manager", "Year-end close."),
        ("appeal", "applicant", "My work is covered by Sam."),
        ("overturn", "talent", "Cover is agreed."),
    ]


def test_an_upheld_decline_ends_the_application(team):
    manager, person = team
    application = applied(person.employee, on=dt.datetime(2026, 1, 5, 9), status="release_appealed")
    db.session.commit()
    selection.transition(application, A.UPHOLD, f.user(Role.TALENT), reason="No cover until spring.")
    assert application.status == "release_refused" and not application.is_active


def test_release_figures_per_manager_against_a_hand_computed_example(app):
    slow = f.user(Role.LINE_MANAGER, employee_record=f.employee("Sol Slow"))
    quick = f.user(Role.LINE_MANAGER, employee_record=f.employee("Quinn Quick"))
    talent = f.user(Role.TALENT)
    monday = dt.datetime(2026, 1, 5, 9, 0)
    reports = [f.employee(f"Report {n}", manager=slow.employee) for n in range(5)]
    quick_report = f.employee("Quick report", manager=quick.employee)
    # Sol decides after 1, 3 and 10 days (declining one), leaves one waiting and one escalated
    # which the talent team then decides; Quinn decides one after half a day.
    decided = [(reports[0], 1, A.APPROVE_RELEASE), (reports[1], 3, A.DECLINE_RELEASE), (reports[2], 10, A.APPROVE_RELEASE)]
    for person, days, action in decided:
        application = applied(person, on=monday)
        db.session.add(ApplicationEvent(
            application=application, action=action.value, from_status="submitted",
            to_status="released" if action == A.APPROVE_RELEASE else "release_declined",
            actor_id=slow.id, actor_role="line_manager", reason="Busy." if action == A.DECLINE_RELEASE else None,
            at=monday + dt.timedelta(days=days),
        ))
        application.status = "released" if action == A.APPROVE_RELEASE else "release_declined"
    applied(reports[3], on=monday)
    escalated = applied(reports[4], on=monday)
    quick_one = applied(quick_report, on=monday, status="released")
    db.session.add(ApplicationEvent(
        application=quick_one, action="approve_release", from_status="submitted", to_status="released",
        actor_id=quick.id, actor_role="line_manager", at=monday + dt.timedelta(hours=12),
    ))
    db.session.commit()
    releases.escalate_overdue_releases(dt.date(2026, 1, 20), working_days=5)  # escalates both of Sol's waiting
    selection.transition(escalated, A.APPROVE_RELEASE, talent)  # the talent team's decision is not Sol's

    figures = {row.manager.name: row for row in releases.manager_figures()}

    sol = figures["Sol Slow"]
    assert (sol.decisions, sol.declines, sol.median_days, sol.pending, sol.escalated) == (3, 1, 3.0, 1, 2)
    assert sol.decline_rate == pytest.approx(1 / 3)
    quinn = figures["Quinn Quick"]
    assert (quinn.decisions, quinn.declines, quinn.median_days, quinn.pending, quinn.escalated) == (1, 0, 0.5, 0, 0)
    assert [row.manager.name for row in releases.manager_figures()] == ["Sol Slow", "Quinn Quick"]


# ---------------------------------------------------------------- pages


def test_the_line_manager_releases_from_the_team_page(client, team):
    manager, person = team
    application = applied(person.employee, f.opportunity(title="Data secondment"), on=dt.datetime.now())
    db.session.commit()
    f.login(client, manager)

    page = client.get("/team").get_data(as_text=True)
    assert "Release requests" in page and "Data secondment" in page
    assert f'action="/applications/{application.id}/release"' in page

    assert "Data secondment" in section(client.get("/").get_data(as_text=True), "home-releases-table")
    response = client.post(f"/applications/{application.id}/release", data={"action": "approve_release"})
    assert response.status_code == 302 and response.headers["Location"] == "/team"
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "released"
    assert "No release requests wait for you." in client.get("/team").get_data(as_text=True)
    assert "No release requests wait for you." in section(client.get("/").get_data(as_text=True), "home-releases")


def test_a_decline_without_a_reason_is_refused_on_the_page_and_nothing_changes(client, team):
    manager, person = team
    application = applied(person.employee, on=dt.datetime.now())
    db.session.commit()
    f.login(client, manager)
    response = client.post(f"/applications/{application.id}/release", data={"action": "decline_release", "reason": " "})
    assert response.status_code == 400
    assert "Give a reason to decline the release" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "submitted"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApplicationEvent)) == 0


def test_a_page_route_takes_only_its_own_decisions(client, team):
    manager, person = team
    application = applied(person.employee, on=dt.datetime.now(), status="released")
    db.session.commit()
    f.login(client, manager)
    response = client.post(f"/applications/{application.id}/release", data={"action": "withdraw"})
    assert response.status_code == 400
    assert "That is not a decision this page can take." in response.get_data(as_text=True)


def test_the_person_sees_the_decline_and_appeals_it_from_my_applications(client, team):
    manager, person = team
    application = applied(person.employee, f.opportunity(title="Harbour survey"), on=dt.datetime.now())
    db.session.commit()
    selection.transition(application, A.DECLINE_RELEASE, manager, reason="Audit season.", reason_code="business_critical_period")
    f.login(client, person)

    page = client.get("/applications").get_data(as_text=True)
    assert "Release declined" in page and "Reason: Audit season." in page
    assert f'action="/applications/{application.id}/appeal"' in page
    response = client.post(f"/applications/{application.id}/appeal",
                           data={"action": "appeal", "reason": "Sam covers the audit."})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "release_appealed"


def test_the_talent_team_decides_the_queue_and_sees_the_figures(client, team):
    manager, person = team
    talent = f.user(Role.TALENT)
    appealed = applied(person.employee, f.opportunity(title="Bridge audit"), on=dt.datetime(2026, 1, 5, 9))
    db.session.commit()
    selection.transition(appealed, A.DECLINE_RELEASE, manager, reason="Short-staffed.", reason_code="no_backfill")
    selection.transition(appealed, A.APPEAL, person, reason="Two new starters join in March.")
    f.login(client, talent)

    overview = client.get("/talent").get_data(as_text=True)
    assert "1 waiting" in overview
    assert "Lena Lead" in overview[overview.index('id="release-figures"'):]  # hoarding shows on the overview
    page = client.get("/talent/releases").get_data(as_text=True)
    assert "Eve Report → Bridge audit" in page
    assert "Declined because:</strong> Short-staffed." in page and "Two new starters join in March." in page
    figures = page[page.index('id="release-figures"'):]
    assert "Lena Lead" in figures

    response = client.post(f"/applications/{appealed.id}/appeal/decision",
                           data={"action": "uphold", "reason": "Cover is not in place yet."})
    assert response.status_code == 302 and response.headers["Location"] == "/talent/releases"
    assert "Nothing is waiting for the talent team." in client.get("/talent/releases").get_data(as_text=True)
