"""Smoke test in a real browser: log in, land on the home page, log out, and move around by keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.models import Role
from tests import factories as f

pytestmark = pytest.mark.browser


def _employee() -> tuple[str, str]:
    u = f.user(Role.EMPLOYEE)
    return u.email, u.display_name


def test_login_page_renders(page, live_app):
    page.goto(live_app.url("/login"))
    expect(page).to_have_title("Log in · Secondments")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_label("Work e-mail")).to_be_editable()
    expect(page.get_by_label("Password")).to_be_editable()


def test_employee_logs_in_lands_home_and_logs_out(page, live_app, log_in):
    email, name = live_app.run(_employee)

    log_in(email)
    expect(page).to_have_url(live_app.url("/"))
    expect(page.get_by_role("heading", name=f"Welcome, {name}")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_have_text("You are logged out.")
    page.goto(live_app.url("/"))
    expect(page).to_have_url(re.compile(r"/login"))


def test_wrong_password_is_refused_in_the_page(page, live_app, log_in):
    email, _ = live_app.run(_employee)
    log_in(email, "not the password")
    expect(page.get_by_text("E-mail or password is not right.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login$"))


def test_keyboard_only_log_in_via_skip_link(page, live_app):
    email, name = live_app.run(_employee)
    page.goto(live_app.url("/login"))

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # hidden until focused, then shown
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.get_by_label("Work e-mail")).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(f.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Welcome, {name}")).to_be_visible()

    # On the home page too, the skip link is the first stop and jumps past the navigation.
    # (Load it afresh: the redirect after log-in keeps the #main fragment, which starts focus in main.)
    page.goto(live_app.url("/"))
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
