"""Line managers see their own direct reports and those people's active applications, nobody else's."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from marketplace.extensions import db
from marketplace.models import Application, Role
from tests import factories as f


def application(opportunity, employee, status="submitted"):
    row = Application(opportunity=opportunity, employee=employee, statement="Pick me.", status=status)
    db.session.add(row)
    db.session.flush()
    return row


def row_of(html: str, name: str) -> str:
    """The row for ``name`` in the table of direct reports."""
    html = html[html.index('id="team-table"'):]
    match = re.search(rf'<th scope="row">{re.escape(name)}.*?</tr>', html, re.S)
    assert match, f"no row for {name}"
    return match.group(0)


@pytest.fixture
def manager(client, app):
    u = f.user(Role.LINE_MANAGER, employee_record=f.employee(name="Mo Manager"))
    db.session.commit()
    f.login(client, u)
    return u


def test_shows_each_report_with_availability_capacity_and_active_applications(client, manager):
    boss = manager.employee
    ada = f.employee(name="Ada Report", manager=boss, capacity_percent=60,
                     available_from=dt.date(2031, 1, 6), available_until=dt.date(2031, 12, 19))
    f.employee(name="Bo Report", manager=boss)
    data = f.opportunity(title="Data secondment")
    policy = f.opportunity(title="Policy secondment")
    application(data, ada)
    application(policy, ada, status="withdrawn")
    db.session.commit()

    html = client.get("/team").get_data(as_text=True)
    assert "Your 2 direct reports" in html
    ada_row = row_of(html, "Ada Report")
    assert "60 %" in ada_row
    assert "6 Jan 2031" in ada_row and "19 Dec 2031" in ada_row
    assert "Data secondment" in ada_row and "Submitted" in ada_row
    assert "Policy secondment" not in ada_row
    bo_row = row_of(html, "Bo Report")
    assert "No dates given" in bo_row and ">None<" in bo_row


def test_never_shows_other_peoples_reports_or_their_applications(client, manager):
    other_boss = f.employee(name="Olga Other")
    mine = f.employee(name="Mia Mine", manager=manager.employee)
    f.employee(name="Skip Level", manager=mine)  # reports to my report, not to me
    theirs = f.employee(name="Theo Theirs", manager=other_boss)
    application(f.opportunity(title="Secret move"), theirs)
    db.session.commit()
    html = client.get("/team").get_data(as_text=True)
    assert "Mia Mine" in html
    assert "Theo Theirs" not in html and "Secret move" not in html and "Skip Level" not in html


def test_manager_without_reports_is_told_so(client, manager):
    assert "Nobody reports to you" in client.get("/team").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.HOST_MANAGER, Role.TALENT, Role.ADMIN])
def test_only_line_managers_see_a_team(client, app, role):
    u = f.user(role)
    db.session.commit()
    f.login(client, u)
    assert client.get("/team").status_code == 403
