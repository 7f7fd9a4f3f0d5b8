"""In a real browser: the host rejects with a reason code chosen from a labelled list, the applicant asks why,
the host answers, and the applicant reads the answer with the recorded reason."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.models import Role
from marketplace.services import applications
from tests import factories as f
from tests.browser.test_apply_journey import _host_sees_applicants, _log_in_on, _main_nav, _tab_to, host_page  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

TITLE = "Flood model reviewer"


def _cast() -> tuple[str, str, str]:
    """A host, and an employee whose application needs no release, so the host decides at once."""
    host = f.user(Role.HOST_MANAGER)
    opportunity = f.opportunity(host=host.employee, title=TITLE, requires_release=False)
    employee = f.user(Role.EMPLOYEE)
    applications.apply(employee.employee, opportunity, "I review hydrology models.")
    return host.email, employee.email, employee.employee.name


def test_reject_with_a_code_then_the_applicant_asks_why_and_reads_the_answer(page, host_page, live_app, log_in):
    host_email, employee_email, name = live_app.run(_cast)

    _log_in_on(host_page, live_app, host_email)
    _host_sees_applicants(host_page, TITLE)
    applicant = host_page.get_by_role("article", name=name)
    reject = applicant.locator("summary", has_text="Reject")
    _tab_to(host_page, reject)  # the decision opens from the keyboard
    host_page.keyboard.press("Enter")
    decision = applicant.locator("details").filter(has=host_page.locator("summary", has_text="Reject"))
    code = decision.get_by_label("Reason code")
    expect(code).to_be_visible()
    expect(code).to_have_attribute("aria-describedby", re.compile(r"^code-help-reject-\d+$"))
    code.select_option(label="Gap in the required skills")
    decision.get_by_label("Reason (the applicant sees it)").fill("We need someone who has run HEC-RAS.")
    host_page.once("dialog", lambda dialog: dialog.accept())
    decision.get_by_role("button", name="Reject", exact=True).click()
    expect(host_page.get_by_role("status")).to_contain_text("Not taken forward")

    log_in(employee_email)
    _main_nav(page, "My applications").click()
    row = page.get_by_role("row", name=re.compile(TITLE))
    row.locator("summary", has_text="Ask why I was not selected").click()
    row.get_by_label("Your question").fill("Would training in HEC-RAS change the outcome next time?")
    row.get_by_role("button", name="Send question").click()
    expect(page.get_by_role("status")).to_contain_text("Your question about")
    expect(page.get_by_text("Waiting for an answer.")).to_be_visible()

    host_page.reload()
    requests = host_page.get_by_role("region", name=re.compile("Explanation requests"))
    requests.get_by_label(f"Answer to {name}").fill("Yes: with HEC-RAS you would have been shortlisted.")
    requests.get_by_role("button", name=f"Send answer to {name}").click()
    expect(host_page.get_by_role("status")).to_contain_text(f"Your answer to {name} was sent.")

    page.reload()
    expect(page.get_by_text("Yes: with HEC-RAS you would have been shortlisted.")).to_be_visible()
    expect(page.get_by_text(re.compile("Recorded decision: Gap in the required skills"))).to_be_visible()
