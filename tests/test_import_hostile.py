"""HRIS files built to break the import: a NUL byte in one cell, JSON nested thousands deep."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Employee, JobRun, Role
from marketplace.services import imports
from tests import factories as f
from tests.test_import_pages import upload
from tests.test_imports import ANN, HEADER, employee, issues, org, run_file  # noqa: F401 (org is a fixture)

BEN = "E2,Ben,ben@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n"


@pytest.mark.parametrize("bad_row", [
    "E3,Nu\x00l,nul@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n",
    "E3\x00,Nul,nul@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n",
    "E3,Nul,nul@northwind.example,Analyst,Finance,,London,G6,2020-01-01,Python 3\x00:4\n",
], ids=["name", "employee_number", "skills"])
def test_a_nul_byte_in_one_cell_rejects_that_row_and_the_others_load(org, bad_row):
    run = run_file(org, HEADER + ANN + bad_row + BEN)
    assert run.status == "succeeded", run.message
    assert (run.result["created"], run.result["rejected"]) == (2, 1)
    assert employee("E1") is not None and employee("E2") is not None
    [(field, severity, reason)] = issues(run)[3]
    assert severity == "rejected" and "contains a character that is not allowed" in reason
    assert db.session.scalar(sa.select(sa.func.count(Employee.id))) == 2  # nothing of the bad row


def test_a_nul_byte_inside_a_json_skill_rejects_that_employee_only(org):
    people = [
        {"employee_number": "E1", "name": "Ann", "email": "ann@northwind.example", "job_title": "Analyst",
         "department": "Finance", "location": "London", "grade": "G6", "start_date": "2020-01-01"},
        {"employee_number": "E2", "name": "Nul", "email": "nul@northwind.example", "job_title": "Analyst",
         "department": "Finance", "location": "London", "grade": "G6", "start_date": "2020-01-01",
         "skills": [{"name": "Python\u0000", "level": 3}]},
    ]
    run = run_file(org, json.dumps(people), "hris.json")
    assert run.status == "succeeded", run.message
    assert (run.result["created"], run.result["rejected"]) == (1, 1)
    [(field, _, reason)] = issues(run)[2]
    assert field == "skills" and "not allowed" in reason


@pytest.mark.parametrize("depth", [4, 100_000])
def test_deeply_nested_json_is_refused_as_a_file_problem(org, depth):
    nested = "[" * depth + "]" * depth
    content = f'[{{"employee_number": "E1", "skills": {nested}}}]'
    with pytest.raises(imports.FileProblem, match="nests lists or objects too deeply"):
        imports.store_upload("hris.json", content.encode(), org)
    assert db.session.scalar(sa.select(sa.func.count(JobRun.id))) == 0


def test_deeply_nested_json_upload_gets_a_400_with_the_reason(client, org):
    f.login(client, f.user(Role.TALENT))
    response = upload(client, b"[" * 100_000 + b"]" * 100_000, "hris.json", org)
    assert response.status_code == 400
    assert "nests lists or objects too deeply" in response.get_data(as_text=True)
