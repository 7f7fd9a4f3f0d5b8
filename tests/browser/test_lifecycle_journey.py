"""One secondment from posting to return, in a real browser, through all four roles.

The host posts and the talent team approves the posting; the employee applies; the line manager
releases; the host shortlists, interviews and offers; the employee accepts. Each person uses their
own browser context, as four people at four desks would.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from marketplace.clock import today
from marketplace.models import Role
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


def _cast() -> Cast:
    gis = f.skill("Geographic information systems", aliases=("GIS",))
    planning = f.skill("Spatial planning")
    host = f.user(Role.HOST_MANAGER)
    manager = f.user(Role.EMPLOYEE, Role.LINE_MANAGER)
    person = f.employee(manager=manager.employee, skills={gis: 4}, goals=[planning])
    employee = f.user(Role.EMPLOYEE, employee_record=person)
    talent = f.user(Role.TALENT)
    return Cast(employee.email, person.name, manager.email, host.email, talent.email)


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

    page = desks["employee"]
    page.locator("#nav-links").get_by_role("link", name="Secondments").click()
    page.get_by_role("link", name=re.compile(TITLE)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
