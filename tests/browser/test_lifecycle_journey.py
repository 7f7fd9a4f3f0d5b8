"""One secondment from posting to return, in a real browser, through all four roles.

The host posts and the talent team approves the posting; the employee applies; the line manager
releases; the host shortlists, interviews and offers; the employee accepts. The home manager
completes the agreement and all three sign it. The clock then moves through the six months
(time-machine moves it for the live server too): the secondment starts, the host records a
check-in and the secondee answers it, the return plan is recorded thirty days before the end, the
secondment ends, the home manager holds the return review, the host confirms the skills gained
(which reach the profile), the secondee shares a knowledge note, and all three evaluate it; the talent team sees the response rates. Each
person uses their own browser context, as four people at four desks would; after each move of the
clock everyone logs in again, as their sessions have expired.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
import time_machine
from playwright.sync_api import Browser, Page, expect

from marketplace.clock import today
from marketplace.extensions import db
from marketplace.models import Role, Secondment
from marketplace.services import secondments
from tests import factories as f
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_apply_journey import _log_in_on, _main_nav

pytestmark = pytest.mark.browser

TITLE = "Flood-risk data analyst"
STATEMENT = "I build flood-risk dashboards at home and want to learn how planners use them."


@dataclass(frozen=True)
class Cast:
    """The four people of one secondment, as plain values."""

    employee: str
    employee_name: str
    line_manager: str
    host: str
    talent: str
    manager_name: str


def _cast() -> Cast:
    gis = f.skill("Geographic information systems", aliases=("GIS",))
    planning = f.skill("Spatial planning")
    host = f.user(Role.HOST_MANAGER)
    manager = f.user(Role.EMPLOYEE, Role.LINE_MANAGER)
    person = f.employee(manager=manager.employee, skills={gis: 4}, goals=[planning])
    employee = f.user(Role.EMPLOYEE, employee_record=person)
    talent = f.user(Role.TALENT)
    return Cast(employee.email, person.name, manager.email, host.email, talent.email, manager.employee.name)


@pytest.fixture
def desks(browser: Browser, request) -> Iterator[dict[str, Page]]:
    """One separate browser context per person (no cookies shared); a failure leaves each desk's screenshot."""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(4)]
    pages = dict(zip(("employee", "line_manager", "host", "talent"), (c.new_page() for c in contexts)))
    yield pages
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for role, page in pages.items():
            page.screenshot(path=ARTIFACTS / f"{request.node.name}-{role}.png", full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def approval_required(live_app) -> Iterator[None]:
    """Publishing needs the talent team's approval, as in a cautious installation."""
    live_app.app.config["PUBLISH_REQUIRES_APPROVAL"] = True
    yield
    live_app.app.config["PUBLISH_REQUIRES_APPROVAL"] = False


def _confirming(page: Page) -> None:
    """Accept every confirmation dialog on ``page`` (irreversible steps ask first)."""
    page.on("dialog", lambda dialog: dialog.accept())


def _host_posts(page: Page, start: dt.date) -> None:
    _main_nav(page, "Hosting").click()
    page.get_by_role("link", name="New opportunity").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill("Six months with the planning unit, mapping flood risk for new housing.")
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("Duration in months").fill("6")
    page.get_by_label("Location").fill("Leeds")
    required = page.get_by_role("group", name="Required skills")
    required.get_by_label("Skill 1", exact=True).fill("GIS")
    required.get_by_label("Minimum level for skill 1").select_option(label="3 · Practitioner")
    page.get_by_role("group", name="Skills this secondment develops").get_by_label("Skill 1", exact=True).fill(
        "Spatial planning"
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="My opportunities", level=1)).to_be_visible()
    page.get_by_role("button", name=f"Publish {TITLE}").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "sent to the talent team for approval"
    )


def _talent_approves(page: Page) -> None:
    _main_nav(page, "Talent overview").click()
    page.get_by_role("link", name=re.compile("^Releases and approvals")).click()
    page.get_by_role("button", name=f"Approve and publish {TITLE}").click()
    expect(page.get_by_text("No opportunity is waiting for approval.")).to_be_visible()


def _employee_applies(page: Page) -> None:
    _main_nav(page, "Opportunities").click()
    page.get_by_role("search", name="Find a secondment").get_by_label("Search").fill("flood")
    page.get_by_role("button", name="Show opportunities").click()
    page.get_by_role("region", name="Results").get_by_role("link", name=TITLE).click()
    page.get_by_label("Why you, and what you hope to learn").fill(STATEMENT)
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("status")).to_have_text(f"Your application to “{TITLE}” was sent.")


def _line_manager_releases(page: Page, cast: Cast) -> None:
    _main_nav(page, "My team").click()
    page.get_by_role("button", name=f"Release — {cast.employee_name}, {TITLE}").click()
    expect(page.get_by_text("No release requests wait for you.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(cast.employee_name))).to_contain_text("Released")


def _host_selects(page: Page, cast: Cast) -> None:
    _main_nav(page, "Hosting").click()
    page.get_by_role("link", name=f"Ranked candidates for {TITLE}").click()  # the ranking is shown, so logged
    expect(page.get_by_text(cast.employee_name).first).to_be_visible()
    _main_nav(page, "Hosting").click()
    page.get_by_role("link", name=f"Applicants for {TITLE}").click()
    card = page.get_by_role("article", name=cast.employee_name)
    expect(card.locator(".applicant-statement")).to_have_text(STATEMENT)

    card.locator("summary", has_text="Shortlist").click()
    opened = card.locator("details[open]")
    opened.get_by_label("Reason code").select_option("strong_skills_match")
    opened.get_by_role("button", name="Shortlist", exact=True).click()
    card = page.get_by_role("article", name=cast.employee_name)
    card.locator("summary", has_text="Schedule interview").click()
    card.get_by_label(re.compile(r"^Date and time")).fill(f"{(today() + dt.timedelta(days=3)).isoformat()}T10:00")
    card.get_by_label(re.compile(r"^Notes for the candidate")).fill("Room 4.12, with the planning lead.")
    card.get_by_role("button", name="Save interview").click()
    card = page.get_by_role("article", name=cast.employee_name)
    expect(card).to_contain_text("Room 4.12")
    card.locator("summary", has_text="Make an offer").click()
    opened = card.locator("details[open]")
    opened.get_by_label("Reason code").select_option("best_overall_fit")
    opened.get_by_role("button", name="Make an offer", exact=True).click()
    expect(page.get_by_role("article", name=cast.employee_name)).to_contain_text("Offered")


def _employee_accepts(page: Page) -> None:
    _main_nav(page, "My applications").click()
    page.get_by_role("button", name=re.compile(f"^Accept offer — .*{TITLE}")).click()
    row = page.get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("Offer accepted")


def _open_secondment(page: Page) -> None:
    page.locator("#nav-links").get_by_role("link", name="Secondments").click()
    page.get_by_role("link", name=re.compile(TITLE)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)


def _home_manager_completes_the_agreement(page: Page) -> None:
    _open_secondment(page)
    page.get_by_role("link", name="Edit the terms").click()
    page.get_by_label("Objectives").fill("Map flood risk for the three new housing sites\nBrief the planning committee")
    page.get_by_label("Backfill plan").select_option(label="Temporary cover")
    page.get_by_label("Backfill notes").fill("Priya covers the dashboards two days a week.")
    page.get_by_role("button", name="Save the terms").click()
    expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_contain_text("saved")


def _signs(page: Page, capacity: str, *, on_the_agreement: bool = False) -> None:
    if not on_the_agreement:
        _open_secondment(page)
        page.get_by_role("link", name="Read and sign the agreement").click()
    expect(page.get_by_text("Map flood risk for the three new housing sites")).to_be_visible()
    page.get_by_role("button", name=f"Sign version 1 as {capacity}").click()


def _host_records_a_check_in(page: Page, held: dt.date) -> None:
    _open_secondment(page)
    page.get_by_role("link", name="Record a check-in").click()
    page.get_by_label("Held on").fill(held.isoformat())
    objective = page.get_by_role("group", name="Map flood risk for the three new housing sites")
    objective.get_by_label("Where it stands").select_option(label="On track")
    objective.get_by_label("Progress").fill("Two of the three sites are mapped.")
    page.get_by_role("group", name="Overall").get_by_label("On track").check()
    page.get_by_label("Host's feedback").fill("Quick to learn the planning rules; the maps are already in use.")
    page.get_by_role("button", name="Record the check-in").click()
    expect(page.get_by_text("Two of the three sites are mapped.")).to_be_visible()


def _secondee_answers_the_check_in(page: Page) -> None:
    _open_secondment(page)
    page.get_by_role("link", name="Check-in 1").click()
    expect(page.get_by_text("Quick to learn the planning rules")).to_be_visible()
    feedback = page.locator("form", has=page.get_by_label("Your feedback on this check-in"))
    feedback.get_by_label("Your feedback on this check-in").fill("I would like more time with the committee clerks.")
    feedback.get_by_role("button", name="Add").click()
    expect(page.get_by_text("I would like more time with the committee clerks.")).to_be_visible()


def _return_is_planned(employee: Page, manager: Page) -> None:
    _open_secondment(employee)
    expect(employee.locator("#return-plan-due")).to_contain_text("due")
    employee.get_by_label("Your wishes for the return").fill("Back to my own team, bringing the planning maps.")
    employee.get_by_role("button", name="Save my wishes").click()
    _open_secondment(manager)
    manager.get_by_role("link", name="Record the return plan").click()
    expect(manager.get_by_text("Back to my own team, bringing the planning maps.")).to_be_visible()
    manager.get_by_role("group", name=re.compile("At the end of the secondment")).get_by_label(
        re.compile("original role", re.I)).check()
    manager.get_by_role("button", name="Record the plan").click()
    expect(manager.locator("#return-plan")).to_contain_text("original role")


def _home_manager_reviews_the_return(page: Page, held: dt.date) -> None:
    _open_secondment(page)
    page.get_by_role("link", name="Record the return review").click()
    page.get_by_label("Held on").fill(held.isoformat())
    page.get_by_label("Role returned to").fill("GIS analyst, home team")
    page.get_by_label("How the return went").fill("Settled back in within a week; handover from Priya was smooth.")
    page.get_by_label(re.compile("Development conversation")).fill("Wants to lead the next planning data project.")
    page.get_by_label(re.compile("Next steps")).fill("Present the flood maps to the team by the end of the month.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator("#return-review")).to_contain_text("GIS analyst, home team")


def _host_confirms_skills_gained(page: Page) -> None:
    _open_secondment(page)
    page.get_by_role("link", name="Propose skills gained").click()
    gained = page.get_by_role("group", name="Skills gained")
    gained.get_by_label("Skill 1", exact=True).fill("Spatial planning")
    gained.get_by_label("New level for skill 1").select_option(label="3 · Practitioner")
    page.get_by_role("button", name="Propose these skills").click()
    page.get_by_role("button", name="Confirm and add them to the profile").click()
    expect(page.locator("#skills-gained-list")).to_contain_text("Confirmed")


def _secondee_shares_what_they_learnt(page: Page) -> None:
    _main_nav(page, "My profile").click()
    have = page.get_by_role("group", name="Skills you have")
    expect(have.get_by_label("Skill 2", exact=True)).to_have_value("Spatial planning")  # confirmed by the host
    expect(have.get_by_label("Level for skill 2")).to_have_value("3")
    _open_secondment(page)
    page.get_by_role("link", name="write a knowledge-capture note").click()
    page.get_by_label("What you learnt, for your home team").fill(
        "How planners read flood maps: they want the 1-in-100-year line first, and the data source on every map."
    )
    page.get_by_role("button", name="Share the note").click()


def _evaluates(page: Page, rating: str) -> None:
    _open_secondment(page)
    page.get_by_role("link", name="Give your evaluation").click()
    for group in page.get_by_role("group").all():
        options = group.get_by_label(re.compile(f"^{rating}"))
        if options.count():
            options.first.check()
    page.get_by_role("button", name="Give my evaluation").click()
    expect(page.get_by_role("status")).to_contain_text("your evaluation is recorded")


def _everyone_logs_in_again(desks: dict[str, Page], live_app, cast: Cast) -> None:
    for role, email in (("employee", cast.employee), ("line_manager", cast.line_manager),
                        ("host", cast.host), ("talent", cast.talent)):
        desks[role].context.clear_cookies()
        _log_in_on(desks[role], live_app, email)


def _secondment_dates() -> tuple[dt.date, dt.date]:
    secondment = db.session.scalars(sa.select(Secondment)).one()
    return secondment.start_date, secondment.end_date


def test_one_secondment_from_posting_to_return_through_all_four_roles(desks, live_app, approval_required):
    cast = live_app.run(_cast)
    for role, email in (("employee", cast.employee), ("line_manager", cast.line_manager),
                        ("host", cast.host), ("talent", cast.talent)):
        _confirming(desks[role])
        _log_in_on(desks[role], live_app, email)
    start = today() + dt.timedelta(days=45)

    _host_posts(desks["host"], start)
    _talent_approves(desks["talent"])
    _employee_applies(desks["employee"])
    _line_manager_releases(desks["line_manager"], cast)
    _host_selects(desks["host"], cast)
    _employee_accepts(desks["employee"])

    _home_manager_completes_the_agreement(desks["line_manager"])
    _signs(desks["line_manager"], "the home manager", on_the_agreement=True)
    _signs(desks["employee"], "the secondee")
    _signs(desks["host"], "the host manager")
    expect(desks["host"].get_by_role("status").first).to_contain_text("the last signature: it is in force now")

    begins, ends = live_app.run(_secondment_dates)
    travel = time_machine.travel(dt.datetime.combine(begins, dt.time(9)), tick=True)
    clock = travel.start()
    try:
        assert live_app.run(secondments.start_due) == 1
        _everyone_logs_in_again(desks, live_app, cast)
        expect(desks["employee"].get_by_text(TITLE).first).to_be_visible()  # their home shows the secondment

        first_check_in = begins + dt.timedelta(days=31)
        clock.move_to(dt.datetime.combine(first_check_in, dt.time(9)))
        _everyone_logs_in_again(desks, live_app, cast)
        _host_records_a_check_in(desks["host"], first_check_in)
        _secondee_answers_the_check_in(desks["employee"])

        clock.move_to(dt.datetime.combine(ends - dt.timedelta(days=30), dt.time(9)))
        _everyone_logs_in_again(desks, live_app, cast)
        _return_is_planned(desks["employee"], desks["line_manager"])

        back = ends + dt.timedelta(days=3)
        clock.move_to(dt.datetime.combine(back, dt.time(9)))
        assert live_app.run(secondments.end_due) == 1
        _everyone_logs_in_again(desks, live_app, cast)
        _home_manager_reviews_the_return(desks["line_manager"], back)
        _host_confirms_skills_gained(desks["host"])
        _secondee_shares_what_they_learnt(desks["employee"])
        manager = desks["line_manager"]
        _open_secondment(manager)
        manager.get_by_role("link", name="read the note").click()
        expect(manager.get_by_text("they want the 1-in-100-year line first")).to_be_visible()
        _evaluates(desks["employee"], "5")
        _evaluates(desks["line_manager"], "4")
        _evaluates(desks["host"], "4")

        talent = desks["talent"]
        _open_secondment(talent)
        expect(talent.locator("#return-review")).to_contain_text("GIS analyst, home team")
        expect(talent.locator("#evaluation-ratings")).to_be_visible()
        expect(talent.locator("#secondment-timeline")).to_contain_text("Check-in")
        _main_nav(talent, "Talent overview").click()
        talent.get_by_role("link", name="Returns and evaluations").click()
        for party in ("Secondee", "Home manager", "Host manager"):
            expect(talent.locator("#evaluation-responses").get_by_role("row", name=f"{party} 1 1 100%")).to_be_visible()
        expect(talent.locator("#review-responses").get_by_role("row", name="Reviews held 1")).to_be_visible()
    finally:
        travel.stop()
