"""The inbox in a real browser: a host hears of an application, by keyboard, and the badge clears."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from marketplace.models import Role
from marketplace.services import applications
from tests import factories as f

pytestmark = pytest.mark.browser


def _host_with_an_applicant() -> tuple[str, str]:
    host = f.user(Role.HOST_MANAGER)
    opportunity = f.opportunity(host=host.employee, title="Harbour survey lead", requires_release=False)
    applicant = f.user(Role.EMPLOYEE)
    applications.apply(applicant.employee, opportunity, "I surveyed the old docks.")
    return host.email, applicant.employee.name


def test_host_opens_the_notification_of_a_new_application_by_keyboard(page, live_app, log_in):
    host_email, applicant_name = live_app.run(_host_with_an_applicant)
    log_in(host_email)
    nav = page.get_by_role("navigation", name="Main")
    inbox_link = nav.get_by_role("link", name="Inbox 1 unread")  # the badge is read out, not only seen
    expect(inbox_link).to_be_visible()
    inbox_link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Inbox", level=1)).to_be_visible()

    notice = page.get_by_role("link", name="Unread: New application: Harbour survey lead")
    expect(page.get_by_text(f"{applicant_name} applied for “Harbour survey lead”.", exact=False)).to_be_visible()
    notice.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Applicants for “Harbour survey lead”", level=1)).to_be_visible()
    expect(page.get_by_text(applicant_name).first).to_be_visible()
    expect(nav.get_by_role("link", name="Inbox", exact=True)).to_be_visible()  # nothing unread any more
