"""Skill suggestions API and the skill picker rows it feeds."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from marketplace.extensions import db
from marketplace.forms import resolved_skill_rows, skill_rows
from marketplace.models import Role
from tests import factories as f


@pytest.fixture
def logged_in(client, app):
    f.skill("Kubernetes", aliases=("K8s",))
    f.skill("Python (computer programming)", aliases=("Python",))
    for n in range(30):
        f.skill(f"Python tool {n:02d}")
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    f.login(client, u)
    return client


def test_suggestions_need_a_log_in_and_answer_json(client, app):
    response = client.get("/api/skills?q=py")
    assert response.status_code == 401
    assert response.is_json


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.HOST_MANAGER, Role.TALENT, Role.ADMIN])
def test_every_role_gets_suggestions(client, app, role):
    f.skill("Kubernetes", aliases=("K8s",))
    u = f.user(role)
    db.session.commit()
    f.login(client, u)
    assert client.get("/api/skills?q=k8s").json["results"][0]["name"] == "Kubernetes"


def test_suggestions_show_the_alias_that_matched(logged_in):
    results = logged_in.get("/api/skills?q=K8S").json["results"]
    assert results == [{"id": results[0]["id"], "name": "Kubernetes", "alias": "K8s", "category": None}]


def test_best_match_comes_first_and_limit_is_capped(logged_in):
    results = logged_in.get("/api/skills?q=python&limit=100").json["results"]
    assert len(results) == 25
    assert results[0] == {**results[0], "name": "Python (computer programming)", "alias": "Python"}
    assert len(logged_in.get("/api/skills?q=python&limit=3").json["results"]) == 3
    assert len(logged_in.get("/api/skills?q=python").json["results"]) == 10


@pytest.mark.parametrize("query", ["", "q=", "q=%20%20"])
def test_blank_queries_suggest_nothing(logged_in, query):
    response = logged_in.get(f"/api/skills?{query}")
    assert response.status_code == 200
    assert response.json == {"results": []}


@pytest.mark.parametrize("limit", ["ten", "0", "-3", "2.5"])
def test_a_bad_limit_is_a_json_400(logged_in, limit):
    response = logged_in.get(f"/api/skills?q=python&limit={limit}")
    assert response.status_code == 400
    assert "limit" in response.json["message"]


# ---------------------------------------------------------------- the picker rows


class PickerForm(FlaskForm):
    required = skill_rows("Required skills", min_entries=2)


TEMPLATE = """{% from "macros/skills.html" import skill_rows %}
{{ skill_rows(form.required, "Required skills", level_label="Minimum level", help="Pick from the list.") }}"""


def render(form: FlaskForm) -> str:
    return render_template_string(TEMPLATE, form=form)


def test_rows_render_labelled_fields_with_wtforms_names(app):
    with app.test_request_context():
        html = render(PickerForm())

    assert '<legend class="h6 mb-1">Required skills</legend>' in html
    for index in (0, 1):
        for field in ("skill_id", "skill_name", "level"):
            assert f'name="required-{index}-{field}"' in html
        assert f'for="required-{index}-skill_name"' in html
        assert f'for="required-{index}-level"' in html
    assert 'type="hidden"' in html and "data-skill-id" in html
    assert "Minimum level for skill" in html
    assert 'aria-describedby="required-help"' in html
    assert "Add another skill" in html and "Remove" in html
    assert html.count("skill-picker.js") == 1


def test_rows_without_levels_have_no_level_select(app):
    with app.test_request_context():
        html = render_template_string(
            '{% from "macros/skills.html" import skill_rows %}{{ skill_rows(form.required, "Goals", with_level=False) }}',
            form=PickerForm(),
        )
    assert "-level" not in html


def test_typed_labels_resolve_without_javascript_and_errors_sit_by_their_row(app):
    f.skill("Kubernetes", aliases=("K8s",))
    data = MultiDict({
        "required-0-skill_name": "k8s", "required-0-level": "3",
        "required-1-skill_name": "Underwater basket weaving", "required-1-level": "2",
    })
    with app.test_request_context(method="POST", data=data):
        form = PickerForm()
        assert resolved_skill_rows(form.required, level_required=True) is None
        html = render(form)
        form = PickerForm(formdata=MultiDict({"required-0-skill_name": "k8s", "required-0-level": "3"}))
        [(skill, level)] = resolved_skill_rows(form.required, level_required=True)

    assert (skill.name, level) == ("Kubernetes", 3)
    error = re.search(r'<div id="required-1-skill_name-error"[^>]*>([^<]*)</div>', html)
    assert "Underwater basket weaving" in error.group(1)
    name_input = re.search(r'<input[^>]*name="required-1-skill_name"[^>]*>', html).group(0)
    assert 'aria-describedby="required-1-skill_name-error"' in name_input
    assert 'aria-invalid="true"' in name_input
    assert 'value="Underwater basket weaving"' in name_input


def test_the_picker_script_is_served(client, app):
    response = client.get("/static/skill-picker.js")
    assert response.status_code == 200
    script = response.get_data(as_text=True)
    for needle in ('"combobox"', "aria-autocomplete", "aria-expanded", "aria-controls", "aria-activedescendant"):
        assert needle in script
