"""Ranking both ways, retrieval plus rerank, and the batch command."""

from __future__ import annotations

import numpy as np

from matching import CachedEncoder, HashingEncoder, Matcher, MatchingConfig, OpportunityProfile, PersonProfile, SkillClaim
from matching.__main__ import opportunity_from_json, person_from_json


def _people(n: int) -> list[PersonProfile]:
    rng = np.random.default_rng(3)
    pool = ["Python", "SQL", "Accounting", "Negotiation", "Kubernetes", "Copywriting", "Budgeting", "Recruitment"]
    return [
        PersonProfile(i, "Officer", tuple(SkillClaim(s, int(rng.integers(1, 6))) for s in rng.choice(pool, 3, replace=False)))
        for i in range(n)
    ]


def test_reranked_top_k_equals_exhaustive_scoring_when_candidates_cover_everyone():
    people = _people(120)
    opportunity = OpportunityProfile("o", "Data", "Analyse data", (SkillClaim("Python", 3), SkillClaim("SQL", 2)))
    matcher = Matcher(HashingEncoder(), MatchingConfig(candidates=500)).fit(people)
    retrieved = [(r.id, round(r.score, 9)) for r in matcher.rank_people(opportunity, top_k=10)]
    exhaustive = [(r.id, round(r.score, 9)) for r in matcher.score_people(opportunity, people)[:10]]
    assert retrieved == exhaustive


def test_people_listing_every_required_skill_survive_a_small_candidate_pool():
    people = _people(400)
    opportunity = OpportunityProfile("o", "x", "", (SkillClaim("Kubernetes", 1), SkillClaim("Negotiation", 1)))
    holders = {p.id for p in people if {"Kubernetes", "Negotiation"} <= {s.name for s in p.skills}}
    matcher = Matcher(HashingEncoder(), MatchingConfig(candidates=len(holders))).fit(people)
    top = {r.id for r in matcher.rank_people(opportunity, top_k=len(holders))}
    assert holders and holders <= top


def test_eligible_pool_filters_before_ranking():
    people = _people(50)
    opportunity = OpportunityProfile("o", "x", "", (SkillClaim("Python", 1),))
    ranked = Matcher(HashingEncoder()).fit(people).rank_people(opportunity, top_k=50, eligible={1, 2, 3})
    assert {r.id for r in ranked} <= {1, 2, 3}


def test_opportunities_ranked_for_a_person_best_first():
    person = PersonProfile("p", "Engineer", (SkillClaim("Kubernetes", 4),), development_goals=("Negotiation",))
    opportunities = [
        OpportunityProfile("finance", "Finance", "", (SkillClaim("Accounting", 3),)),
        OpportunityProfile("platform", "Platform", "", (SkillClaim("Kubernetes", 3),)),
    ]
    ranked = Matcher(HashingEncoder()).rank_opportunities(person, opportunities)
    assert [r.id for r in ranked] == ["platform", "finance"]
    assert [r.rank for r in ranked] == [1, 2]


def test_cache_encodes_each_distinct_text_once():
    cached = CachedEncoder(HashingEncoder())
    cached.encode(["Python", "SQL", "Python"])
    cached.encode(["SQL", "Accounting"])
    assert cached.encoded_count == 3


def test_cache_lists_only_vectors_not_yet_saved():
    preloaded = CachedEncoder(HashingEncoder())
    preloaded.encode(["Python"])
    cached = CachedEncoder(HashingEncoder(), dict(preloaded.store))  # as loaded from a database
    cached.encode(["Python", "SQL"])
    assert len(cached.unsaved) == 1
    cached.mark_saved()
    cached.encode(["SQL", "Python"])
    assert cached.unsaved == {}


def test_batch_format_parses_strings_and_levelled_skills():
    person = person_from_json(
        {"id": 7, "job_title": "Dev", "skills": [{"name": "Python", "level": 4}], "summary": "s", "development_goals": ["SQL"]}
    )
    opportunity = opportunity_from_json(
        {"id": "o", "title": "t", "description": "d", "required_skills": ["Python", {"name": "SQL", "level": 2}],
         "nice_to_have_skills": [], "develops_skills": ["Go"]}
    )
    assert person.skills[0] == SkillClaim("Python", 4)
    assert opportunity.required_skills == (SkillClaim("Python"), SkillClaim("SQL", 2))
    assert opportunity.develops_skills == (SkillClaim("Go"),)
    assert person.development_goals == ("SQL",)


def _same_matcher_state(a: Matcher, b: Matcher) -> None:
    np.testing.assert_array_equal(a.vector_index_.vectors_, b.vector_index_.vectors_)
    assert (a.skill_index_.matrix_ != b.skill_index_.matrix_).nnz == 0
    np.testing.assert_allclose(a.bm25_.weights_.toarray(), b.bm25_.weights_.toarray(), rtol=1e-6)


def test_updating_people_with_their_own_profiles_changes_nothing():
    people = _people(60)
    matcher = Matcher(HashingEncoder()).fit(people)
    reference = Matcher(HashingEncoder()).fit(people)
    matcher.update([people[5], people[40]])
    _same_matcher_state(matcher, reference)


def test_an_updated_profile_is_indexed_exactly_as_a_fit_with_the_same_statistics_would_index_it():
    """Brute-force reference: fit the new pool, then restore the old pool's statistics (IDF, average length)."""
    people = _people(80)
    changed = PersonProfile(7, "Platform engineer", (SkillClaim("Kubernetes", 5), SkillClaim("Terraform", 4)),
                            summary="I run Kubernetes clusters on three clouds.")
    added = PersonProfile(80, "Recruiter", (SkillClaim("Recruitment", 3),))
    matcher = Matcher(HashingEncoder()).fit(people)
    old_bm25, old_skills = matcher.bm25_, matcher.skill_index_
    matcher.update([changed, added])

    after = [*people[:7], changed, *people[8:], added]
    fresh = Matcher(HashingEncoder()).fit(after)
    np.testing.assert_array_equal(matcher.vector_index_.vectors_, fresh.vector_index_.vectors_)
    assert [p.id for p in matcher.people_] == [p.id for p in after]
    # skill rows: the same labels per person (column numbers may differ, so compare label sets)
    def labels(index, row):
        names = {c: label for label, c in index.vocabulary_.items()}
        return {names[c] for c in index.matrix_.tocsr()[row].indices}
    assert all(labels(matcher.skill_index_, r) == labels(fresh.skill_index_, r) for r in range(len(after)))
    # BM25 rows: each changed document weighted with the fitted IDF and average length; new words are not indexed
    rebuilt = old_bm25._weights(old_bm25.vectorizer_.transform([changed.text, added.text]).tocsr()).toarray()
    np.testing.assert_allclose(matcher.bm25_.weights_.toarray()[[7, 80]], rebuilt, rtol=1e-6)
    assert old_skills is matcher.skill_index_ and "terraform" in matcher.skill_index_.vocabulary_


def test_after_an_update_the_ranking_finds_the_person_who_just_gained_the_skill():
    people = _people(200)
    opportunity = OpportunityProfile("o", "Platform", "Run our clusters", (SkillClaim("Terraform", 3),))
    matcher = Matcher(HashingEncoder(), MatchingConfig(candidates=20)).fit(people)
    assert 123 not in {r.id for r in matcher.rank_people(opportunity, top_k=5)}
    gained = PersonProfile(123, "Officer", (*people[123].skills, SkillClaim("Terraform", 4)))
    matcher.update([gained])
    ranked = matcher.rank_people(opportunity, top_k=5)
    assert ranked[0].id == 123
    evidence = ranked[0].match.required_evidence[0]
    assert (evidence.status, evidence.text, evidence.level) == ("met", "Terraform", 4)
