"""Input no person types (NUL bytes, 20-digit ids, the year 9999, line breaks in a title) gets a clear 4xx.

The attacker's requests, one by one; ``test_fuzz_every_route`` throws generated values at every route.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
import sqlalchemy as sa
import wtforms
from werkzeug.datastructures import MultiDict

import marketplace.blueprints
from marketplace import forms
from marketplace.extensions import db
from marketplace.models import Employee, Invitation, Opportunity
from tests.test_authorisation import (  # noqa: F401 (world is a fixture)
    ADMIN,
    EMPLOYEE,
    HOST,
    TALENT,
    _valid_opportunity_form,
    as_role,
    world,
)

NOT_ALLOWED = "contains a character that is not allowed"


@pytest.mark.parametrize(("role", "path"), [
    (EMPLOYEE, "/opportunities?q=data%00analyst"),
    (ADMIN, "/admin/users?q=ann%00"),
    (TALENT, "/talent?opp-status=%00"),
])
def test_a_nul_byte_in_a_query_is_a_400_saying_so(client, world, role, path):
    as_role(client, world, role)
    response = client.get(path)
    assert response.status_code == 400
    assert NOT_ALLOWED in response.get_data(as_text=True)


def test_a_nul_byte_in_a_form_is_a_400_and_nothing_is_saved(client, world):
    as_role(client, world, EMPLOYEE)
    response = client.post("/profile", data={"summary": "Census\x00 analyst", "capacity_percent": "50"})
    assert response.status_code == 400
    assert NOT_ALLOWED in response.get_data(as_text=True)
    db.session.expire_all()
    assert "Census" not in (db.session.get(Employee, world.accounts[EMPLOYEE].employee.id).summary or "")


@pytest.mark.parametrize("path", [
    "/secondments/99999999999999999999",
    "/opportunities/2147483648",
    "/secondments/1/agreement/versions/99999999999999999999",
    "/inbox/99999999999999999999",
])
def test_an_id_too_large_for_the_database_is_a_404(client, world, path):
    as_role(client, world, EMPLOYEE)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(("role", "path", "status"), [
    (EMPLOYEE, "/opportunities?page=99999999999999999999", 404),
    (EMPLOYEE, "/opportunities?page=1e20", 200),  # not a number: the first page, as for ?page=x
    (EMPLOYEE, "/inbox/?page=99999999999999999999", 404),
    (TALENT, "/talent?opp-page=99999999999999999999", 404),
    (ADMIN, "/admin/users?page=99999999999999999999", 404),
])
def test_a_page_number_past_any_page_is_a_404(client, world, role, path, status):
    as_role(client, world, role)
    assert client.get(path).status_code == status


@pytest.mark.parametrize("skill_id", ["999999999999", "99999999999999999999", "²"])
def test_a_skill_id_that_cannot_exist_is_a_400_naming_it(client, world, skill_id):
    as_role(client, world, EMPLOYEE)
    response = client.get("/opportunities", query_string={"skill_id": skill_id})
    assert response.status_code == 400
    assert "is not in the catalogue" in response.get_data(as_text=True)


@pytest.mark.parametrize("department", ["999999999999", "²"])
def test_a_department_filter_that_cannot_exist_is_no_filter(client, world, department):
    as_role(client, world, EMPLOYEE)
    response = client.get("/opportunities", query_string={"department": department})
    assert response.status_code == 200
    assert "Census data lead" in response.get_data(as_text=True)


@pytest.mark.parametrize(("start", "end"), [("0001-01-01", "9999-12-31"), ("2026-01-01", "9999-12-31")])
def test_a_fairness_period_from_year_1_to_9999_is_a_400_saying_which_years(client, world, start, end):
    as_role(client, world, TALENT)
    for path in ("/talent/fairness", "/talent/fairness/report.csv"):
        response = client.get(path, query_string={"start": start, "end": end})
        assert response.status_code == 400, path
    assert "Give a date from 1900 to 2199." in response.get_data(as_text=True)


def test_the_bias_report_command_refuses_a_period_from_year_1_to_9999(runner):
    result = runner.invoke(args=["audit", "bias-report", "--period", "0001-01-01:9999-12-31", "--format", "json"])
    assert result.exit_code == 2
    assert "Give a period from 1900 to 2199." in result.output


@pytest.mark.parametrize("employee_id", ["2147483648", "99999999999999999999"])
def test_an_id_too_large_for_the_database_in_a_form_is_refused_and_nothing_is_written(client, world, employee_id):
    as_role(client, world, HOST)
    response = client.post(f"/host/opportunities/{world.hosted.id}/invite",
                           data={"employee_id": employee_id, "message": "Interested?"})
    assert response.status_code in (400, 409)  # 409: refused like any id no ranking showed (invitations.invite)
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 1  # the world's own invitation only


@pytest.mark.parametrize(("typed", "error"), [
    ("2147483647", None), ("-2147483648", None),
    ("2147483648", "Give a whole number from -2,147,483,648 to 2,147,483,647."),
    ("99999999999999999999", "Give a whole number from -2,147,483,648 to 2,147,483,647."),
])
def test_a_whole_number_field_takes_only_what_the_database_stores(app, typed, error):
    class Hours(forms.Form):
        hours = wtforms.IntegerField("Hours")

    form = Hours(MultiDict({"hours": typed}))
    assert form.validate() == (error is None)
    assert form.hours.errors == ([error] if error else [])


@pytest.mark.parametrize("title", ["Census\r\nBcc: everyone@example.org", "Census\nlead", "Census\rlead"])
def test_a_line_break_in_a_title_is_refused_next_to_the_field(client, world, title):
    as_role(client, world, HOST)
    response = client.post(f"/host/opportunities/{world.hosted.id}/edit",
                           data=_valid_opportunity_form(world) | {"title": title})
    assert response.status_code == 400
    assert "Keep this to one line" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Opportunity, world.hosted.id).title == "Census data lead"


@pytest.mark.parametrize("field", ["location", "equivalent_role"])
def test_other_one_line_fields_refuse_line_breaks_too(client, world, field):
    as_role(client, world, HOST if field == "location" else TALENT)
    if field == "location":
        path, data = f"/host/opportunities/{world.hosted.id}/edit", _valid_opportunity_form(world)
    else:
        path, data = f"/secondments/{world.running.id}/return-plan", {"outcome": "equivalent_role"}
    response = client.post(path, data=data | {field: "Leeds\r\nBcc: x@example.org"})
    assert response.status_code == 400
    assert "Keep this to one line" in response.get_data(as_text=True)


def _form_classes() -> list[type]:
    """Every form class the app's blueprints and shared form module define."""
    modules = [forms] + [importlib.import_module(f"marketplace.blueprints.{m.name}")
                         for m in pkgutil.iter_modules(marketplace.blueprints.__path__)]
    return [cls for module in modules for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, wtforms.Form) and cls.__module__ == module.__name__]


def test_every_form_of_the_app_checks_its_fields(app):
    """A form built on flask_wtf.FlaskForm or wtforms.Form directly would let line breaks and year 9999 through."""
    found = _form_classes()
    assert len(found) > 20
    unchecked = [f"{cls.__module__}.{cls.__name__}" for cls in found
                 if not issubclass(cls, (forms.FlaskForm, forms.Form)) and cls not in (forms.FlaskForm, forms.Form)]
    assert not unchecked, f"derive these from marketplace.forms.FlaskForm or Form: {unchecked}"
