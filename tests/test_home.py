"""The home page: each role's figures and the next thing to do."""

from __future__ import annotations

import re

from marketplace.extensions import db
from marketplace.models import Application, Role
from tests import factories as f


def _figure(html: str, label: str) -> int:
    match = re.search(r'<p class="display-6 mb-0">(\d+)</p>\s*<h2[^>]*>' + re.escape(label), html)
    assert match, f"no tile {label!r}"
    return int(match.group(1))


def test_employee_sees_their_applications_and_what_their_profile_lacks(client, app):
    account = f.user(Role.EMPLOYEE)
    opportunity = f.opportunity()
    f.opportunity()
    db.session.add(Application(opportunity=opportunity, employee=account.employee, statement="Keen"))
    db.session.commit()
    f.login(client, account)
    html = client.get("/").get_data(as_text=True)
    assert _figure(html, "Your active applications") == 1
    assert _figure(html, "Open secondments") == 2
    assert "add your skills and levels" in html and "say what you want to develop" in html


def test_host_sees_applicants_to_their_own_secondments_only(client, app):
    host = f.user(Role.HOST_MANAGER)
    mine, theirs = f.opportunity(host.employee), f.opportunity()
    for opportunity in (mine, mine, theirs):
        db.session.add(Application(opportunity=opportunity, employee=f.employee(), statement="Keen"))
    db.session.commit()
    f.login(client, host)
    html = client.get("/").get_data(as_text=True)
    assert _figure(html, "Your open secondments") == 1
    assert _figure(html, "Active applicants") == 2


def test_line_manager_sees_their_team(client, app):
    manager = f.user(Role.LINE_MANAGER)
    report = f.employee(manager=manager.employee)
    f.employee(manager=manager.employee)
    db.session.add(Application(opportunity=f.opportunity(), employee=report, statement="Keen"))
    db.session.commit()
    f.login(client, manager)
    html = client.get("/").get_data(as_text=True)
    assert _figure(html, "People in your team") == 2
    assert _figure(html, "Applications from your team") == 1


def test_admin_sees_accounts_and_no_hr_figures(client, app):
    admin = f.user(Role.ADMIN)
    db.session.commit()
    f.login(client, admin)
    html = client.get("/").get_data(as_text=True)
    assert _figure(html, "Accounts") == 1
    assert "Active applications" not in html and "Open secondments" not in html
