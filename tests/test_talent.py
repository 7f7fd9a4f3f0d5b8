"""The talent team sees every opportunity and application, with counts, filters and pages."""

from __future__ import annotations

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


def section(html: str, element_id: str) -> str:
    """The HTML of the element with this id (tables here do not nest)."""
    match = re.search(rf'<table[^>]*id="{element_id}".*?</table>', html, re.S)
    assert match, f"no table {element_id}"
    return match.group(0)


def count_shown(table: str, label: str) -> int:
    match = re.search(rf">{label}</th>.*?<span[^>]*>(\d+)</span>", table, re.S)
    assert match, f"no count for {label}"
    return int(match.group(1))


@pytest.fixture
def talent(client, app):
    u = f.user(Role.TALENT)
    db.session.commit()
    f.login(client, u)
    return u


def test_counts_by_status(client, talent):
    open_one = f.opportunity(status="open")
    f.opportunity(status="open")
    f.opportunity(status="draft")
    f.opportunity(status="cancelled")
    application(open_one, f.employee())
    application(open_one, f.employee(), status="withdrawn")
    application(open_one, f.employee(), status="withdrawn")
    db.session.commit()
    html = client.get("/talent").get_data(as_text=True)
    opportunities = section(html, "opportunity-counts")
    assert "4 in total" in opportunities
    statuses = ("Draft", "Open", "Closed", "Filled", "Cancelled")
    assert [count_shown(opportunities, s) for s in statuses] == [1, 2, 0, 0, 1]
    applications = section(html, "application-counts")
    assert [count_shown(applications, s) for s in ("Submitted", "Withdrawn")] == [1, 2]


def test_sees_every_hosts_opportunities_including_drafts(client, talent):
    f.opportunity(title="Alpha open", status="open")
    f.opportunity(title="Beta draft", status="draft")
    db.session.commit()
    table = section(client.get("/talent").get_data(as_text=True), "opportunities-table")
    assert "Alpha open" in table and "Beta draft" in table


def test_filters_opportunities_by_status_department_and_type(client, talent):
    host_a, host_b = f.employee(), f.employee()
    f.opportunity(host=host_a, title="A open cross", status="open", type="cross_departmental")
    f.opportunity(host=host_a, title="A draft intl", status="draft", type="international")
    f.opportunity(host=host_b, title="B open intl", status="open", type="international")
    db.session.commit()

    def titles(query: str) -> set[str]:
        table = section(client.get("/talent?" + query).get_data(as_text=True), "opportunities-table")
        return {t for t in ("A open cross", "A draft intl", "B open intl") if t in table}

    assert titles("opp-status=open") == {"A open cross", "B open intl"}
    assert titles(f"opp-department={host_a.department_id}") == {"A open cross", "A draft intl"}
    assert titles("opp-type=international") == {"A draft intl", "B open intl"}
    assert titles(f"opp-status=open&opp-type=international&opp-department={host_b.department_id}") == {"B open intl"}


def test_filters_applications_and_links_to_the_applicant_view(client, talent):
    first = f.opportunity(title="First")
    second = f.opportunity(title="Second")
    application(first, f.employee(name="Ann Active"))
    application(first, f.employee(name="Wes Withdrawn"), status="withdrawn")
    application(second, f.employee(name="Sam Second"))
    db.session.commit()

    def names(query: str) -> set[str]:
        table = section(client.get("/talent?" + query).get_data(as_text=True), "applications-table")
        return {n for n in ("Ann Active", "Wes Withdrawn", "Sam Second") if n in table}

    assert names("") == {"Ann Active", "Wes Withdrawn", "Sam Second"}
    assert names("app-status=submitted") == {"Ann Active", "Sam Second"}
    assert names(f"app-opportunity={first.id}") == {"Ann Active", "Wes Withdrawn"}
    assert names(f"app-opportunity={first.id}&app-status=withdrawn") == {"Wes Withdrawn"}
    html = client.get("/talent").get_data(as_text=True)
    assert f'href="/host/opportunities/{second.id}/applicants"' in section(html, "applications-table")


def test_tables_are_paginated_and_keep_the_filters(client, talent, app):
    app.config["PAGE_SIZE"] = 2
    for n in range(3):
        f.opportunity(title=f"Paged {n}", status="open")
    f.opportunity(title="Hidden draft", status="draft")
    db.session.commit()
    first = client.get("/talent?opp-status=open").get_data(as_text=True)
    table = section(first, "opportunities-table")
    assert table.count('scope="row"') == 2 and "page 1 of 2" in table
    next_link = re.search(r'href="([^"]*opp-page=2[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "opp-status=open" in next_link
    second = section(client.get(next_link).get_data(as_text=True), "opportunities-table")
    assert second.count('scope="row"') == 1 and "Hidden draft" not in second


def test_invalid_filter_is_refused_with_a_message(client, talent):
    response = client.get("/talent?opp-status=bogus")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.HOST_MANAGER, Role.LINE_MANAGER, Role.ADMIN])
def test_only_the_talent_team_gets_the_overview(client, app, role):
    u = f.user(role)
    db.session.commit()
    f.login(client, u)
    assert client.get("/talent").status_code == 403
