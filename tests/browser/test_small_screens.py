"""On a phone the marketplace stays usable: filters fold away and nothing scrolls the page sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from marketplace.models import Role
from tests import factories as f

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def employee_email(live_app) -> str:
    def build() -> str:
        host = f.user(Role.HOST_MANAGER)
        f.opportunity(host=host.employee, title="Flood data analyst", type="short_project")
        return f.user(Role.EMPLOYEE).email

    return live_app.run(build)


def test_phone_browse_folds_the_narrowing_filters_behind_one_button(page, live_app, log_in, employee_email):
    page.set_viewport_size(PHONE)
    log_in(employee_email)
    page.goto(live_app.url("/opportunities"))
    more = page.get_by_role("button", name="More filters")
    expect(page.get_by_label("Type")).to_be_hidden()
    expect(page.get_by_text("Flood data analyst")).to_be_in_viewport()  # results are not pushed off screen

    more.focus()
    page.keyboard.press("Enter")
    expect(more).to_have_attribute("aria-expanded", "true")
    page.get_by_label("Type").select_option(label="Short project")
    page.get_by_role("button", name="Show opportunities").click()
    # A set filter stays in view after the search, and the button counts it.
    expect(page.get_by_label("Type")).to_be_visible()
    expect(page.get_by_role("button", name="More filters (1 set)")).to_be_visible()


def test_wide_screen_shows_every_filter_without_the_button(page, live_app, log_in, employee_email):
    log_in(employee_email)
    page.goto(live_app.url("/opportunities"))
    expect(page.get_by_label("Type")).to_be_visible()
    expect(page.get_by_role("button", name="More filters")).to_be_hidden()


@pytest.mark.parametrize("path", ["/", "/opportunities", "/applications", "/profile", "/recommendations"])
def test_phone_pages_do_not_scroll_sideways(page, live_app, log_in, employee_email, path):
    page.set_viewport_size(PHONE)
    log_in(employee_email)
    page.goto(live_app.url(path))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than the phone screen"


@pytest.fixture
def staff(live_app) -> dict[str, str]:
    """A host with an applied-to opportunity and a talent-team member."""

    def build() -> dict[str, str]:
        host = f.user(Role.HOST_MANAGER)
        opportunity = f.opportunity(host=host.employee, title="Flood data analyst with a long descriptive title")
        applicant = f.employee("Bartholomew Applicant-Longname")
        from marketplace.services import applications

        applications.apply(applicant, opportunity, "I know flood models.")
        return {"host": host.email, "talent": f.user(Role.TALENT).email, "opportunity": str(opportunity.id)}

    return live_app.run(build)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("host", "/host/opportunities"),
        ("host", "/host/opportunities/{opportunity}/applicants"),
        ("host", "/host/opportunities/{opportunity}/candidates"),
        ("talent", "/talent"),
        ("talent", "/jobs/"),
    ],
)
def test_phone_staff_pages_do_not_scroll_sideways(page, live_app, log_in, staff, who, path):
    page.set_viewport_size(PHONE)
    log_in(staff[who])
    page.goto(live_app.url(path.format(**staff)))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than the phone screen"
