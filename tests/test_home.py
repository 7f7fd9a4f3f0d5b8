"""The home page: a section for each role the user holds, each showing only what that user may see."""

from __future__ import annotations

import datetime as dt
import html as html_text
import re

import pytest
import sqlalchemy as sa

from marketplace.clock import today as utc_today
from marketplace.extensions import db
from marketplace.models import CheckIn, Role
from marketplace.services import check_ins, releases
from marketplace.services.homes.employee import why_in_a_line
from matching import HashingEncoder
from matching.scoring import Evidence, GoalLink, MatchScore
from tests import factories as f

TODAY = utc_today()
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def fake_encoder(app):
    app.extensions["encoder"] = HashingEncoder(dimension=64)


def home(client, account) -> str:
    f.login(client, account)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(html: str, element_id: str) -> str:
    """The text of the element with ``element_id`` (tags removed, spaces folded)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no #{element_id}"
    return " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", match.group(2))).split())


def queries_for(client, path: str) -> int:
    """How many SQL statements answering ``path`` takes (the page must answer 200)."""
    statements = []

    def count(*args):
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def on(submitted: dt.date) -> dt.datetime:
    return dt.datetime.combine(submitted, dt.time(9))


# --- employee ---------------------------------------------------------------------------------------------------------

def test_employee_sees_their_best_matches_with_why_their_applications_and_what_their_profile_lacks(client, app):
    sql = f.skill("SQL")
    account = f.user(Role.EMPLOYEE, employee_record=f.employee(skills={sql: 3}))
    person = account.employee
    best = f.opportunity(title="Analytics secondment", required={sql: 1})
    applied_to = f.opportunity(title="Data quality secondment")
    f.application(applied_to, person, "shortlisted")
    f.application(f.opportunity(title="Withdrawn one"), person, "withdrawn")
    db.session.commit()

    html = home(client, account)

    suggestions = section(html, "suggestions")
    assert "Analytics secondment" in suggestions and "It needs SQL, which you have." in suggestions
    applications = section(html, "my-applications")
    assert "Data quality secondment Shortlisted" in applications and "Withdrawn one" not in applications
    assert "You are not on a secondment" in section(html, "my-secondment")
    assert "say what you want to develop" in html and "add your skills and levels" not in html
    assert f'href="/opportunities/{best.id}"' in html


def test_the_one_line_why_names_skills_held_then_the_goal_served():
    def evidence(name, status):
        return Evidence(name, 2, status, 1.0, 1.0)

    def score(required=(), goals=()):
        return MatchScore(None, None, 0.5, 0.5, 0.5, 0.5, 0.5, required_evidence=list(required), goals_served=list(goals))

    met = [evidence("Docker", "met"), evidence("Linux", "met"), evidence("Go", "met")]
    goal = GoalLink("work with cloud platforms", "Kubernetes", 0.8, "develops")
    assert why_in_a_line(score(met, [goal])) == (
        "It needs Docker and Linux, which you have; you would build Kubernetes, toward your goal "
        "“work with cloud platforms”.")
    assert why_in_a_line(score([evidence("SQL", "partial")])) == "You have some of what it needs: SQL."
    assert why_in_a_line(score()) == "Your profile as a whole is close to what it describes."


def test_a_secondee_sees_their_dates_the_next_check_in_and_an_overdue_one(client, app):
    account = f.user(Role.EMPLOYEE)
    start = TODAY - dt.timedelta(days=70)
    running = f.secondment(account.employee, start=start, end=TODAY + dt.timedelta(days=100), status="active",
                           title="Platform secondment")
    first, second, third = check_ins.plan(running, TODAY).slots[:3]
    db.session.add(CheckIn(secondment=running, due_on=first.due_on, held_on=first.due_on, rating="on_track",
                           host_feedback="Good start."))
    db.session.commit()

    html = home(client, account)

    mine = section(html, "my-secondment")
    assert "Platform secondment Active" in mine
    assert f"{start.day} {start:%b %Y}" in mine
    overdue = section(html, "my-overdue-check-ins")
    assert second.due_on.strftime("%b %Y") in overdue and "not recorded yet" in overdue
    assert section(html, "my-next-check-in").startswith(f"Next check-in: {second.due_on.day} ")
    assert "Overdue" in section(html, "my-next-check-in")
    assert "cannot apply for another" in section(html, "suggestions")


def test_after_a_secondment_the_employee_sees_how_their_last_one_ended(client, app):
    account = f.user(Role.EMPLOYEE)
    f.secondment(account.employee, start=TODAY - dt.timedelta(days=300), end=TODAY - dt.timedelta(days=120),
                 status="ended", title="Finance secondment")
    db.session.commit()
    mine = section(home(client, account), "my-secondment")
    assert "not on a secondment now" in mine and "Finance secondment" in mine and "(returned)" in mine


# --- line manager ------------------------------------------------------------------------------------------------------

@pytest.fixture
def two_teams(app):
    """Two line managers, each with a report who asked to be released; Ann's has waited a week."""
    ann, bob = f.user(Role.LINE_MANAGER), f.user(Role.LINE_MANAGER)
    mine, theirs = f.employee("Mia Mine", manager=ann.employee), f.employee("Tom Theirs", manager=bob.employee)
    week_ago = TODAY - dt.timedelta(days=7)
    f.application(f.opportunity(title="Mia's choice"), mine, submitted_at=on(week_ago))
    f.application(f.opportunity(title="Tom's choice"), theirs, submitted_at=on(week_ago))
    db.session.commit()
    return ann, bob, mine


def test_a_line_manager_sees_their_own_teams_releases_with_age_and_escalation_date_only(client, two_teams):
    ann, _, _ = two_teams
    html = home(client, ann)
    pending = section(html, "home-releases-table")
    week_ago = TODAY - dt.timedelta(days=7)
    waited = releases.working_days_waited(week_ago, TODAY)
    escalates = releases.escalates_on(week_ago, client.application.config["RELEASE_ESCALATION_WORKING_DAYS"])
    assert "Mia Mine" in pending and "Mia's choice" in pending
    assert f"{waited} working days" in pending
    assert f"{escalates.day} {escalates:%b %Y}" in pending
    assert "Tom Theirs" not in html and "Tom's choice" not in html


def test_a_line_manager_sees_who_is_away_until_when_and_who_is_about_to_go(client, app):
    manager = f.user(Role.LINE_MANAGER)
    away = f.secondment(f.employee("Ava Away", manager=manager.employee), start=TODAY - dt.timedelta(days=30),
                        end=TODAY + dt.timedelta(days=60), status="active", title="Ava's secondment")
    f.secondment(f.employee("Len Leaving", manager=manager.employee), start=TODAY + dt.timedelta(days=10),
                 end=TODAY + dt.timedelta(days=90), status="agreement_signed", title="Len's secondment")
    f.secondment(f.employee("Rob Returned", manager=manager.employee), start=TODAY - dt.timedelta(days=200),
                 end=TODAY - dt.timedelta(days=20), status="ended")
    f.secondment(f.employee("Other Team"), start=TODAY - dt.timedelta(days=30), end=TODAY + dt.timedelta(days=60),
                 status="active")
    db.session.commit()

    table = section(home(client, manager), "home-away-table")

    until = away.end_date
    assert f"Ava Away Ava's secondment away until {until.day} {until:%b %Y}" in table
    assert "Len Leaving" in table and "goes on" in table and "Agreement signed" in table
    assert table.index("Ava Away") < table.index("Len Leaving")
    assert "Plan cover on the secondment page" in table
    assert "Rob Returned" not in table and "Other Team" not in table


def test_a_line_manager_with_nothing_waiting_is_told_so(client, app):
    manager = f.user(Role.LINE_MANAGER)
    db.session.commit()
    html = home(client, manager)
    assert "No release requests wait for you" in html and "Nobody you manage is on a secondment" in html


# --- host manager ------------------------------------------------------------------------------------------------------

def test_a_host_sees_the_pipeline_of_each_of_their_opportunities_and_who_to_review(client, app):
    host = f.user(Role.HOST_MANAGER)
    busy = f.opportunity(host.employee, title="Busy secondment", openings=2)
    for status in ("submitted", "release_escalated", "released", "released", "shortlisted", "interview", "offered",
                   "offer_accepted", "rejected", "withdrawn"):
        f.application(busy, f.employee(f"Applicant {status}"), status)
    f.opportunity(host.employee, title="Quiet draft", status="draft")
    f.opportunity(host.employee, title="Closed secondment", status="closed")
    someone_elses = f.opportunity(title="Someone else's")
    f.application(someone_elses, f.employee("Not Mine"), "released")
    db.session.commit()

    html = home(client, host)

    table = section(html, "home-pipelines-table")
    #            waiting, released, shortlisted, interview, offered, places taken
    assert "Busy secondment Open 2 2 1 1 1 1 of 2 Applicants" in table
    assert "Closed secondment Closed 0 0 0 0 0 0 of 1 Applicants" in table
    assert "Ranked candidates for Busy secondment" in table and "Ranked candidates for Closed" not in table
    assert table.index("Busy secondment") < table.index("Closed secondment")  # open ones first
    assert "Quiet draft" not in table and "Someone else's" not in html
    assert f'href="/host/opportunities/{busy.id}/candidates"' in html
    review = section(html, "home-to-review")
    assert review.count("for Busy secondment") == 2 and "Not Mine" not in review


def test_a_host_with_nothing_live_is_told_where_their_drafts_are(client, app):
    host = f.user(Role.HOST_MANAGER)
    f.opportunity(host.employee, status="draft")
    db.session.commit()
    html = home(client, host)
    assert "None of your opportunities is taking applications" in html
    assert "No released applicant waits for your decision" in html


# --- talent team -------------------------------------------------------------------------------------------------------

def talent_world(size: int) -> None:
    """``size`` of everything the talent home lists or counts."""
    manager = f.employee("Lena Manager")
    for n in range(size):
        opportunity = f.opportunity(title=f"Opportunity {n}")
        for status in ("submitted", "release_escalated", "release_appealed", "released", "offered"):
            f.application(opportunity, f.employee(f"{status} {n}", manager=manager), status)
        f.secondment(f.employee(f"Starter {n}"), start=TODAY + dt.timedelta(days=5 + n), end=TODAY + 90 * DAY,
                     status="agreement_signed")
        f.secondment(f.employee(f"Ender {n}"), start=TODAY - 90 * DAY, end=TODAY + dt.timedelta(days=10 + n),
                     status="active")
    f.secondment(f.employee("Later Starter"), start=TODAY + 45 * DAY, end=TODAY + 120 * DAY, status="planned")
    f.secondment(f.employee("Later Ender"), start=TODAY - 90 * DAY, end=TODAY + 45 * DAY, status="active")
    db.session.commit()


def test_the_talent_team_sees_the_pipeline_chart_and_table_escalations_appeals_and_moves(client, app):
    talent = f.user(Role.TALENT)
    talent_world(2)

    html = home(client, talent)

    table = section(html, "pipeline-table")
    assert "Waiting for release 6" in table  # submitted, escalated and appealed
    assert "Released, to review 2" in table and "Offered 2" in table
    assert "Agreement to sign 1" in table and "Agreement signed 2" in table and "On secondment 3" in table
    chart = re.search(r'<svg[^>]*id="pipeline-chart"[^>]*aria-label="([^"]+)"', html)
    assert chart and "waiting for release 6" in chart.group(1) and "table below" in chart.group(1)
    escalated = section(html, "home-escalated")
    assert "release_escalated 0 for Opportunity 0" in escalated and "Lena Manager" in escalated
    assert "release_appealed 1" in section(html, "home-appeals")
    starting, ending = section(html, "home-starting"), section(html, "home-ending")
    assert "Starter 0" in starting and "Starter 1" in starting and "Later Starter" not in starting
    assert "Ender 0" in ending and "Later Ender" not in ending


def test_the_talent_home_costs_the_same_queries_for_ten_times_the_rows(client, app):
    talent = f.user(Role.TALENT)
    f.login(client, talent)

    talent_world(6)
    few = queries_for(client, "/")
    talent_world(54)
    assert few > 10 and queries_for(client, "/") == few


def test_only_the_talent_team_sees_the_organisation(client, app):
    manager = f.user(Role.LINE_MANAGER, Role.HOST_MANAGER)
    talent_world(1)
    html = home(client, manager)
    assert "Across the organisation" not in html and "Starter 0" not in html and "release_appealed" not in html


# --- several roles, and the administrator -------------------------------------------------------------------------------

def test_someone_holding_several_roles_gets_a_section_for_each_in_order(client, app):
    account = f.user(Role.EMPLOYEE, Role.LINE_MANAGER, Role.HOST_MANAGER, Role.TALENT)
    db.session.commit()
    html = home(client, account)
    headings = re.findall(r'<h2 class="h4[^"]*" id="home-(\w+)-heading">', html)
    assert headings == ["employee", "line_manager", "host", "talent"]
    assert 'aria-label="Sections of your home"' in html and 'href="#home-talent"' in html


def test_admin_sees_accounts_and_no_hr_figures(client, app):
    admin = f.user(Role.ADMIN)
    f.user(Role.EMPLOYEE)
    db.session.commit()
    html = home(client, admin)
    assert "2 accounts" in html
    assert "For you" not in html and "Across the organisation" not in html
    assert 'aria-label="Sections of your home"' not in html  # one section needs no table of contents

