"""Employee import from an HRIS export: row validation, upsert by employee number, managers, resuming."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import Department, Employee, ImportFile, ImportIssue, JobRun, Role, TextEmbedding, User
from marketplace.services import embedding, imports, jobs, vectors
from marketplace.services.imports import loading, pipeline
from matching import HashingEncoder
from tests import factories as f

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
HEADER = "employee_number,name,email,job_title,department,manager_number,location,grade,start_date,skills\n"
ANN = "E1,Ann,ann@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n"


@pytest.fixture
def org(app):
    """An organisation with one department, and a catalogue that knows three skills."""
    app.extensions["encoder"] = HashingEncoder()
    organisation = f.organisation("Northwind")
    f.department("Finance", organisation)
    f.skill("manage budgets", aliases=("budgeting",))
    f.skill("financial analysis")
    f.skill("Python (computer programming)", aliases=("Python 3",))
    db.session.commit()
    return organisation


def run_file(org, content: str | bytes, filename: str = "hris.csv") -> JobRun:
    data = content.encode() if isinstance(content, str) else content
    run = imports.store_upload(filename, data, org)
    return imports.run_import(run.id)


def employee(number: str) -> Employee | None:
    return db.session.scalar(sa.select(Employee).where(Employee.employee_number == number))


def issues(run: JobRun) -> dict[int, list[tuple[str | None, str, str]]]:
    """Row number -> [(field, severity, reason)]."""
    found: dict[int, list] = {}
    for issue in db.session.scalars(sa.select(ImportIssue).where(ImportIssue.run_id == run.id)):
        found.setdefault(issue.row_number, []).append((issue.field, issue.severity, issue.reason))
    return found


def test_rows_become_employees_with_department_skills_and_a_manager_listed_later(org):
    run = run_file(org, HEADER
                   + "E2,Tom Becker,Tom.Becker@Northwind.example,Analyst,finance,E1,London,G6,2021-09-13,Budgeting:3; financial analysis:4\n"
                   + "E1,Amira Haddad,amira@northwind.example,Director,Finance,,London,G9,2015-03-02,\n")
    assert run.status == "succeeded", run.message
    tom, amira = employee("E2"), employee("E1")
    assert tom.email == "tom.becker@northwind.example"  # one spelling, so the unique index holds
    assert tom.department.name == "Finance" and tom.department is amira.department  # matched ignoring case
    assert tom.manager is amira and amira.manager is None
    assert tom.start_date == dt.date(2021, 9, 13)
    assert {(s.skill.name, s.level) for s in tom.skills} == {("manage budgets", 3), ("financial analysis", 4)}
    assert run.result["created"] == 2 and run.result["managers_changed"] == 1
    assert run.processed == run.total == 2 and run.rejected == 0
    assert db.session.get(ImportFile, run.id) is None  # the file goes once its rows are in


def test_each_wrong_value_rejects_its_row_with_the_reason(org):
    run = run_file(org, HEADER
                   + "E1,Ok Person,ok@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n"
                   + "E2,Bad Email,not-an-email,Analyst,Finance,,London,G6,2020-01-01,\n"
                   + "E3,Bad Date,e3@northwind.example,Analyst,Finance,,London,G6,13/01/2020,\n"
                   + "E4,Bad Level,e4@northwind.example,Analyst,Finance,,London,G6,2020-01-01,budgeting:7\n"
                   + "E5,No Level,e5@northwind.example,Analyst,Finance,,London,G6,2020-01-01,budgeting\n"
                   + "E6,,e6@northwind.example,,Finance,,London,G6,2020-01-01,\n"
                   + f"{'N' * 50},Long Number,e8@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n")
    found = issues(run)
    assert found[3] == [("email", "rejected", "“not-an-email” is not an e-mail address: An email address must have an @-sign.")]
    assert found[4] == [("start_date", "rejected", "“13/01/2020” is not a date written as YYYY-MM-DD.")]
    assert found[5] == [("skills", "rejected", "The level of budgeting must be a whole number from 1 to 5, not “7”.")]
    assert found[6] == [("skills", "rejected", "The level of budgeting must be a whole number from 1 to 5; write it as budgeting:3.")]
    assert found[7] == [("name", "rejected", "The name is missing."), ("job_title", "rejected", "The job title is missing.")]
    assert found[8] == [("employee_number", "rejected", "The employee number is longer than 40 characters.")]
    assert 2 not in found
    assert [e.employee_number for e in db.session.scalars(sa.select(Employee))] == ["E1"]
    assert run.rejected == 6 and run.result["rejected"] == 6
    assert "1 employees created" in run.message and "6 rejected" in run.message


def test_unknown_department_is_created_in_the_importing_organisation_and_named(org):
    elsewhere = f.organisation("Partner Ltd")
    f.department("Legal", elsewhere)
    db.session.commit()
    run = run_file(org, HEADER + "E1,Lee Law,lee@northwind.example,Counsel,Legal,,London,G7,2020-01-01,\n")
    legal = employee("E1").department
    assert legal.organisation == org and legal.name == "Legal"
    assert db.session.scalar(sa.select(sa.func.count(Department.id)).where(Department.name == "Legal")) == 2
    assert run.result["departments_created"] == 1 and "New departments: Legal." in run.message


def test_unknown_skill_is_a_warning_and_the_rest_of_the_row_loads(org):
    run = run_file(org, HEADER + "E1,Ann,ann@northwind.example,Analyst,Finance,,London,G6,2020-01-01,"
                   "basket weaving:3; Python 3:4; python 3:2\n")
    assert [(s.skill.name, s.level) for s in employee("E1").skills] == [("Python (computer programming)", 4)]
    assert issues(run)[2] == [
        ("skills", "warning", "“basket weaving” is not a skill or alias in the catalogue; imported without it."),
        ("skills", "warning", "Python (computer programming) is listed twice (as “python 3” too); kept level 4."),
    ]
    assert run.rejected == 0 and run.result["warnings"] == 2


def test_a_repeated_employee_number_or_email_rejects_every_copy(org):
    run = run_file(org, HEADER
                   + "E1,First,one@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n"
                   + "E1,Second,two@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n"
                   + "E2,Third,same@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n"
                   + "E3,Fourth,SAME@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n")
    found = issues(run)
    assert found[2] == found[3] == [("employee_number", "rejected", "“E1” appears on rows 2, 3; each must appear once.")]
    assert found[4] == found[5] == [("email", "rejected", "“same@northwind.example” appears on rows 4, 5; each must appear once.")]
    assert db.session.scalar(sa.select(sa.func.count(Employee.id))) == 0


def test_an_email_that_belongs_to_another_employee_is_rejected(org):
    f.employee("Kim", employee_number="K1", email="kim@northwind.example")
    db.session.commit()
    run = run_file(org, HEADER + "E1,Kim Two,kim@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n")
    assert issues(run)[2] == [("email", "rejected", "kim@northwind.example already belongs to employee K1.")]
    assert employee("E1") is None


def test_missing_manager_and_a_loop_are_warnings_that_leave_managers_unchanged(org):
    boss = f.employee("Boss", employee_number="B1")
    f.employee("Old Report", employee_number="E3", manager=boss)
    db.session.commit()
    run = run_file(org, HEADER
                   + "E1,Ann,ann@northwind.example,Analyst,Finance,E2,London,G6,2020-01-01,\n"
                   + "E2,Bob,bob@northwind.example,Analyst,Finance,E1,London,G6,2020-01-01,\n"
                   + "E3,Old Report,e3@northwind.example,Analyst,Finance,NOBODY,London,G6,2020-01-01,\n"
                   + "E4,Self,self@northwind.example,Analyst,Finance,E4,London,G6,2020-01-01,\n"
                   + "E5,Eve,eve@northwind.example,Analyst,Finance,B1,London,G6,2020-01-01,\n")
    found = issues(run)
    loop = "The reporting chain would loop (E1 → E2 → E1); the manager was not changed."
    assert found[2] == [("manager_number", "warning", loop)] and found[3] == [("manager_number", "warning", loop)]
    assert found[4] == [("manager_number", "warning",
                         "Manager number NOBODY is neither in the file nor in the marketplace; the manager was not changed.")]
    assert found[5] == [("manager_number", "warning", "An employee cannot be their own manager; the manager was not changed.")]
    assert employee("E1").manager is None and employee("E2").manager is None
    assert employee("E3").manager == boss  # kept the manager it had
    assert employee("E5").manager == boss  # a manager already in the marketplace links too
    assert run.rejected == 0 and run.result["warnings"] == 4


def test_the_same_file_twice_changes_nothing_the_second_time(org):
    content = (EXAMPLES / "employees.csv").read_bytes()
    f.skill("IFRS")
    db.session.commit()
    first = imports.run_import(imports.store_upload("employees.csv", content, org).id)
    before = {e.employee_number: (e.updated_at, e.manager_id) for e in db.session.scalars(sa.select(Employee))}
    vectors = db.session.scalar(sa.select(sa.func.count(TextEmbedding.id)))
    assert first.result["created"] == 5 and first.result["new_vectors"] > 0
    second = imports.run_import(imports.store_upload("employees.csv", content, org).id)
    db.session.expire_all()
    after = {e.employee_number: (e.updated_at, e.manager_id) for e in db.session.scalars(sa.select(Employee))}
    assert after == before
    assert db.session.scalar(sa.select(sa.func.count(TextEmbedding.id))) == vectors
    assert second.result | {"warnings": 0} == {
        "rows": 5, "created": 0, "updated": 0, "unchanged": 5, "rejected": 0, "warnings": 0,
        "departments_created": 0, "managers_changed": 0, "logins_changed": 0, "new_vectors": 0,
    }


def test_a_changed_row_updates_that_employee_and_keeps_skills_they_added_themselves(org):
    run_file(org, HEADER + "E1,Ann,ann@northwind.example,Analyst,Finance,,London,G6,2020-01-01,budgeting:2\n"
             + "E2,Bob,bob@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n")
    ann = employee("E1")
    own = f.skill("coach employees")
    from marketplace.models import EmployeeSkill

    ann.skills.append(EmployeeSkill(skill=own, level=3))
    db.session.commit()
    bob_stamp = employee("E2").updated_at
    run = run_file(org, HEADER + "E1,Ann,ann@northwind.example,Senior Analyst,Finance,,Leeds,G7,2020-01-01,budgeting:4\n"
                   + "E2,Bob,bob@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n")
    db.session.expire_all()
    ann = employee("E1")
    assert (ann.job_title, ann.location, ann.grade) == ("Senior Analyst", "Leeds", "G7")
    assert {(s.skill.name, s.level) for s in ann.skills} == {("manage budgets", 4), ("coach employees", 3)}
    assert employee("E2").updated_at == bob_stamp
    assert (run.result["updated"], run.result["unchanged"]) == (1, 1)


def test_json_imports_like_csv(org):
    content = json.dumps([
        {"employee_number": 1042, "name": "Ann", "email": "ann@northwind.example", "job_title": "Analyst",
         "department": "Finance", "manager_number": None, "location": "London", "grade": "G6",
         "start_date": "2020-01-01", "skills": [{"name": "budgeting", "level": 3}]},
        {"employee_number": "1043", "name": "Bob", "email": "bob@northwind.example", "job_title": "Analyst",
         "department": "Finance", "manager_number": 1042, "location": "London", "grade": "G6",
         "start_date": "2020-01-01", "skills": [{"name": "budgeting", "level": "six"}]},
        "not an employee",
    ])
    run = run_file(org, content, "hris.json")
    assert [(s.skill.name, s.level) for s in employee("1042").skills] == [("manage budgets", 3)]
    assert issues(run) == {
        2: [("skills", "rejected", "The level of budgeting must be a whole number from 1 to 5, not “six”.")],
        3: [(None, "rejected", "The entry is not an object of employee fields.")],
    }


def test_example_files_import_as_documented(org):
    f.skill("IFRS")
    db.session.commit()
    json_run = run_file(org, (EXAMPLES / "employees.json").read_bytes(), "employees.json")
    assert json_run.status == "succeeded" and json_run.result["created"] == 2
    bad = run_file(org, (EXAMPLES / "employees-with-errors.csv").read_bytes(), "employees-with-errors.csv")
    assert (bad.result["created"], bad.result["rejected"], bad.result["warnings"]) == (5, 5, 4)


@pytest.mark.parametrize(("content", "filename", "message"), [
    ("employee_number,name\nE1,Ann\n", "a.csv", "The header row lacks the columns email, job_title, department"),
    (HEADER, "a.csv", "The file has no employees in it."),
    (b"\xff\xfe" + HEADER.encode("utf-16-le"), "a.csv", "The file is not UTF-8 text"),
    ('[{"employee_number": "E1"}, {"employee_number": ', "a.json", "The JSON is malformed at line 1"),
    ('{"employees": []}', "a.json", "A JSON import must be a list of employees"),
])
def test_an_unreadable_file_is_refused_before_anything_is_written(org, content, filename, message):
    with pytest.raises(imports.FileProblem, match=message):
        imports.store_upload(filename, content.encode() if isinstance(content, str) else content, org)
    assert db.session.scalar(sa.select(sa.func.count(JobRun.id))) == 0


def test_a_run_stopped_part_way_resumes_after_its_last_chunk(org, monkeypatch):
    rows = "".join(f"E{n},P{n},p{n}@northwind.example,Analyst,Finance,{'E1' if n > 1 else ''},London,G6,2020-01-01,"
                   f"{'nonsense:1' if n == 4 else ''}\n" for n in range(1, 8))
    run = imports.store_upload("hris.csv", (HEADER + rows).encode(), org)
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    real_write, calls = loading.write_chunk, []

    def write_then_crash(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("worker lost")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(pipeline, "write_chunk", write_then_crash)
    with pytest.raises(RuntimeError):
        imports.run_import(run.id)
    db.session.rollback()
    assert db.session.get(JobRun, run.id).processed == 4  # two chunks committed with their progress
    imports.run_import(run.id)
    db.session.expire_all()
    run = db.session.get(JobRun, run.id)
    assert run.status == "succeeded" and run.attempts == 2
    assert run.result["created"] == 7 and run.result["warnings"] == 1 and run.result["managers_changed"] == 6
    assert db.session.scalar(sa.select(sa.func.count(Employee.id))) == 7
    assert len(issues(run)[5]) == 1  # the warning of a committed chunk is not written twice


def test_the_task_called_directly_imports_and_a_repeat_delivery_does_nothing(org):
    from jobs.imports import import_employees

    run = imports.store_upload("hris.csv", (HEADER + "E1,Ann,ann@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n").encode(), org)
    import_employees(run.id)
    db.session.expire_all()
    run = db.session.get(JobRun, run.id)
    assert run.status == "succeeded" and employee("E1") is not None
    finished_at = run.finished_at
    import_employees(run.id)  # acks_late may deliver it again after a worker loss
    db.session.expire_all()
    assert db.session.get(JobRun, run.id).finished_at == finished_at


def test_a_failing_attempt_says_it_will_retry_and_the_last_one_gives_up_with_the_reason(org, monkeypatch):
    from jobs.imports import import_employees

    run = imports.store_upload("hris.csv", (HEADER + ANN).encode(), org)

    def database_gone(*args, **kwargs):
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(pipeline, "write_chunk", database_gone)
    with pytest.raises(ConnectionError):
        import_employees(run.id)  # called directly, a retry re-raises
    db.session.expire_all()
    failed = db.session.get(JobRun, run.id)
    assert failed.status == "running" and failed.heartbeat_at is None  # given back for the retry or the sweep
    assert failed.message == "Attempt 1 failed: database unreachable"
    for _ in range(jobs.MAX_ATTEMPTS - 1):
        with pytest.raises(ConnectionError):
            import_employees(run.id)
    import_employees(run.id)  # the retry after the last attempt
    db.session.expire_all()
    run = db.session.get(JobRun, run.id)
    assert run.status == "failed"
    assert run.message == f"Gave up after {jobs.MAX_ATTEMPTS} attempts. Attempt {jobs.MAX_ATTEMPTS} failed: database unreachable"
    assert employee("E1") is None


def test_a_run_in_hand_elsewhere_is_not_run_twice(org):
    run = imports.store_upload("hris.csv", (HEADER + ANN).encode(), org)
    first = jobs.claim(run.id, stage="Loading rows", stale_after=embedding.stale_after())
    assert imports.run_import(run.id) is None and employee("E1") is None  # a redelivered task: the claim is fresh
    db.session.execute(sa.update(JobRun).values(heartbeat_at=utcnow() - dt.timedelta(hours=1)))
    db.session.commit()
    assert imports.run_import(run.id).status == "succeeded"  # the first worker is presumed dead
    with pytest.raises(jobs.LostClaim):  # ... and cannot write over its successor if it wakes up
        jobs.checkpoint(first, processed=1)


def test_the_sweep_resends_an_import_whose_worker_died(app, org, monkeypatch):
    sent = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: sent.append((name, *args)) or "task-1")
    run = imports.store_upload("hris.csv", (HEADER + ANN).encode(), org)
    run.task_id = "lost-with-its-worker"
    db.session.commit()
    jobs.claim(run.id, stage="Loading rows", stale_after=embedding.stale_after())
    assert embedding.sweep()["resent"] == []  # in hand: its worker is alive
    db.session.execute(sa.update(JobRun).values(heartbeat_at=utcnow() - dt.timedelta(hours=1)))
    db.session.commit()
    assert embedding.sweep()["resent"] == [run.id]
    assert sent == [("marketplace.import_employees", run.id)]
    assert imports.run_import(run.id).status == "succeeded" and employee("E1") is not None


# ------------------------------------------------------------------ stale marks and sign-in e-mails


def stale() -> dict[str, dt.datetime]:
    """Employee number -> stale mark, of the employees waiting for their vectors."""
    return dict(db.session.execute(
        sa.select(Employee.employee_number, Employee.embedding_stale_since).where(Employee.embedding_stale_since.is_not(None))
    ).all())


def test_the_import_embeds_the_rows_it_changes_so_the_sweep_has_nothing_left(org):
    run = run_file(org, HEADER + ANN + "E2,Bob,bob@northwind.example,Analyst,Finance,,London,G6,2020-01-01,budgeting:3\n")
    assert run.result["created"] == 2
    assert stale() == {}  # new rows start stale; the import embedded their texts and cleared them
    run = run_file(org, HEADER + "E1,Ann,ann@northwind.example,Senior Analyst,Finance,,London,G6,2020-01-01,\n"
                   + "E2,Bob,bob@northwind.example,Analyst,Finance,,London,G6,2020-01-01,budgeting:3; Python 3:4\n")
    assert run.result["updated"] == 2 and stale() == {}
    stored = vectors.stored_keys(HashingEncoder.model_id, ["Senior Analyst", "Python (computer programming)"])
    assert len(stored) == 2
    assert embedding.embed_stale()["rows"] == 0


def test_an_edit_still_waiting_for_its_vectors_is_left_to_the_sweep(org):
    run_file(org, HEADER + ANN + "E2,Bob,bob@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n")
    for number in ("E1", "E2"):  # each wrote a summary while the broker was down
        person = employee(number)
        person.summary = f"{person.name} closes the monthly accounts."
        embedding.mark_stale(person)
    db.session.commit()
    waiting = stale()
    run_file(org, HEADER + "E1,Ann,ann@northwind.example,Senior Analyst,Finance,,London,G6,2020-01-01,\n"
             + "E2,Bob,bob@northwind.example,Analyst,Finance,,Leeds,G6,2020-01-01,\n")
    now_waiting = stale()
    assert now_waiting.keys() == {"E1", "E2"}  # the import embedded neither summary
    assert now_waiting["E1"] > waiting["E1"]  # a newer change: a task that read the old title must not clear it
    assert now_waiting["E2"] == waiting["E2"]  # a new location is not a text: the mark is left alone
    assert embedding.embed_stale()["rows"] == 2 and stale() == {}


def test_an_unchanged_reimport_leaves_stale_marks_alone(org):
    content = HEADER + ANN
    run_file(org, content)
    person = employee("E1")
    person.summary = "Closes the monthly accounts."
    embedding.mark_stale(person)
    db.session.commit()
    waiting = stale()
    assert run_file(org, content).result["unchanged"] == 1
    assert stale() == waiting


def test_rows_of_an_import_stopped_before_embedding_stay_stale_for_the_sweep(org, monkeypatch):
    def model_gone(*args, **kwargs):
        raise RuntimeError("the model ran out of memory")

    monkeypatch.setattr(embedding, "embed_texts", model_gone)
    with pytest.raises(RuntimeError):
        run_file(org, HEADER + ANN)
    db.session.rollback()
    assert stale().keys() == {"E1"}
    monkeypatch.undo()
    assert embedding.embed_stale()["rows"] == 1 and stale() == {}


def test_a_new_work_email_from_the_hris_becomes_the_persons_sign_in(org, client):
    run_file(org, HEADER + ANN + "E2,Bob,bob@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n")
    f.user(Role.EMPLOYEE, employee_record=employee("E1"))
    f.user(Role.EMPLOYEE, employee_record=employee("E2"))
    f.user(Role.ADMIN, email="robert@northwind.example")  # someone else already signs in with Bob's new address
    db.session.commit()
    run = run_file(org, HEADER + "E1,Ann,ann.lee@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n"
                   + "E2,Bob,Robert@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n")
    assert employee("E1").email == "ann.lee@northwind.example" and employee("E2").email == "robert@northwind.example"
    assert run.result["logins_changed"] == 1
    assert "Sign-in e-mails changed to follow the HRIS: 1." in run.message
    assert issues(run)[3] == [("email", "warning", "robert@northwind.example already signs in to another account, "
                                                   "so this person still signs in as bob@northwind.example.")]
    assert client.post("/login", data={"email": "ann.lee@northwind.example", "password": f.PASSWORD}).status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"email": "ann@northwind.example", "password": f.PASSWORD}).status_code == 400


def test_an_import_leaves_its_runners_sign_in_alone_and_moves_none_outside_the_allowed_domains(org, app, client):
    """Finding 14: a talent user's file moved their own log-in, or anyone's, to an outside mailbox."""
    app.config["ALLOWED_EMAIL_DOMAINS"] = frozenset({"northwind.example"})
    run_file(org, HEADER + ANN + "E2,Bob,bob@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n"
             + "E3,Cat,cat@northwind.example,Analyst,Finance,,London,G6,2020-01-01,\n")
    runner = f.user(Role.TALENT, Role.EMPLOYEE, employee_record=employee("E1"))
    f.user(Role.EMPLOYEE, employee_record=employee("E2"))
    f.user(Role.EMPLOYEE, employee_record=employee("E3"))
    db.session.commit()
    upload = imports.store_upload("hris.csv", (
        HEADER + "E1,Ann,ann@attacker.example,Analyst,Finance,,London,G7,2020-01-01,\n"
        + "E2,Bob,bob@elsewhere.example,Analyst,Finance,,London,G7,2020-01-01,\n"
        + "E3,Cat,cat.jones@northwind.example,Analyst,Finance,,London,G7,2020-01-01,\n").encode(), org, user=runner)
    run = imports.run_import(upload.id)
    assert issues(run) == {
        2: [("email", "warning", "An import does not change the sign-in of the person running it, so this person "
                                 "still signs in as ann@northwind.example.")],
        3: [("email", "warning", "bob@elsewhere.example is outside the allowed e-mail domains (northwind.example), "
                                 "so this person still signs in as bob@northwind.example.")],
    }
    assert run.result["logins_changed"] == 1 and run.result["warnings"] == 2
    assert employee("E1").grade == employee("E2").grade == "G7"  # the rest of each row still loaded
    logins = dict(db.session.execute(sa.select(User.employee_id, User.email)).all())
    assert logins[employee("E1").id] == "ann@northwind.example"
    assert logins[employee("E2").id] == "bob@northwind.example"
    assert logins[employee("E3").id] == "cat.jones@northwind.example"
    assert client.post("/login", data={"email": "ann@northwind.example", "password": f.PASSWORD}).status_code == 302
