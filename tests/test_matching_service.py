"""Rankings in the app: eligibility first, explained matches, the vector cache, and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.clock import utcnow
from marketplace.models import Employee, EmployeeSkill, Role, TextEmbedding
from marketplace.services import eligibility, matching
from matching import HashingEncoder
from tests import factories as f


class CountingEncoder(HashingEncoder):
    """The fake encoder, counting the texts it is asked to encode."""

    def __init__(self, model_id: str = "fake-model"):
        super().__init__(dimension=64)
        self.model_id = model_id
        self.calls = 0

    def encode(self, texts):
        self.calls += len(texts)
        return super().encode(texts)


@pytest.fixture
def encoder(app):
    fake = CountingEncoder()
    app.extensions["encoder"] = fake
    return fake


@pytest.fixture
def world(app, encoder):
    """A host in Technology with a Kubernetes secondment, and people from other departments."""
    kube = f.skill("Kubernetes", aliases=("K8s",))
    python = f.skill("Python")
    accounting = f.skill("Accounting")
    tech = f.department("Technology")
    finance = f.department("Finance", org=tech.organisation)
    host = f.employee("Hana Host", dept=tech)
    opportunity = f.opportunity(host, required={kube: 3, python: 2}, start_date=dt.date.today() + dt.timedelta(days=60))
    expert = f.employee("Kai Expert", dept=finance, skills={kube: 4, python: 3})
    via_alias = f.employee("Alia Alias", dept=finance, skills={python: 2})
    via_alias.summary = "I have operated K8s clusters in production."
    learner = f.employee("Lee Learner", dept=finance, skills={accounting: 5}, goals=[kube])
    busy = f.employee("Bo Busy", dept=finance, skills={kube: 5, python: 5}, capacity_percent=20)
    teammate = f.employee("Tim Teammate", dept=tech, skills={kube: 5, python: 5})
    db.session.commit()
    return locals()


def test_eligibility_reasons_name_every_broken_rule(world):
    opportunity = world["opportunity"]
    person = world["busy"]
    person.available_until = opportunity.start_date - dt.timedelta(days=1)
    person.start_date = dt.date.today() - dt.timedelta(days=30)
    opportunity.min_service_months = 12
    verdict = eligibility.check(person, opportunity)
    assert not verdict.eligible
    assert len(verdict.reasons) == 3
    assert any("Capacity 20 %" in r for r in verdict.reasons)
    assert any("Not available" in r for r in verdict.reasons)
    assert any("12 months" in r for r in verdict.reasons)


def test_candidates_are_ranked_after_the_eligibility_filter(world):
    ranking = matching.rank_candidates(world["opportunity"])
    names = [row.employee.name for row in ranking.rows]
    assert names[0] == "Kai Expert"
    assert "Alia Alias" in names and "Lee Learner" in names
    # too little capacity, the host's own department, and the host are never ranked
    assert not {"Bo Busy", "Tim Teammate", "Hana Host"} & set(names)
    assert ranking.excluded == {"not enough capacity": 1, "already in the host department": 2, "hosts it": 1}


def test_evidence_names_the_skill_or_sentence_that_matched(world):
    rows = {row.employee.name: row for row in matching.rank_candidates(world["opportunity"]).rows}
    kube = {e.requirement: e for e in rows["Alia Alias"].match.required_evidence}["Kubernetes"]
    assert kube.source == "summary"
    assert kube.text == "I have operated K8s clusters in production."
    assert [g.requirement for g in rows["Lee Learner"].match.gaps] == ["Kubernetes", "Python"]
    assert rows["Lee Learner"].match.goals_served[0].goal == "Kubernetes"


def test_vectors_are_cached_so_unchanged_texts_are_never_embedded_twice(world, encoder, monkeypatch):
    matching.rank_candidates(world["opportunity"])
    stored = db.session.scalar(sa.select(sa.func.count(TextEmbedding.id)))
    calls = encoder.calls
    assert stored > 0
    monkeypatch.setattr(matching, "_pool", matching._PoolCache())  # a new process: only the database cache
    matching.rank_candidates(world["opportunity"])
    assert encoder.calls == calls
    assert db.session.scalar(sa.select(sa.func.count(TextEmbedding.id))) == stored


def test_a_new_model_embeds_everything_again(app, world, encoder):
    matching.rank_candidates(world["opportunity"])
    app.extensions["encoder"] = CountingEncoder("another-model")
    matching.rank_candidates(world["opportunity"])
    models = set(db.session.scalars(sa.select(TextEmbedding.model_id).distinct()))
    assert models == {"fake-model", "another-model"}


def test_recommendations_put_eligible_secondments_first_and_explain_them(world):
    learner = world["learner"]
    far_away = f.opportunity(world["host"], start_date=dt.date.today() + dt.timedelta(days=400), title="Later")
    learner.available_until = dt.date.today() + dt.timedelta(days=300)
    db.session.commit()
    recommendations = matching.recommendations(learner)
    assert [r.opportunity.id for r in recommendations] == [world["opportunity"].id, far_away.id]
    assert recommendations[0].eligibility.eligible
    assert "Not available" in recommendations[1].eligibility.reasons[0]
    assert recommendations[0].match.goals_served


def test_host_sees_ranked_candidates_with_reasons(client, world):
    host_user = f.user(Role.HOST_MANAGER, employee_record=world["host"])
    db.session.commit()
    f.login(client, host_user)
    page = client.get(f"/host/opportunities/{world['opportunity'].id}/candidates")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.index("Kai Expert") < html.index("Lee Learner")
    assert "Why this person" in html and "I have operated K8s clusters in production." in html
    assert "1 not enough capacity" in html
    assert "Bo Busy" not in html


def test_other_hosts_and_employees_cannot_see_candidates(client, world):
    other_host = f.user(Role.HOST_MANAGER)
    employee = f.user(Role.EMPLOYEE, employee_record=world["expert"])
    db.session.commit()
    for account in (other_host, employee):
        f.login(client, account)
        assert client.get(f"/host/opportunities/{world['opportunity'].id}/candidates").status_code == 403
        client.post("/logout")


def test_employee_sees_why_an_opportunity_fits_and_what_they_would_learn(client, world):
    account = f.user(Role.EMPLOYEE, employee_record=world["learner"])
    db.session.commit()
    f.login(client, account)
    html = client.get("/recommendations").get_data(as_text=True)
    assert world["opportunity"].title in html
    assert "What you would learn" in html and "Kubernetes" in html


def test_a_profile_edit_changes_the_recommendations(client, world):
    account = f.user(Role.EMPLOYEE, employee_record=world["learner"])
    db.session.commit()
    f.login(client, account)
    before = matching.recommendations(world["learner"])[0].match.fit
    kube = world["kube"]
    response = client.post(
        "/profile",
        data={
            "summary": "", "capacity_percent": "100",
            "skills-0-skill_id": str(kube.id), "skills-0-skill_name": "Kubernetes", "skills-0-level": "4",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    after = matching.recommendations(db.session.get(type(world["learner"]), world["learner"].id))[0].match.fit
    assert after > before


def test_host_can_narrow_candidates_by_department_and_location(client, world):
    other = f.department("Legal", org=world["host"].department.organisation)
    f.employee("Lou Lawyer", dept=other, skills={world["kube"]: 3}, location="Leeds")
    host_user = f.user(Role.HOST_MANAGER, employee_record=world["host"])
    db.session.commit()
    f.login(client, host_user)
    url = f"/host/opportunities/{world['opportunity'].id}/candidates"
    html = client.get(url, query_string={"department": other.id}).get_data(as_text=True)
    assert "Lou Lawyer" in html and "Kai Expert" not in html
    html = client.get(url, query_string={"location": "Leeds"}).get_data(as_text=True)
    assert "Lou Lawyer" in html and "Kai Expert" not in html
    assert client.get(url, query_string={"department": "999999"}).status_code == 400


def test_employee_can_narrow_recommendations_by_type(client, world):
    f.opportunity(world["host"], title="Charity stint", type="voluntary_sector")
    account = f.user(Role.EMPLOYEE, employee_record=world["learner"])
    db.session.commit()
    f.login(client, account)
    html = client.get("/recommendations", query_string={"type": "voluntary_sector"}).get_data(as_text=True)
    assert "Charity stint" in html and world["opportunity"].title not in html
    assert client.get("/recommendations", query_string={"type": "space_travel"}).status_code == 400


def test_a_missing_model_is_a_clear_error_at_start_up(tmp_path):
    from marketplace import create_app
    from matching import ModelNotFound

    missing = tmp_path / "no-model-here"
    with pytest.raises(ModelNotFound, match="no-model-here"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "EMBEDDING_MODEL": str(missing)})


def test_the_embed_task_stores_an_edited_profile_once(world, encoder):
    from jobs.embedding import embed_employee

    assert embed_employee.run(world["expert"].id) > 0
    calls = encoder.calls
    assert embed_employee.run(world["expert"].id) == 0
    assert encoder.calls == calls
    assert embed_employee.run(999_999) == 0  # a deleted employee is nothing to do, not an error


def test_every_ranking_shown_to_a_reviewer_is_in_the_audit_log(client, world, runner):
    import json

    from marketplace.cli_audit import verify_command
    from marketplace.models import AuditEntry

    host_user = f.user(Role.HOST_MANAGER, employee_record=world["host"])
    db.session.commit()
    f.login(client, host_user)
    opportunity = world["opportunity"]
    finance = world["expert"].department_id
    html = client.get(f"/host/opportunities/{opportunity.id}/candidates?department={finance}").get_data(as_text=True)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "ranking.shown"))
    assert entry.subject == f"opportunity:{opportunity.id}"
    assert (entry.actor, entry.actor_role) == (f"user:{host_user.id}", "host_manager")
    payload = json.loads(entry.payload)
    assert payload["model"] == "fake-model" and payload["config"]["weight_required"] > 0
    assert payload["pool"]["filters"]["department"] == str(finance)
    shown = payload["shown"]
    assert [row["rank"] for row in shown] == list(range(1, len(shown) + 1))
    assert shown[0]["candidate"] == f"employee:{world['expert'].id}" and "required" in shown[0]["parts"]
    assert html.index("Kai Expert") < html.index("Lee Learner")
    # Pseudonymous: the names the reviewer saw are not in the log.
    assert "Kai Expert" not in entry.payload and "Expert" not in entry.payload
    assert runner.invoke(verify_command).exit_code == 0


def test_host_sees_which_required_skill_is_rare_and_counts_more(client, world):
    python = world["python"]
    for n in range(4):
        f.employee(f"Pat Python {n}", dept=world["finance"], skills={python: 3})
    host_user = f.user(Role.HOST_MANAGER, employee_record=world["host"])
    db.session.commit()
    weights = {
        e.requirement: e.weight
        for e in matching.rank_candidates(world["opportunity"]).rows[0].match.required_evidence
    }
    assert weights["Kubernetes"] >= 1.25 > 1 > weights["Python"]
    f.login(client, host_user)
    html = client.get(f"/host/opportunities/{world['opportunity'].id}/candidates").get_data(as_text=True)
    assert "rare skill, counts more" in html


def test_host_sees_how_much_of_each_candidates_skill_list_the_secondment_uses(client, world):
    rows = {row.employee.name: row.match for row in matching.rank_candidates(world["opportunity"]).rows}
    # Kai lists Kubernetes and Python, both asked for; Lee lists only Accounting
    assert (rows["Kai Expert"].focus, rows["Lee Learner"].focus) == (1.0, 0.0)
    host_user = f.user(Role.HOST_MANAGER, employee_record=world["host"])
    db.session.commit()
    f.login(client, host_user)
    html = client.get(f"/host/opportunities/{world['opportunity'].id}/candidates").get_data(as_text=True)
    kai, lee = html.index("Kai Expert"), html.index("Lee Learner")
    row = '<th scope="row">Listed skills this secondment uses</th><td>{}</td>'
    assert kai < html.index(row.format("100 %"), kai) < lee < html.index(row.format("0 %"), lee)


def test_a_profile_edit_reaches_the_ranking_without_refitting_the_whole_pool(world, monkeypatch):
    pool = matching._PoolCache()
    monkeypatch.setattr(matching, "_pool", pool)
    opportunity = world["opportunity"]
    assert [r.employee.name for r in matching.rank_candidates(opportunity).rows][0] == "Kai Expert"

    learner = world["learner"]
    learner.skills.clear()
    db.session.flush()
    learner.skills.extend(EmployeeSkill(skill=s, level=5) for s in (world["kube"], world["python"]))
    learner.summary = "I have run Kubernetes and Python services for years."
    learner.updated_at = utcnow()  # as services.profiles.update_profile does
    db.session.commit()

    names = [r.employee.name for r in matching.rank_candidates(opportunity).rows]
    assert names[0] == "Lee Learner"
    assert (pool.fits, pool.updates) == (1, 1)


def test_when_much_of_the_pool_changed_it_is_refitted(world, monkeypatch):
    pool = matching._PoolCache()
    monkeypatch.setattr(matching, "_pool", pool)
    monkeypatch.setattr(matching, "REFIT_MIN", 3)  # the world's pool is small
    matching.rank_candidates(world["opportunity"])
    for employee in db.session.scalars(sa.select(Employee)):
        employee.updated_at = utcnow()
    db.session.commit()
    matching.rank_candidates(world["opportunity"])
    assert (pool.fits, pool.updates) == (2, 0)
