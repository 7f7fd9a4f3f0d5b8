"""Equality monitoring: voluntary answers only their owner sees, walled off from matching, every read logged."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import db
from marketplace.models import AuditEntry, Role
from marketplace.models.equality import DemographicSelfId
from marketplace.services import equality, matching
from matching import HashingEncoder
from tests import factories as f

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("equality", "demographic", "self_id", "race", "ethnicity", "disability", "age_band")


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


def _row(employee) -> DemographicSelfId | None:
    db.session.expire_all()
    return db.session.get(DemographicSelfId, employee.id)


@pytest.fixture
def person(app, client):
    account = f.user(Role.EMPLOYEE)
    db.session.commit()
    f.login(client, account)
    return account


ANSWERS = {"sex": "female", "race_ethnicity": "prefer_not_to_say", "age_band": "40_54", "disability": ""}


def test_the_page_explains_why_and_offers_prefer_not_to_say_everywhere(client, person):
    html = client.get("/profile/equality").get_data(as_text=True)
    assert "Why we ask" in html and "Matching never uses them" in html and "talent team sees only totals" in html
    assert html.count('value="prefer_not_to_say"') == 4 and html.count("Leave unanswered") == 4
    assert html.count("<fieldset") == 4 and html.count("<legend") == 4  # one labelled group per question
    assert "Hispanic or Latino" in html and "Two or More Races" in html and "Non-binary or another term" in html


def test_an_employee_saves_changes_and_clears_their_answers(client, person):
    response = client.post("/profile/equality", data=ANSWERS)
    assert response.status_code == 302
    row = _row(person.employee)
    assert (row.sex, row.race_ethnicity, row.age_band, row.disability) == ("female", "prefer_not_to_say", "40_54", None)
    html = client.get("/profile/equality").get_data(as_text=True)
    assert _checked(html, "female") and _checked(html, "40_54") and not _checked(html, "male")
    assert "You have answered 3 of 4 questions" in html

    client.post("/profile/equality", data={**ANSWERS, "sex": "prefer_not_to_say"})
    assert _row(person.employee).sex == "prefer_not_to_say"

    assert client.post("/profile/equality/clear").status_code == 302
    assert _row(person.employee) is None
    assert "you have not answered any question" in client.get("/profile/equality").get_data(as_text=True)


def _checked(html: str, value: str) -> bool:
    tag = html[html.rfind("<input", 0, html.index(f'value="{value}"')): html.index(f'value="{value}"') + 40]
    return "checked" in tag


def test_leaving_everything_unanswered_stores_nothing(client, person):
    client.post("/profile/equality", data={name: "" for name in ANSWERS})
    assert _row(person.employee) is None


def test_an_answer_outside_the_choices_is_refused_and_nothing_is_stored(client, person):
    response = client.post("/profile/equality", data={**ANSWERS, "sex": "robot"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert _row(person.employee) is None


def test_the_database_refuses_values_outside_the_categories(app):
    employee = f.employee()
    db.session.add(DemographicSelfId(employee_id=employee.id, race_ethnicity="martian"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_nobody_else_sees_a_persons_answers(client, person, app):
    client.post("/profile/equality", data=ANSWERS)
    client.post("/logout")
    other = f.user(Role.EMPLOYEE)
    db.session.commit()
    f.login(client, other)
    html = client.get("/profile/equality").get_data(as_text=True)
    assert not _checked(html, "female") and not _checked(html, "40_54")
    assert _row(other.employee) is None


def test_every_read_and_change_is_in_the_audit_log_without_the_answers(client, person):
    client.get("/profile/equality")
    client.post("/profile/equality", data=ANSWERS)
    client.post("/profile/equality/clear")
    me = f"employee:{person.employee.id}"
    reads, updates = _entries("demographics.read"), _entries("demographics.update")
    clears = _entries("demographics.clear")
    assert [(e.subject, e.actor) for e in reads] == [(me, f"user:{person.id}")]
    assert json.loads(updates[0].payload) == {"answered": ["sex", "race_ethnicity", "age_band"]}
    assert [e.subject for e in clears] == [me]
    assert all("female" not in e.payload and "40_54" not in e.payload for e in reads + updates + clears)


def test_aggregate_reads_by_the_talent_team_are_logged_with_purpose(app):
    talent = f.user(Role.TALENT)
    people = [f.employee() for _ in range(3)]
    equality.save_answers(people[0], equality.Answers(sex="male"), reader=talent)
    answers = equality.answers_for([p.id for p in people], purpose="bias report", subject="opportunity:4",
                                   reader=talent)
    assert answers[people[0].id].sex == "male" and answers[people[1].id] == equality.NOT_ANSWERED
    entry = _entries("demographics.read")[-1]
    assert (entry.subject, entry.actor, entry.actor_role) == ("opportunity:4", f"user:{talent.id}", "talent")
    assert json.loads(entry.payload) == {"scope": "aggregate", "purpose": "bias report", "people": 3}


def test_an_employee_without_a_profile_cannot_use_the_page(client, app):
    admin = f.user(Role.ADMIN)
    db.session.commit()
    f.login(client, admin)
    assert client.get("/profile/equality").status_code == 403


# ------------------------------------------------------------------ the wall around matching


def _matching_sources() -> list[Path]:
    return [ROOT / "marketplace/services/matching.py", ROOT / "marketplace/services/eligibility.py",
            ROOT / "marketplace/services/vectors.py", *sorted((ROOT / "matching").glob("*.py"))]


def _code_words(tree: ast.AST) -> list[str]:
    """Identifiers and string literals of the code, leaving out docstrings (which may say "never demographics")."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    words = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            words.append(node.id)
        elif isinstance(node, ast.Attribute):
            words.append(node.attr)
        elif isinstance(node, ast.alias):
            words.append(node.name)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            words.append(node.value)
        elif isinstance(node, ast.ImportFrom):
            words.append(node.module or "")
    return [word.lower() for word in words]


@pytest.mark.parametrize("path", _matching_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_matching_code_never_imports_or_names_the_equality_answers(path):
    # nothing it could read them by: the module, the service, the table, the model or the column names
    words = _code_words(ast.parse(path.read_text()))
    assert not [w for w in words if any(bad in w for bad in FORBIDDEN + ("fairness",))], path


@pytest.fixture
def ranked_world(app):
    app.extensions["encoder"] = HashingEncoder(dimension=64)
    python, sql = f.skill("Python"), f.skill("SQL")
    host = f.employee("Hana Host")
    opportunity = f.opportunity(host, {python: 3, sql: 2}, start_date=dt.date.today() + dt.timedelta(days=60))
    people = [f.employee(f"Person {i}", skills={python: 1 + i % 5, sql: 1 + (i * 3) % 5}) for i in range(12)]
    for i, person in enumerate(people):
        person.summary = f"I analyse data with Python and SQL, year {i}."
    db.session.commit()
    return opportunity, people


def _scores(opportunity, people) -> tuple[list, list]:
    ranking = matching.rank_candidates(opportunity)
    recommended = matching.recommendations(people[0])
    return ([(row.employee.id, row.rank, row.match.score, row.match.parts()) for row in ranking.rows],
            [(rec.opportunity.id, rec.rank, rec.match.score) for rec in recommended])


def test_rankings_are_identical_with_and_without_equality_answers(ranked_world, monkeypatch):
    opportunity, people = ranked_world
    before = _scores(opportunity, people)
    talent = f.user(Role.TALENT)
    for i, person in enumerate(people):
        equality.save_answers(person, equality.Answers(sex=("female", "male")[i % 2], age_band="55_plus",
                                                       race_ethnicity="black", disability="yes"), reader=talent)
    monkeypatch.setattr(matching, "_pool", matching._PoolCache())  # rebuild the pool: nothing may be reused
    statements = []

    def capture(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        after = _scores(opportunity, people)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    assert before == after and before[0]
    assert statements and not [s for s in statements if "demographic_self_id" in s]


def test_a_ranking_view_logs_everyone_scored_not_only_the_page(client, ranked_world, app):
    """The bias report's scored sample: the audit entry lists every ranked candidate with their score."""
    opportunity, people = ranked_world
    app.config["PAGE_SIZE"] = 3
    host = f.user(Role.HOST_MANAGER, employee_record=opportunity.host_manager)
    db.session.commit()
    f.login(client, host)
    assert client.get(f"/host/opportunities/{opportunity.id}/candidates").status_code == 200
    payload = json.loads(_entries("ranking.shown")[-1].payload)
    assert len(payload["shown"]) == 3
    ranking = matching.rank_candidates(opportunity)
    assert payload["ranked"] == [[f"employee:{row.employee.id}", round(row.match.score, 6)] for row in ranking.rows]
    assert len(payload["ranked"]) == len(people) > 3
