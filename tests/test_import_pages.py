"""The talent team uploads an HRIS export, watches it, and downloads the refused rows; the CLI does the same."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace.cli_imports import import_employees_command
from marketplace.extensions import db
from marketplace.models import Employee, ImportFile, JobRun, Organisation, Role
from marketplace.services import imports
from matching import HashingEncoder
from tests import factories as f

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


@pytest.fixture
def org(app):
    app.extensions["encoder"] = HashingEncoder()
    organisation = f.organisation("Northwind")
    f.skill("manage budgets")
    db.session.commit()
    return organisation


def upload(client, content: bytes, filename: str, org: Organisation, **fields):
    data = {"file": (io.BytesIO(content), filename), "organisation": str(org.id), **fields}
    return client.post("/jobs/import-employees", data=data, content_type="multipart/form-data")


def test_talent_uploads_a_file_and_follows_it_to_its_issues(client, org):
    f.login(client, f.user(Role.TALENT))
    assert "Import employees" in client.get("/talent").get_data(as_text=True)
    response = upload(client, (EXAMPLES / "employees-with-errors.csv").read_bytes(), "employees-with-errors.csv", org)
    assert response.status_code == 302
    run = db.session.scalar(sa.select(JobRun))
    assert response.headers["Location"] == f"/jobs/{run.id}"
    assert run.status == "queued" and run.total == 10 and run.task_id  # sent to the broker
    assert db.session.get(ImportFile, run.id).size > 0  # a worker on another host reads it from here
    page = client.get(f"/jobs/{run.id}").get_data(as_text=True)
    assert "is queued: 10 rows" in page and f'data-poll="/jobs/{run.id}/progress"' in page

    imports.run_import(run.id)  # what the worker does
    page = client.get(f"/jobs/{run.id}").get_data(as_text=True)
    assert "5 employees created" in page and "9 issues" in page
    assert "“not-an-email” is not an e-mail address" in page
    assert f'href="/jobs/{run.id}/issues.csv"' in page

    report = client.get(f"/jobs/{run.id}/issues.csv")
    assert report.status_code == 200 and report.mimetype == "text/csv"
    assert "attachment" in report.headers["Content-Disposition"]
    lines = report.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "row,employee_number,field,outcome,reason"
    assert lines[1] == "3,NW91002,email,rejected,“not-an-email” is not an e-mail address: An email address must have an @-sign."
    assert len(lines) == 10


def test_admins_see_the_outcome_of_an_import_but_no_one_in_it(client, org):
    run = imports.store_upload("hris.csv", (EXAMPLES / "employees-with-errors.csv").read_bytes(), org)
    imports.run_import(run.id)
    f.login(client, f.user(Role.ADMIN))
    page = client.get(f"/jobs/{run.id}").get_data(as_text=True)
    assert "5 employees created" in page
    assert "NW91002" not in page and "not-an-email" not in page
    assert client.get(f"/jobs/{run.id}/issues.csv").status_code == 403
    assert client.get("/jobs/import-employees").status_code == 403


def test_report_cells_cannot_run_as_spreadsheet_formulas(client, org):
    header = b"employee_number,name,email,job_title,department,manager_number,location,grade,start_date,skills\n"
    run = imports.store_upload("x.csv", header + b"=HYPERLINK(1),A,bad,T,D,,L,G,2020-01-01,\n", org)
    imports.run_import(run.id)
    f.login(client, f.user(Role.TALENT))
    body = client.get(f"/jobs/{run.id}/issues.csv").get_data(as_text=True)
    assert ",'=HYPERLINK(1)," in body


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"name,email\nAnn,ann@x.example\n", "hris.csv", "The header row lacks the columns employee_number"),
    (b"hello", "hris.xlsx", "Upload a .csv or .json file."),
])
def test_an_unusable_upload_is_refused_on_the_form(client, org, content, filename, message):
    f.login(client, f.user(Role.TALENT))
    response = upload(client, content, filename, org)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(JobRun.id))) == 0


def test_a_file_over_the_limit_gets_a_clear_413(app, client, org):
    f.login(client, f.user(Role.TALENT))
    app.config["MAX_UPLOAD_BYTES"] = 1024 * 1024
    response = upload(client, b"x" * (1024 * 1024 + 1), "big.csv", org)
    assert response.status_code == 413
    assert "Uploads are limited to 1 MB" in response.get_data(as_text=True)


def test_cli_imports_in_process_and_a_second_run_changes_nothing(runner, org):
    path = str(EXAMPLES / "employees-with-errors.csv")
    result = runner.invoke(import_employees_command, [path])
    assert result.exit_code == 0, result.output
    assert "Read 10 rows: 5 employees created, 0 updated, 0 unchanged, 5 rejected; 4 warnings." in result.output
    assert "/jobs/1/issues.csv" in result.output
    again = runner.invoke(import_employees_command, [path, "--organisation", "northwind"])
    assert again.exit_code == 0, again.output
    assert "0 employees created, 0 updated, 5 unchanged" in again.output
    assert db.session.scalar(sa.select(sa.func.count(JobRun.id)).where(JobRun.status == "succeeded")) == 2


def test_cli_follows_a_run_a_worker_took_up_first(runner, org, monkeypatch):
    """The sweep may send a run the CLI recorded before the CLI claims it: the CLI then follows the worker."""
    real_run_import = imports.run_import

    def worker_first(run_id, **kwargs):
        real_run_import(run_id)  # the worker, done before the CLI gets to claim the run
        return real_run_import(run_id, **kwargs)

    monkeypatch.setattr(imports, "run_import", worker_first)
    result = runner.invoke(import_employees_command, [str(EXAMPLES / "employees.csv")])
    assert result.exit_code == 0, result.output
    assert "Import #1 was taken up by a worker; following it." in result.output
    assert "Read 5 rows: 5 employees created" in result.output


def test_cli_creates_a_named_organisation_and_reads_json(runner, app):
    app.extensions["encoder"] = HashingEncoder()
    result = runner.invoke(import_employees_command, [str(EXAMPLES / "employees.json"), "--organisation", "Acme"])
    assert result.exit_code == 0, result.output
    assert "Created the organisation Acme." in result.output
    assert {e.department.organisation.name for e in db.session.scalars(sa.select(Employee))} == {"Acme"}


@pytest.mark.parametrize(("args", "message"), [
    (["/no/such/file.csv"], "Cannot read /no/such/file.csv: No such file or directory."),
    ([str(EXAMPLES / "employees.csv"), "--format", "json"], "employees.csv: A JSON import must be a list of employees"),
])
def test_cli_exits_non_zero_with_a_clear_message_on_an_unreadable_file(runner, org, args, message):
    result = runner.invoke(import_employees_command, args)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(sa.select(sa.func.count(JobRun.id))) == 0


def test_cli_needs_an_organisation_when_several_could_be_meant(runner, org):
    f.organisation("Southwind")
    db.session.commit()
    result = runner.invoke(import_employees_command, [str(EXAMPLES / "employees.csv")])
    assert result.exit_code != 0
    assert "Name the organisation with --organisation (internal organisations: Northwind, Southwind)" in result.output
