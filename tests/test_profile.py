"""Employees editing their own profile: what is shown, what is saved, and all-or-nothing refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from marketplace.extensions import db
from marketplace.models import DevelopmentGoal, Employee, Role
from marketplace.services.accounts import create_user
from tests import factories as f


def profile_form(**overrides: str) -> dict[str, str]:
    """A complete, valid profile form as the browser posts it; ``overrides`` replace or add fields."""
    data = {
        "summary": "Analyst who likes maps.",
        "available_from": "2030-01-01",
        "available_until": "2030-06-30",
        "capacity_percent": "60",
        "open_to_remote": "y",
        "open_to_international": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def skill_row(prefix: str, index: int, skill=None, *, name: str = "", level: str | None = None) -> dict[str, str]:
    """Form fields of one skill row, e.g. skills-0-skill_id / skills-0-skill_name / skills-0-level."""
    row = {
        f"{prefix}-{index}-skill_id": str(skill.id) if skill is not None else "",
        f"{prefix}-{index}-skill_name": name or (skill.name if skill is not None else ""),
    }
    if level is not None:
        row[f"{prefix}-{index}-level"] = level
    return row


def employee_with_profile(client) -> Employee:
    """A logged-in employee with a summary, two skills, a goal and availability already saved."""
    python, sql, maps = f.skill("Python"), f.skill("SQL"), f.skill("Cartography")
    emp = f.employee(
        name="Ada Analyst",
        skills={python: 3, sql: 2},
        goals=[maps],
        summary="Old summary",
        capacity_percent=50,
        available_from=dt.date(2029, 1, 1),
        available_until=dt.date(2029, 12, 31),
    )
    emp.development_goals.append(DevelopmentGoal(area="Public speaking"))
    u = f.user(Role.EMPLOYEE, employee_record=emp)
    db.session.commit()
    f.login(client, u)
    return emp


def saved(emp: Employee) -> Employee:
    """The employee as stored, after the request's work is committed or undone."""
    db.session.rollback()
    return db.session.get(Employee, emp.id)


def snapshot(emp: Employee) -> tuple:
    emp = saved(emp)
    return (
        emp.summary,
        emp.capacity_percent,
        emp.available_from,
        emp.available_until,
        emp.open_to_relocation,
        sorted((s.skill.name, s.level) for s in emp.skills),
        sorted(g.label for g in emp.development_goals),
    )


# ---------------------------------------------------------------- showing


def test_profile_shows_the_hr_record_read_only_and_current_values(client, app):
    manager = f.employee(name="Mia Manager")
    dept = f.department("Geography", f.organisation("Ministry of Maps"))
    emp = f.employee(
        dept=dept, manager=manager, job_title="Mapping analyst", grade="SEO", location="York",
        start_date=dt.date(2018, 4, 3), skills={f.skill("Python"): 4}, summary="I draw maps.",
    )
    u = f.user(Role.EMPLOYEE, employee_record=emp)
    db.session.commit()
    f.login(client, u)
    response = client.get("/profile")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in (emp.employee_number, "Mapping analyst", "Geography, Ministry of Maps", "SEO", "York",
                 "Mia Manager", "3 Apr 2018", "I draw maps.", 'value="Python"'):
        assert text in html, text
    assert '<option selected value="4">' in html
    assert 'name="job_title"' not in html and 'name="grade"' not in html


@pytest.mark.parametrize("role", [Role.LINE_MANAGER, Role.HOST_MANAGER, Role.ADMIN, Role.TALENT])
def test_accounts_without_the_employee_role_cannot_open_a_profile(client, app, role):
    u = create_user(f"{role.value}-only@example.com", f.PASSWORD, {role})
    db.session.commit()
    f.login(client, u)
    assert client.get("/profile").status_code == 403
    assert client.post("/profile", data=profile_form()).status_code == 403


# ---------------------------------------------------------------- saving


def test_saving_replaces_skills_goals_availability_and_mobility(client, app):
    emp = employee_with_profile(client)
    python = emp.skills[0].skill if emp.skills[0].skill.name == "Python" else emp.skills[1].skill
    maps = emp.development_goals[0].skill
    docker = f.skill("Docker", aliases=("containers",))
    leadership = f.skill("Leadership")
    db.session.commit()
    data = profile_form(
        summary="New summary",
        capacity_percent="40",
        available_from="2030-02-01",
        available_until="2030-08-31",
        open_to_relocation="y",
        open_to_remote=None,
        **{"goal_areas-0": "Working with ministers", "goal_areas-1": "  ", "goal_areas-2": "working WITH ministers"},
    )
    data |= skill_row("skills", 0, python, level="5")  # kept, level raised
    data |= skill_row("skills", 1, name="containers", level="2")  # added by alias; SQL dropped
    data |= skill_row("skills", 2)  # blank rows are ignored
    data |= skill_row("goal_skills", 0, maps)  # kept
    data |= skill_row("goal_skills", 1, name="leadership")
    response = client.post("/profile", data=data)
    assert response.status_code == 302
    assert "Your profile was saved." in client.get("/profile").get_data(as_text=True)
    emp = saved(emp)
    assert emp.summary == "New summary"
    assert (emp.capacity_percent, emp.available_from, emp.available_until) == (
        40, dt.date(2030, 2, 1), dt.date(2030, 8, 31)
    )
    assert (emp.open_to_remote, emp.open_to_relocation, emp.open_to_international) == (False, True, True)
    assert sorted((s.skill.name, s.level) for s in emp.skills) == [("Docker", 2), ("Python", 5)]
    assert sorted(g.label for g in emp.development_goals) == ["Cartography", "Leadership", "Working with ministers"]
    assert docker.id in {s.skill_id for s in emp.skills}
    assert leadership.id in {g.skill_id for g in emp.development_goals}


def test_saving_the_unchanged_form_twice_keeps_everything(client, app):
    emp = employee_with_profile(client)
    before = snapshot(emp)
    python, sql = sorted((s.skill for s in emp.skills), key=lambda s: s.name)
    data = profile_form(
        summary=before[0], capacity_percent="50", available_from="2029-01-01", available_until="2029-12-31",
        **{"goal_areas-0": "Public speaking"},
    )
    data |= skill_row("skills", 0, python, level="3") | skill_row("skills", 1, sql, level="2")
    data |= skill_row("goal_skills", 0, saved(emp).development_goals[0].skill)
    for _ in range(2):
        assert client.post("/profile", data=data).status_code == 302
    assert snapshot(emp) == before


def test_open_ended_availability_is_allowed(client, app):
    emp = employee_with_profile(client)
    assert client.post("/profile", data=profile_form(available_from="", available_until="")).status_code == 302
    emp = saved(emp)
    assert (emp.available_from, emp.available_until) == (None, None)


def test_each_employee_edits_only_their_own_profile(client, app):
    other = f.employee(summary="Untouched")
    emp = employee_with_profile(client)
    client.post("/profile", data=profile_form(summary="Changed"))
    assert saved(emp).summary == "Changed"
    assert saved(other).summary == "Untouched"


def test_hr_fields_cannot_be_changed_through_the_form(client, app):
    emp = employee_with_profile(client)
    data = profile_form(job_title="Chief Executive", grade="SCS4", employee_number="HACK")
    assert client.post("/profile", data=data).status_code == 302
    emp = saved(emp)
    assert (emp.job_title, emp.grade) == ("Analyst", "G7")
    assert emp.employee_number != "HACK"


# ---------------------------------------------------------------- refusing, all or nothing


BAD_INPUTS = {
    "availability ends before it starts": (
        profile_form(available_from="2030-06-01", available_until="2030-05-31"),
        "Your availability cannot end before it starts.",
        "available_until-error",
    ),
    "capacity 0": (profile_form(capacity_percent="0"), "Enter a percentage from 1 to 100.", "capacity_percent-error"),
    "capacity 101": (profile_form(capacity_percent="101"), "Enter a percentage from 1 to 100.", "capacity_percent-error"),
    "capacity missing": (profile_form(capacity_percent=""), "Enter a percentage from 1 to 100.", "capacity_percent-error"),
    "summary too long": (
        profile_form(summary="x" * 4001),
        "Keep your summary to 4,000 characters or fewer.",
        "summary-error",
    ),
    "area too long": (
        profile_form(**{"goal_areas-0": "y" * 301}),
        "Keep each area to 300 characters or fewer.",
        "goal_areas-0-error",
    ),
    "level 6": (
        profile_form(**{"skills-0-skill_name": "Python", "skills-0-level": "6"}),
        "Not a valid choice",
        "skills-0-level-error",
    ),
    "skill without level": (
        profile_form(**{"skills-0-skill_name": "Python"}),
        "Choose a level from 1 to 5.",
        "skills-0-level-error",
    ),
    "unknown skill id": (
        profile_form(**{"skills-0-skill_id": "999999", "skills-0-skill_name": "Python", "skills-0-level": "3"}),
        "Skill id 999999 is not in the catalogue.",
        "skills-0-skill_name-error",
    ),
    "unknown skill name": (
        profile_form(**{"skills-0-skill_name": "Pythn", "skills-0-level": "3"}),
        "is not a skill in the catalogue",
        "skills-0-skill_name-error",
    ),
    "unknown goal skill": (
        profile_form(**{"goal_skills-0-skill_name": "Underwater basket weaving"}),
        "is not a skill in the catalogue",
        "goal_skills-0-skill_name-error",
    ),
    "skill listed twice": (
        profile_form(**{"skills-0-skill_name": "Python", "skills-0-level": "3",
                        "skills-1-skill_name": "python", "skills-1-level": "4"}),
        "Python is listed twice.",
        "skills-1-skill_name-error",
    ),
}


@pytest.mark.parametrize("data, message, error_id", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_one_bad_field_refuses_the_whole_save(client, app, data, message, error_id):
    emp = employee_with_profile(client)
    before = snapshot(emp)
    # Every other field in the post is a valid change, which must not be saved either.
    response = client.post("/profile", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert f'id="{error_id}"' in html  # the message sits next to the field at fault
    assert "Please correct the highlighted fields." in html
    assert snapshot(emp) == before


def test_a_refused_form_keeps_what_was_typed(client, app):
    employee_with_profile(client)
    response = client.post("/profile", data=profile_form(summary="Draft I do not want to lose", capacity_percent="0"))
    assert response.status_code == 400
    assert "Draft I do not want to lose" in response.get_data(as_text=True)
