"""Host managers post, edit, publish, close and cancel opportunities and review their applicants."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Application, Opportunity, OpportunitySkill, Role
from tests import factories as f

TODAY = dt.date.today()
START = TODAY + dt.timedelta(days=60)


def application(opportunity, employee, status="submitted", statement="I would love to help."):
    """An application of ``employee`` to ``opportunity``."""
    app_row = Application(opportunity=opportunity, employee=employee, statement=statement, status=status)
    db.session.add(app_row)
    db.session.flush()
    return app_row


def host_user(**employee_fields):
    return f.user(Role.HOST_MANAGER, employee_record=f.employee(**employee_fields))


def form_data(department_id: int, skill, **overrides) -> dict:
    """A complete, valid opportunity form as the browser posts it."""
    data = {
        "title": "Data lead for the census",
        "description": "Lead a small team that cleans census data.",
        "type": "cross_departmental",
        "host_department_id": str(department_id),
        "start_date": START.isoformat(),
        "end_date": (START + dt.timedelta(days=180)).isoformat(),
        "duration_months": "",
        "time_commitment_percent": "60",
        "location": "Leeds",
        "remote_policy": "hybrid",
        "openings": "2",
        "closing_date": (START - dt.timedelta(days=14)).isoformat(),
        "min_service_months": "12",
        "requires_release": "y",
        "funding": "home_pays",
        "recharge_percent": "",
        "required_skills-0-skill_id": str(skill.id),
        "required_skills-0-skill_name": skill.name,
        "required_skills-0-level": "3",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def error_text(html: str, field_id: str) -> str:
    """The error message rendered next to the field with this id."""
    match = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no error shown next to {field_id}"
    return match.group(1)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def host(client, app):
    """A logged-in host manager, with a catalogue skill at hand."""
    u = host_user()
    u.python = f.skill("Python")
    db.session.commit()
    f.login(client, u)
    return u


# --- creating and editing --------------------------------------------------


def test_new_form_offers_the_hosts_own_department(client, host):
    html = client.get("/host/opportunities/new").get_data(as_text=True)
    dept = host.employee.department
    assert f'<option selected value="{dept.id}">{dept.name}</option>' in html
    assert re.search(r'<input checked[^>]*id="requires_release"', html)  # release needed unless unticked
    assert re.search(r'<input checked[^>]*value="home_pays"', html)


def test_create_saves_a_draft_with_every_detail(client, host):
    sql, teaching = f.skill("SQL"), f.skill("Coaching")
    other_dept = f.department("Analytics")
    f.employee(grade="G6")
    db.session.commit()
    data = form_data(
        other_dept.id,
        host.python,
        funding="host_recharges",
        recharge_percent="40",
        eligible_grades=["G6", "G7"],
        eligible_department_ids=[str(host.employee.department_id)],
        **{
            "nice_to_have_skills-0-skill_name": "sql",  # typed label, resolved case-insensitively
            "develops_skills-0-skill_id": str(teaching.id),
            "develops_skills-0-skill_name": teaching.name,
        },
    )
    response = client.post("/host/opportunities/new", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/host/opportunities")

    opp = db.session.scalar(sa.select(Opportunity))
    assert opp.status == "draft" and opp.published_at is None
    assert opp.host_manager_id == host.employee_id
    assert opp.host_department_id == other_dept.id
    assert opp.host_organisation_id == other_dept.organisation_id
    assert opp.title == "Data lead for the census"
    assert (opp.time_commitment_percent, opp.openings, opp.location) == (60, 2, "Leeds")
    assert (opp.funding, opp.recharge_percent, opp.min_service_months) == ("host_recharges", 40, 12)
    assert opp.requires_release is True
    assert [g.grade for g in opp.eligible_grades] == ["G6", "G7"]
    assert [d.id for d in opp.eligible_departments] == [host.employee.department_id]
    kinds = {(s.skill.name, s.kind, s.min_level) for s in opp.skills}
    assert kinds == {("Python", "required", 3), ("SQL", "nice_to_have", None), ("Coaching", "develops", None)}
    edit_page = client.get("/host/opportunities/%d/edit" % opp.id).get_data(as_text=True)
    assert sql.name in edit_page
    # Grades and departments are tick boxes (no Ctrl-click), with the saved ones ticked.
    ticked = re.findall(r'<input[^>]*type="checkbox" name="eligible_grades"[^>]*value="([^"]+)" checked', edit_page)
    assert ticked == ["G6", "G7"]
    assert re.search(
        rf'name="eligible_department_ids"[^>]*value="{host.employee.department_id}" checked', edit_page
    )
    assert re.search(rf'name="eligible_department_ids" id="[^"]+" value="{other_dept.id}">', edit_page)  # not ticked


def test_duration_in_months_computes_the_end_date(client, host):
    start = dt.date(TODAY.year + 1, 3, 1)
    data = form_data(host.employee.department_id, host.python, start_date=start.isoformat(), end_date="",
                     duration_months="6", closing_date="")
    assert client.post("/host/opportunities/new", data=data).status_code == 302
    opp = db.session.scalar(sa.select(Opportunity))
    assert opp.end_date == dt.date(TODAY.year + 1, 8, 31)
    assert opp.duration_months == 6


def test_unticked_release_box_means_no_release_needed(client, host):
    data = form_data(host.employee.department_id, host.python)
    del data["requires_release"]
    client.post("/host/opportunities/new", data=data)
    assert db.session.scalar(sa.select(Opportunity)).requires_release is False


@pytest.mark.parametrize(
    "overrides, field_id, message",
    [
        ({"end_date": (START - dt.timedelta(days=1)).isoformat()}, "end_date", "end date must be after the start"),
        ({"end_date": START.isoformat()}, "end_date", "end date must be after the start"),
        ({"duration_months": "6"}, "end_date", "not both"),
        ({"end_date": ""}, "end_date", "Give an end date or a duration"),
        ({"end_date": "", "duration_months": "0"}, "duration_months", "from 1 to 60 months"),
        ({"start_date": ""}, "start_date", "Give a start date"),
        ({"time_commitment_percent": "0"}, "time_commitment_percent", "from 1 to 100"),
        ({"time_commitment_percent": "101"}, "time_commitment_percent", "from 1 to 100"),
        ({"openings": "0"}, "openings", "from 1 to 50"),
        ({"openings": "51"}, "openings", "from 1 to 50"),
        ({"min_service_months": "601"}, "min_service_months", "from 0 to 600"),
        ({"funding": "host_recharges"}, "recharge_percent", "Give the share the host recharges"),
        ({"funding": "host_recharges", "recharge_percent": "101"}, "recharge_percent", "from 1 to 100"),
        ({"funding": "host_recharges", "recharge_percent": "0"}, "recharge_percent", "from 1 to 100"),
        ({"recharge_percent": "20"}, "recharge_percent", "Leave the recharge empty"),
        ({"closing_date": (START + dt.timedelta(days=1)).isoformat()}, "closing_date", "on or before the start date"),
        ({"title": "T" * 201}, "title", "longer than 200"),
        ({"title": ""}, "title", "required"),
        ({"description": "d" * 8001}, "description", "longer than 8000"),
        ({"location": "L" * 121}, "location", "longer than 120"),
        ({"required_skills-0-level": "6"}, "required_skills-0-level", "Not a valid choice"),
        ({"required_skills-0-level": "0"}, "required_skills-0-level", "Not a valid choice"),
        ({"required_skills-0-level": "abc"}, "required_skills-0-level", "Not a valid choice"),
        ({"required_skills-0-level": ""}, "required_skills-0-level", "Choose a minimum level"),
        ({"required_skills-0-skill_id": "999999"}, "required_skills-0-skill_name", "not in the catalogue"),
        ({"required_skills-0-skill_id": "", "required_skills-0-skill_name": "Basket weaving"},
         "required_skills-0-skill_name", "not a skill in the catalogue"),
        ({"nice_to_have_skills-0-skill_id": "999999"}, "nice_to_have_skills-0-skill_name", "not in the catalogue"),
        ({"type": "holiday"}, "type", "Not a valid choice"),
        ({"host_department_id": "999999"}, "host_department_id", "Not a valid choice"),
        ({"eligible_grades": ["Z9"]}, "eligible_grades", "not a valid choice"),
    ],
)
def test_invalid_form_is_refused_next_to_the_field_and_writes_nothing(client, host, overrides, field_id, message):
    data = form_data(host.employee.department_id, host.python, **overrides)
    response = client.post("/host/opportunities/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in error_text(html, field_id)
    assert "Nothing was saved" in html
    assert count(Opportunity) == 0 and count(OpportunitySkill) == 0


def test_the_same_skill_twice_in_one_list_is_refused(client, host):
    data = form_data(
        host.employee.department_id,
        host.python,
        **{"required_skills-1-skill_name": "PYTHON", "required_skills-1-level": "2"},
    )
    response = client.post("/host/opportunities/new", data=data)
    assert response.status_code == 400
    assert "Python is listed twice" in error_text(response.get_data(as_text=True), "required_skills-1-skill_name")
    assert count(Opportunity) == 0


def test_invalid_edit_changes_nothing(client, host):
    opp = f.opportunity(host=host.employee, required={host.python: 2}, status="draft", title="Original")
    db.session.commit()
    data = form_data(host.employee.department_id, host.python, title="Renamed", openings="0")
    response = client.post(f"/host/opportunities/{opp.id}/edit", data=data)
    assert response.status_code == 400
    assert "from 1 to 50" in error_text(response.get_data(as_text=True), "openings")
    db.session.expire_all()
    assert db.session.get(Opportunity, opp.id).title == "Original"


def test_edit_shows_saved_values_and_saves_changes(client, host):
    sql = f.skill("SQL")
    opp = f.opportunity(host=host.employee, required={host.python: 2}, status="open", title="Original")
    db.session.commit()
    html = client.get(f"/host/opportunities/{opp.id}/edit").get_data(as_text=True)
    assert 'value="Original"' in html and 'value="Python"' in html

    data = form_data(
        host.employee.department_id,
        host.python,
        title="Renamed",
        **{"required_skills-0-level": "4", "required_skills-1-skill_id": str(sql.id), "required_skills-1-level": "1"},
    )
    assert client.post(f"/host/opportunities/{opp.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    opp = db.session.get(Opportunity, opp.id)
    assert opp.title == "Renamed" and opp.status == "open"
    assert {(s.skill.name, s.min_level) for s in opp.skills} == {("Python", 4), ("SQL", 1)}


def test_open_opportunity_cannot_get_a_past_closing_date(client, host):
    opp = f.opportunity(host=host.employee, required={host.python: 2}, status="open")
    db.session.commit()
    data = form_data(host.employee.department_id, host.python, closing_date=(TODAY - dt.timedelta(days=1)).isoformat())
    response = client.post(f"/host/opportunities/{opp.id}/edit", data=data)
    assert response.status_code == 400
    assert "closing date is in the past" in error_text(response.get_data(as_text=True), "closing_date")


@pytest.mark.parametrize("status", ["closed", "filled", "cancelled"])
def test_finished_opportunities_are_read_only(client, host, status):
    opp = f.opportunity(host=host.employee, required={host.python: 2}, status=status, title="Frozen")
    db.session.commit()
    response = client.get(f"/host/opportunities/{opp.id}/edit")
    assert response.status_code == 409
    assert "can no longer be edited" in response.get_data(as_text=True)
    data = form_data(host.employee.department_id, host.python, title="Thawed")
    assert client.post(f"/host/opportunities/{opp.id}/edit", data=data).status_code == 409
    db.session.expire_all()
    assert db.session.get(Opportunity, opp.id).title == "Frozen"


# --- publishing, closing, cancelling -----------------------------------------


def test_publish_opens_a_draft_and_stamps_it(client, host):
    opp = f.opportunity(host=host.employee, required={host.python: 2}, status="draft")
    db.session.commit()
    response = client.post(f"/host/opportunities/{opp.id}/publish", follow_redirects=True)
    assert "is open for applications" in response.get_data(as_text=True)
    db.session.expire_all()
    opp = db.session.get(Opportunity, opp.id)
    assert opp.status == "open" and opp.published_at is not None


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"required": {}}, "Add at least one required skill"),
        ({"closing_date": TODAY - dt.timedelta(days=1)}, "closing date has passed"),
        ({"status": "open"}, "Only draft or awaiting approval opportunities can be published; this one is open"),
        ({"status": "cancelled"}, "this one is cancelled"),
    ],
)
def test_publish_is_refused_with_a_reason(client, host, fields, message):
    fields = {"required": {host.python: 2}, "status": "draft", **fields}
    opp = f.opportunity(host=host.employee, **fields)
    db.session.commit()
    before = opp.status
    response = client.post(f"/host/opportunities/{opp.id}/publish")
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Opportunity, opp.id).status == before


@pytest.mark.parametrize(
    "action, start, end",
    [("close", "open", "closed"), ("cancel", "open", "cancelled"), ("cancel", "draft", "cancelled")],
)
def test_allowed_transitions(client, host, action, start, end):
    opp = f.opportunity(host=host.employee, required={host.python: 2}, status=start)
    db.session.commit()
    assert client.post(f"/host/opportunities/{opp.id}/{action}").status_code == 302
    db.session.expire_all()
    assert db.session.get(Opportunity, opp.id).status == end


@pytest.mark.parametrize(
    "action, start, message",
    [
        ("close", "draft", "Only open opportunities can be closed; this one is draft"),
        ("close", "closed", "this one is closed"),
        ("cancel", "closed", "Only draft or open opportunities can be cancelled; this one is closed"),
        ("cancel", "filled", "this one is filled"),
    ],
)
def test_invalid_transitions_are_refused(client, host, action, start, message):
    opp = f.opportunity(host=host.employee, required={host.python: 2}, status=start)
    db.session.commit()
    response = client.post(f"/host/opportunities/{opp.id}/{action}")
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Opportunity, opp.id).status == start


# --- lists and applicants ----------------------------------------------------


def test_my_opportunities_lists_only_mine_with_active_application_counts(client, host):
    mine = f.opportunity(host=host.employee, title="Mine open", status="open")
    f.opportunity(host=host.employee, title="Mine draft", status="draft")
    f.opportunity(title="Someone else's", status="open")
    application(mine, f.employee())
    application(mine, f.employee())
    application(mine, f.employee(), status="withdrawn")
    db.session.commit()
    html = client.get("/host/opportunities").get_data(as_text=True)
    assert "Mine open" in html and "Mine draft" in html
    assert "Someone else" not in html
    row = re.search(r"Mine open.*?</tr>", html, re.S).group(0)
    assert re.search(r'<td class="text-end">2</td>', row)
    assert "Publish" in re.search(r"Mine draft.*?</tr>", html, re.S).group(0)


def test_applicants_show_people_and_their_skills_against_the_required_ones(client, host):
    sql = f.skill("SQL")
    opp = f.opportunity(host=host.employee, required={host.python: 3, sql: 2}, title="Census")
    dept = f.department("Tax Policy")
    strong = f.employee(name="Asha Strong", job_title="Economist", dept=dept, skills={host.python: 4, sql: 2})
    weak = f.employee(name="Ben Weak", skills={host.python: 1})
    gone = f.employee(name="Cara Gone")
    application(opp, strong, statement="I led the last census clean-up.")
    application(opp, weak)
    application(opp, gone, status="withdrawn")
    db.session.commit()
    response = client.get(f"/host/opportunities/{opp.id}/applicants")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Asha Strong" in html and "Economist" in html and "Tax Policy" in html
    assert "I led the last census clean-up." in html
    assert "Asha Strong meets 2 of 2 required skills" in html
    assert "Ben Weak meets 0 of 2 required skills" in html
    assert "Below" in html and "Missing" in html
    assert "Cara Gone" not in html


# --- who may do what -----------------------------------------------------------

OWNER_ONLY = [
    ("get", "/host/opportunities/{id}/edit"),
    ("post", "/host/opportunities/{id}/edit"),
    ("post", "/host/opportunities/{id}/publish"),
    ("post", "/host/opportunities/{id}/close"),
    ("post", "/host/opportunities/{id}/cancel"),
    ("get", "/host/opportunities/{id}/applicants"),
]


@pytest.mark.parametrize("roles", [(Role.HOST_MANAGER,), (Role.EMPLOYEE,), (Role.LINE_MANAGER,), (Role.ADMIN,)])
@pytest.mark.parametrize("method, url", OWNER_ONLY)
def test_only_the_opportunitys_host_may_manage_it(client, app, roles, method, url):
    python = f.skill("Python")
    opp = f.opportunity(required={python: 2}, status="draft", title="Not yours")
    outsider = f.user(*roles)
    db.session.commit()
    f.login(client, outsider)
    response = getattr(client, method)(url.format(id=opp.id), data={"title": "Hijacked"})
    assert response.status_code == 403
    db.session.expire_all()
    opp = db.session.get(Opportunity, opp.id)
    assert (opp.title, opp.status) == ("Not yours", "draft")


@pytest.mark.parametrize("roles", [(Role.EMPLOYEE,), (Role.LINE_MANAGER,), (Role.ADMIN,), (Role.TALENT,)])
@pytest.mark.parametrize("url", ["/host/opportunities", "/host/opportunities/new"])
def test_only_host_managers_post_and_list_their_own(client, app, roles, url):
    u = f.user(*roles)
    db.session.commit()
    f.login(client, u)
    assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, app):
    assert client.get("/host/opportunities").headers["Location"].startswith("/login")


def test_talent_team_manages_every_opportunity(client, app):
    python = f.skill("Python")
    opp = f.opportunity(required={python: 2}, status="draft", title="Hosted elsewhere")
    applicant = f.employee(name="Dee Applicant")
    talent = f.user(Role.TALENT)
    db.session.commit()
    f.login(client, talent)
    assert client.get(f"/host/opportunities/{opp.id}/edit").status_code == 200
    assert client.post(f"/host/opportunities/{opp.id}/publish").headers["Location"].endswith("/talent")
    application(opp, applicant)
    db.session.commit()
    assert "Dee Applicant" in client.get(f"/host/opportunities/{opp.id}/applicants").get_data(as_text=True)
    assert client.post(f"/host/opportunities/{opp.id}/close").status_code == 302
    db.session.expire_all()
    assert db.session.get(Opportunity, opp.id).status == "closed"


def test_missing_opportunity_is_404(client, host):
    assert client.get("/host/opportunities/424242/applicants").status_code == 404
