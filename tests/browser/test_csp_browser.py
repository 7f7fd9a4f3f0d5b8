"""Under the Content-Security-Policy every script of the marketplace still works and the browser reports no violation."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from marketplace.models import Role
from marketplace.services import imports
from tests import factories as f

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
HRIS = b"employee_number,name,email,job_title,department,manager_number,location,grade,start_date,skills\n"


@dataclass
class Desk:
    email: str
    opportunity_id: int
    applicant: str
    run_id: int


def _desk() -> Desk:
    """One account that hosts, belongs to the talent team and has a profile, so one log-in reaches every script."""
    person = f.user(Role.EMPLOYEE, Role.HOST_MANAGER, Role.TALENT)
    f.skill("data analysis")
    opportunity = f.opportunity(person.employee, title="Harbour data secondment")
    applicant = f.employee("Robin Reed")
    f.application(opportunity, applicant, "released")
    run = imports.store_upload("hris.csv", HRIS + b"NW1,Ann Lee,ann@x.example,Analyst,Data,,Leeds,G5,2020-01-01,\n",
                               f.organisation("Northwind"))
    return Desk(person.email, opportunity.id, applicant.name, run.id)


@pytest.fixture
def violations(page) -> list[str]:
    """What the browser refused under the CSP, from its console and from securitypolicyviolation events."""
    found: list[str] = []
    page.on("console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: found.append(f"script error: {error}"))
    page.add_init_script("""document.addEventListener("securitypolicyviolation",
        (e) => console.error("Content Security Policy violation: " + e.violatedDirective + " " + e.blockedURI));""")
    return found


def test_the_policy_is_in_force_and_an_inline_script_is_refused(page, live_app, violations):
    page.goto(live_app.url("/login"))
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.inlineRan = true"; document.body.append(s); }""")
    page.wait_for_timeout(100)  # the violation event is dispatched asynchronously
    assert page.evaluate("window.inlineRan") is None
    assert any("script-src" in v for v in violations), violations


def test_every_script_works_under_the_policy_without_a_violation(page, live_app, log_in, violations):
    desk = live_app.run(_desk)
    log_in(desk.email)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # Bootstrap's own script: the navigation folds behind its toggle on a phone and opens again.
    page.set_viewport_size(PHONE)
    links = page.locator("#nav-links")
    expect(links).to_be_hidden()
    page.get_by_role("button", name="Toggle navigation").click()
    expect(links).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})

    # skill-picker.js: the skill box asks /api/skills and offers the catalogue's skills; rows are added.
    page.goto(live_app.url("/profile"))
    box = page.get_by_role("combobox", name="Skill 1").first
    box.fill("data")
    expect(page.get_by_role("option", name="data analysis").first).to_be_visible()
    rows = page.locator("[data-skill-row]")
    before = rows.count()
    page.get_by_role("button", name="Add another skill").first.click()
    expect(rows).to_have_count(before + 1)

    # confirm.js: choosing the reason code "Other" makes the reason box required.
    page.goto(live_app.url(f"/host/opportunities/{desk.opportunity_id}/applicants"))
    card = page.get_by_role("article", name=desk.applicant)
    card.locator("summary", has_text="Shortlist").click()
    opened = card.locator("details[open]")
    opened.get_by_label("Reason code").select_option("other")
    expect(opened.get_by_label("Reason (needed with “Other”)")).to_have_attribute("aria-required", "true")

    # job-progress.js: the run's page polls its progress as JSON.
    with page.expect_response(lambda r: r.url.endswith(f"/jobs/{desk.run_id}/progress")) as polled:
        page.goto(live_app.url(f"/jobs/{desk.run_id}"))
    assert polled.value.ok

    assert not violations, "\n".join(violations)
