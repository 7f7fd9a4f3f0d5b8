"""Browsing open opportunities: who may, what is listed, search, filters, pages and the detail page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from marketplace.extensions import db
from marketplace.models import (
    Application,
    EligibleGrade,
    OpportunitySkill,
    Role,
    SkillRequirement,
)
from marketplace.services.accounts import create_user
from tests import factories as f

TODAY = dt.date.today()


def titles(response) -> list[str]:
    """Titles of the opportunity cards on a browse page, in order."""
    html = response.get_data(as_text=True)
    return re.findall(r'id="opp-\d+-title">\s*<a href="[^"]+">([^<]+)</a>', html)


def logged_in_employee(client, **employee_fields):
    """Log in a fresh employee and return the account."""
    u = f.user(Role.EMPLOYEE, employee_record=f.employee(**employee_fields) if employee_fields else None)
    db.session.commit()
    f.login(client, u)
    return u


def account_without_employee_role(role: Role):
    """An account holding only ``role`` (no employee record, so no employee role either)."""
    u = create_user(f"{role.value}-only@example.com", f.PASSWORD, {role})
    db.session.flush()
    return u


def opp(title: str, **fields):
    """An open opportunity with a recognisable title."""
    return f.opportunity(title=title, **fields)


# ---------------------------------------------------------------- who may browse


def test_anonymous_visitors_are_sent_to_log_in(client, app):
    response = client.get("/opportunities")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", [Role.LINE_MANAGER, Role.HOST_MANAGER, Role.ADMIN])
def test_accounts_without_employee_or_talent_role_get_403(client, app, role):
    u = account_without_employee_role(role)
    o = opp("Data secondment")
    db.session.commit()
    f.login(client, u)
    assert client.get("/opportunities").status_code == 403
    # A host manager may open their own postings, so for them others' are simply not found.
    assert client.get(f"/opportunities/{o.id}").status_code == (404 if role == Role.HOST_MANAGER else 403)


def test_talent_team_can_browse_without_an_employee_record(client, app):
    u = account_without_employee_role(Role.TALENT)
    opp("Data secondment")
    db.session.commit()
    f.login(client, u)
    response = client.get("/opportunities")
    assert response.status_code == 200
    assert titles(response) == ["Data secondment"]


# ---------------------------------------------------------------- what is listed


def test_only_opportunities_open_for_applications_are_listed(client, app):
    start = TODAY + dt.timedelta(days=30)
    opp("Open, closes later", start_date=start, closing_date=TODAY + dt.timedelta(days=5))
    opp("Open, closes today", start_date=start, closing_date=TODAY)
    opp("Open, no closing date", start_date=start, closing_date=None)
    opp("Open but closing date passed", start_date=start, closing_date=TODAY - dt.timedelta(days=1))
    for status in ("draft", "closed", "filled", "cancelled"):
        opp(f"A {status} one", status=status)
    logged_in_employee(client)
    response = client.get("/opportunities")
    assert sorted(titles(response)) == ["Open, closes later", "Open, closes today", "Open, no closing date"]
    assert "3 open opportunities found" in response.get_data(as_text=True)


def test_soonest_closing_is_listed_first(client, app):
    start = TODAY + dt.timedelta(days=60)
    opp("Closes last", start_date=start, closing_date=None)
    opp("Closes second", start_date=start, closing_date=TODAY + dt.timedelta(days=20))
    opp("Closes first", start_date=start, closing_date=TODAY + dt.timedelta(days=2))
    logged_in_employee(client)
    assert titles(client.get("/opportunities")) == ["Closes first", "Closes second", "Closes last"]


def test_card_shows_the_facts_people_compare(client, app):
    python = f.skill("Python")
    host_dept = f.department("Digital Service", f.organisation("Ministry of Maps"))
    start = dt.date(TODAY.year + 1, 3, 1)
    opp(
        "Data engineer",
        host=f.employee(dept=host_dept),
        required={python: 3},
        type="inter_organisational",
        start_date=start,
        end_date=start + dt.timedelta(days=182),
        closing_date=start - dt.timedelta(days=10),
        time_commitment_percent=60,
        location="Leeds",
        remote_policy="remote",
    )
    logged_in_employee(client)
    html = client.get("/opportunities").get_data(as_text=True)
    for text in (
        "Digital Service, Ministry of Maps",
        "Inter-organisational (external)",
        f"1 Mar {start.year}",
        "(6 months)",
        "60% of working time",
        "Leeds · Remote",
        f"19 Feb {start.year}",
        "Python",
    ):
        assert text in html


def test_applied_badge_marks_only_active_applications(client, app):
    u = logged_in_employee(client)
    applied = opp("Applied to")
    withdrawn = opp("Withdrawn from")
    opp("Not applied")
    db.session.add_all(
        [
            Application(opportunity=applied, employee=u.employee, statement="Keen"),
            Application(opportunity=withdrawn, employee=u.employee, statement="Keen", status="withdrawn"),
        ]
    )
    db.session.commit()
    html = client.get("/opportunities").get_data(as_text=True)
    assert html.count(">Applied</span>") == 1
    badge_card = re.search(r'id="opp-(\d+)-title">(?:(?!</h3>).)*>Applied</span>', html, re.S)
    assert badge_card and int(badge_card.group(1)) == applied.id


def test_empty_state_says_nothing_matches(client, app):
    opp("Data secondment")
    logged_in_employee(client)
    response = client.get("/opportunities?q=astronaut")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert titles(response) == []
    assert "No open opportunities match these filters." in html
    assert 'aria-live="polite"' in html


# ---------------------------------------------------------------- search and filters


def test_search_matches_title_description_skill_and_alias(client, app):
    k8s = f.skill("Kubernetes", aliases=("K8s",))
    opp("Platform engineer", required={k8s: 2})
    opp("Policy adviser", description="Draft advice on housing for ministers.")
    opp("Housing analyst")
    logged_in_employee(client)
    assert titles(client.get("/opportunities?q=platform")) == ["Platform engineer"]
    assert titles(client.get("/opportunities?q=kubernetes")) == ["Platform engineer"]
    assert titles(client.get("/opportunities?q=k8s")) == ["Platform engineer"]
    assert sorted(titles(client.get("/opportunities?q=HOUSING"))) == ["Housing analyst", "Policy adviser"]
    assert titles(client.get("/opportunities?q=housing+ministers")) == ["Policy adviser"]


def test_search_treats_wildcards_as_plain_text(client, app):
    opp("Raise completion to 100%")
    opp("Data secondment")
    logged_in_employee(client)
    assert titles(client.get("/opportunities?q=%25")) == ["Raise completion to 100%"]
    assert titles(client.get("/opportunities?q=_")) == []


def test_filter_by_type(client, app):
    opp("Across the hall", type="cross_departmental")
    opp("Abroad", type="international")
    logged_in_employee(client)
    assert titles(client.get("/opportunities?type=international")) == ["Abroad"]


def test_filter_by_host_department_lists_only_hosting_departments(client, app):
    maps = f.department("Maps")
    f.department("Empty department")
    opp("Map maker", host=f.employee(dept=maps))
    opp("Elsewhere")
    logged_in_employee(client)
    html = client.get("/opportunities").get_data(as_text=True)
    assert "Maps, " in html and "Empty department" not in html
    assert titles(client.get(f"/opportunities?department={maps.id}")) == ["Map maker"]


def test_filter_by_location(client, app):
    opp("In Leeds", location="Leeds")
    opp("In London", location="London")
    logged_in_employee(client)
    response = client.get("/opportunities?location=Leeds")
    assert titles(response) == ["In Leeds"]
    assert '<option selected value="Leeds">' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "remote, expected",
    [
        ("on_site", ["At the desk"]),
        ("hybrid", ["Some days home"]),
        ("remote", ["From anywhere"]),
        ("remote_possible", ["From anywhere", "Some days home"]),
    ],
)
def test_filter_by_remote_policy(client, app, remote, expected):
    opp("At the desk", remote_policy="on_site")
    opp("Some days home", remote_policy="hybrid")
    opp("From anywhere", remote_policy="remote")
    logged_in_employee(client)
    assert sorted(titles(client.get(f"/opportunities?remote={remote}"))) == expected


@pytest.mark.parametrize(
    "band, expected",
    [
        ("up_to_3", ["2 months", "3 months"]),
        ("4_to_6", ["4 months", "6 months"]),
        ("7_to_12", ["9 months"]),
        ("over_12", ["15 months"]),
    ],
)
def test_filter_by_duration_uses_the_months_shown_on_cards(client, app, band, expected):
    start = TODAY + dt.timedelta(days=30)
    for title, days in [
        ("2 months", 60),
        ("3 months", 106),  # 3.48 months, shown as 3
        ("4 months", 107),  # 3.52 months, shown as 4
        ("6 months", 182),
        ("9 months", 274),
        ("15 months", 457),
    ]:
        opp(title, start_date=start, end_date=start + dt.timedelta(days=days), closing_date=None)
    logged_in_employee(client)
    response = client.get(f"/opportunities?duration={band}")
    assert sorted(titles(response)) == expected
    for title in expected:
        assert f"({title})" in response.get_data(as_text=True)


def test_filter_by_skill_id_name_or_alias_includes_every_kind_of_skill(client, app):
    python, sql = f.skill("Python", aliases=("py",)), f.skill("SQL")
    opp("Needs Python", required={python: 3})
    develops = opp("Teaches Python")
    develops.skills.append(OpportunitySkill(skill=python, kind=SkillRequirement.DEVELOPS.value))
    opp("Needs SQL", required={sql: 2})
    logged_in_employee(client)
    expected = ["Needs Python", "Teaches Python"]
    assert sorted(titles(client.get(f"/opportunities?skill_id={python.id}"))) == expected
    assert sorted(titles(client.get("/opportunities?skill=python"))) == expected
    response = client.get("/opportunities?skill=PY")
    assert sorted(titles(response)) == expected
    assert 'value="Python"' in response.get_data(as_text=True)  # the alias is shown resolved


def test_unknown_skill_filter_is_explained_next_to_the_field(client, app):
    opp("Data secondment")
    logged_in_employee(client)
    response = client.get("/opportunities?skill=Pythn")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "is not a skill in the catalogue" in html
    assert 'id="skill-error"' in html
    assert titles(response) == []


def test_invalid_filter_value_is_refused_with_a_message(client, app):
    logged_in_employee(client)
    response = client.get("/opportunities?type=spaceflight")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_filters_combine_and_keep_their_values(client, app):
    opp("Leeds remote data", location="Leeds", remote_policy="remote", type="short_project")
    opp("Leeds on site data", location="Leeds", remote_policy="on_site", type="short_project")
    opp("London remote data", location="London", remote_policy="remote", type="short_project")
    logged_in_employee(client)
    response = client.get("/opportunities?q=data&location=Leeds&remote=remote_possible&type=short_project")
    html = response.get_data(as_text=True)
    assert titles(response) == ["Leeds remote data"]
    assert 'value="data"' in html
    assert '<option selected value="remote_possible">' in html
    assert '<option selected value="short_project">' in html


# ---------------------------------------------------------------- pages


def test_results_are_paginated_and_page_links_keep_filters(client, app):
    app.config["PAGE_SIZE"] = 2
    start = TODAY + dt.timedelta(days=90)
    for n in range(1, 6):
        opp(f"Leeds job {n}", location="Leeds", start_date=start, closing_date=TODAY + dt.timedelta(days=n))
    opp("London job", location="London")
    logged_in_employee(client)
    first = client.get("/opportunities?location=Leeds")
    html = first.get_data(as_text=True)
    assert titles(first) == ["Leeds job 1", "Leeds job 2"]
    assert "5 open opportunities found — page 1 of 3" in html
    assert 'aria-label="Pages of results"' in html
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>1<', html)
    next_link = re.search(r'<a class="page-link" rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "location=Leeds" in next_link and "page=2" in next_link
    assert titles(client.get(next_link)) == ["Leeds job 3", "Leeds job 4"]
    assert titles(client.get("/opportunities?location=Leeds&page=3")) == ["Leeds job 5"]


def test_page_past_the_end_offers_the_first_page(client, app):
    opp("Only one")
    logged_in_employee(client)
    response = client.get("/opportunities?page=9")
    assert response.status_code == 200
    assert titles(response) == []
    assert "Go to the first page" in response.get_data(as_text=True)


# ---------------------------------------------------------------- the detail page


def test_detail_shows_everything_needed_to_decide(client, app):
    python, sql, teaching = f.skill("Python"), f.skill("SQL"), f.skill("Mentoring")
    host = f.employee(name="Hana Host")
    o = opp(
        "Data engineer",
        host=host,
        required={python: 4},
        description="Build the new pipeline.",
        openings=2,
        min_service_months=12,
        funding="host_recharges",
        recharge_percent=50,
    )
    o.skills += [
        OpportunitySkill(skill=sql, kind=SkillRequirement.NICE_TO_HAVE.value),
        OpportunitySkill(skill=teaching, kind=SkillRequirement.DEVELOPS.value),
    ]
    o.eligible_grades = [EligibleGrade(grade="G7"), EligibleGrade(grade="SEO")]
    logged_in_employee(client)
    response = client.get(f"/opportunities/{o.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in (
        "Build the new pipeline.",
        "Python",
        "at least 4 · Advanced",
        "Nice to have",
        "SQL",
        "You will develop",
        "Mentoring",
        "At least 12 months of service",
        "Grades: G7, SEO",
        "line manager must agree",
        "Host recharges a share (50% of salary)",
        "<dt>Openings</dt><dd>2</dd>",
        "Hana Host",
        "Send application",
    ):
        assert text in html, text


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_unpublished_opportunities_are_404_for_employees(client, app, status):
    o = opp("Hidden", status=status)
    logged_in_employee(client)
    assert client.get(f"/opportunities/{o.id}").status_code == 404


def test_missing_opportunity_is_404(client, app):
    logged_in_employee(client)
    assert client.get("/opportunities/999999").status_code == 404


def test_talent_and_own_host_see_drafts(client, app):
    host = f.user(Role.HOST_MANAGER)
    o = opp("Draft posting", host=host.employee, status="draft")
    talent = account_without_employee_role(Role.TALENT)
    db.session.commit()
    f.login(client, talent)
    assert client.get(f"/opportunities/{o.id}").status_code == 200
    client.post("/logout")
    f.login(client, host)
    response = client.get(f"/opportunities/{o.id}")
    assert response.status_code == 200
    assert "You host this opportunity." in response.get_data(as_text=True)
    assert "Send application" not in response.get_data(as_text=True)


def test_closed_opportunity_is_readable_but_not_open_for_applications(client, app):
    o = opp("Finished", status="closed")
    past = opp("Past closing", closing_date=TODAY - dt.timedelta(days=1))
    logged_in_employee(client)
    response = client.get(f"/opportunities/{o.id}")
    assert response.status_code == 200
    assert "not taking applications" in response.get_data(as_text=True)
    assert "Send application" not in response.get_data(as_text=True)
    html = client.get(f"/opportunities/{past.id}").get_data(as_text=True)
    assert "applications closed on" in html and "Send application" not in html


def test_detail_warns_when_the_record_does_not_meet_eligibility(client, app):
    allowed = f.department("Allowed team")
    o = opp("Senior role", min_service_months=120)
    o.eligible_departments = [allowed]
    logged_in_employee(client, grade="G7", start_date=TODAY - dt.timedelta(days=400))
    html = client.get(f"/opportunities/{o.id}").get_data(as_text=True)
    assert "you may not meet: at least 120 months of service; working in one of the eligible departments" in html
