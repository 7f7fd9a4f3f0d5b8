"""The apply journey in a real browser: an employee finds, applies and withdraws; the host sees the applicants."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

from marketplace.models import Role
from marketplace.services import applications
from tests import factories as f

pytestmark = pytest.mark.browser

TITLE = "Geospatial data analyst"
STATEMENT = "I map flood risk in my current team.\nI would like to learn how the planning unit uses the data."


@dataclass(frozen=True)
class Cast:
    """Plain values about the people and the opportunity in one journey."""

    employee_email: str
    employee_name: str
    host_email: str


def _cast(applied: bool = False) -> Cast:
    """A host with a short project on geospatial work, two decoys the search must leave out, and an employee."""
    host = f.user(Role.HOST_MANAGER)
    wanted = f.opportunity(
        host=host.employee,
        title=TITLE,
        description="Six weeks with the planning unit, cleaning and mapping geospatial data.",
        type="short_project",
    )
    f.opportunity(
        title="Geospatial standards lead", description="Geospatial policy work.", type="cross_departmental"
    )
    f.opportunity(title="Service designer", description="Redesign the permits journey.", type="short_project")
    employee = f.user(Role.EMPLOYEE, employee_record=f.employee(manager=f.employee()))  # who releases them
    if applied:
        applications.apply(employee.employee, wanted, STATEMENT)
    return Cast(employee.email, employee.employee.name, host.email)


@pytest.fixture
def host_page(browser) -> Iterator[Page]:
    """A second, separate browser context for the host manager: no cookies shared with ``page``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def _log_in_on(page: Page, live_app, email: str) -> None:
    """Log in through the real form on ``page`` (the ``log_in`` fixture drives only the default page)."""
    page.goto(live_app.url("/login"))
    page.get_by_label("Work e-mail").fill(email)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Welcome, "))).to_be_visible()


def _main_nav(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def _host_sees_applicants(page: Page, title: str) -> None:
    """From the host's list, open the applicants page of ``title``."""
    _main_nav(page, "Hosting").click()
    expect(page.get_by_role("heading", name="My opportunities", level=1)).to_be_visible()
    page.get_by_role("link", name=f"Applicants for {title}").click()
    expect(page.get_by_role("heading", name=f"Applicants for “{title}”", level=1)).to_be_visible()


def test_employee_finds_and_applies_and_the_host_reads_the_statement(page, host_page, live_app, log_in):
    cast = live_app.run(_cast)

    log_in(cast.employee_email)
    _main_nav(page, "Opportunities").click()
    search = page.get_by_role("search", name="Find a secondment")
    search.get_by_label("Search").fill("geospatial")
    search.get_by_label("Type").select_option(label="Short project")
    search.get_by_role("button", name="Show opportunities").click()

    expect(page.locator("#result-count")).to_have_text("1 open opportunity found.")
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("article")).to_have_count(1)
    results.get_by_role("link", name=TITLE).click()

    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    apply = page.get_by_role("region", name="Apply", exact=True)
    apply.get_by_label("Why you, and what you hope to learn").fill(STATEMENT)
    apply.get_by_role("button", name="Send application").click()

    expect(page).to_have_url(live_app.url("/applications"))
    expect(page.get_by_role("status")).to_have_text(f"Your application to “{TITLE}” was sent.")
    row = page.get_by_role("row", name=re.compile(TITLE))
    expect(row.get_by_role("cell").nth(1)).to_have_text("Submitted")
    expect(row.get_by_role("button", name=f"Withdraw application to {TITLE}")).to_be_visible()

    _log_in_on(host_page, live_app, cast.host_email)
    _host_sees_applicants(host_page, TITLE)
    expect(host_page.get_by_text("1 active application")).to_be_visible()
    applicant = host_page.get_by_role("article", name=cast.employee_name)
    expect(applicant).to_be_visible()
    expect(applicant.locator(".applicant-statement")).to_have_text(STATEMENT)


def test_withdrawn_application_is_no_longer_active_for_the_host(page, host_page, live_app, log_in):
    cast = live_app.run(lambda: _cast(applied=True))

    _log_in_on(host_page, live_app, cast.host_email)
    _host_sees_applicants(host_page, TITLE)
    expect(host_page.get_by_role("article", name=cast.employee_name)).to_be_visible()

    log_in(cast.employee_email)
    _main_nav(page, "My applications").click()
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name=f"Withdraw application to {TITLE}").click()
    expect(page.get_by_role("status")).to_have_text(f"You withdrew your application to “{TITLE}”.")
    assert questions == [f"Withdraw your application to {TITLE}?"]  # asked before an irreversible step
    row = page.get_by_role("row", name=re.compile(TITLE))
    expect(row.get_by_role("cell").nth(1)).to_contain_text("Withdrawn")
    expect(row.get_by_role("button")).to_have_count(0)

    host_page.reload()
    expect(host_page.get_by_role("article", name=cast.employee_name)).to_have_count(0)
    expect(host_page.get_by_text("No active applications yet.")).to_be_visible()
    _main_nav(host_page, "Hosting").click()
    active = host_page.get_by_role("row", name=re.compile(TITLE)).get_by_role("cell").nth(3)
    expect(active).to_have_text("0")


def _tab_to(page: Page, target: Locator, limit: int = 40) -> None:
    """Press Tab until ``target`` has focus; fail if it is not reachable within ``limit`` presses."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


def test_keyboard_only_search_and_apply(page, live_app):
    cast = live_app.run(_cast)
    page.goto(live_app.url("/login"))
    _tab_to(page, page.get_by_label("Work e-mail"))
    page.keyboard.type(cast.employee_email)
    page.keyboard.press("Tab")
    page.keyboard.type(f.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"^Welcome, "))).to_be_visible()

    _tab_to(page, _main_nav(page, "Opportunities"))
    page.keyboard.press("Enter")
    _tab_to(page, page.get_by_label("Search"))
    page.keyboard.type("geospatial")
    _tab_to(page, page.get_by_label("Type"))
    page.keyboard.type("Short")  # type-ahead picks "Short project" in the closed select
    expect(page.get_by_label("Type")).to_have_value("short_project")
    _tab_to(page, page.get_by_role("button", name="Show opportunities"))
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_have_text("1 open opportunity found.")

    _tab_to(page, page.get_by_role("link", name=TITLE))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    _tab_to(page, page.get_by_label("Why you, and what you hope to learn"))
    page.keyboard.type(STATEMENT)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send application")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(live_app.url("/applications"))
    expect(page.get_by_role("status")).to_have_text(f"Your application to “{TITLE}” was sent.")
    expect(page.get_by_role("row", name=re.compile(TITLE))).to_contain_text("Submitted")
