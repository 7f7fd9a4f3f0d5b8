"""Part scores, evidence and the fit/growth blend, on a deterministic fake encoder."""

from __future__ import annotations

import numpy as np
import pytest

from matching import HashingEncoder, Matcher, MatchingConfig, OpportunityProfile, PersonProfile, SkillClaim


def _vocabulary_encoder() -> HashingEncoder:
    """Hand-built vectors: 'container orchestration' sits close to 'kubernetes'."""
    base = np.eye(8, dtype=np.float32)
    near = base[0] * 0.9 + base[1] * np.sqrt(1 - 0.81)
    vocabulary = {
        "kubernetes": base[0],
        "container orchestration": near,
        "accounting": base[2],
        "people management": base[3],
        "leading teams": base[3] * 0.95 + base[4] * np.sqrt(1 - 0.9025),
    }
    return HashingEncoder(dimension=8, vocabulary=vocabulary)


def _score(person: PersonProfile, opportunity: OpportunityProfile, **config):
    matcher = Matcher(HashingEncoder(), MatchingConfig(**config)).fit([person])
    return matcher.score_people(opportunity, [person])[0].match


KUBE = OpportunityProfile(
    "o1",
    "Platform secondment",
    "Run the container platform.",
    required_skills=(SkillClaim("Kubernetes", 3, aliases=("K8s",)),),
)


def test_exact_alias_match_is_full_credit_and_names_the_evidence():
    person = PersonProfile(1, skills=(SkillClaim("k8s", 4),))
    match = _score(person, KUBE)
    evidence = match.required_evidence[0]
    assert (evidence.status, evidence.source, evidence.text, evidence.credit) == ("met", "alias", "k8s", 1.0)


def test_skill_stated_only_in_summary_counts_as_evidence_with_the_sentence():
    person = PersonProfile(1, summary="Last year I migrated our services to Kubernetes. I enjoy cycling.")
    evidence = _score(person, KUBE).required_evidence[0]
    assert evidence.source == "summary"
    assert evidence.text == "Last year I migrated our services to Kubernetes."
    assert evidence.credit > 0


def test_exact_match_never_loses_to_a_vague_one():
    exact = PersonProfile("exact", skills=(SkillClaim("Kubernetes", 3),))
    vague = PersonProfile("vague", skills=(SkillClaim("Container orchestration", 5),))
    matcher = Matcher(_vocabulary_encoder()).fit([exact, vague])
    ranked = matcher.score_people(KUBE, [vague, exact])
    assert [r.id for r in ranked] == ["exact", "vague"]
    assert ranked[1].match.required_evidence[0].credit < 1.0


@pytest.mark.parametrize(("held", "expected"), [(3, 1.0), (4, 1.0), (2, 0.75), (1, 0.5)])
def test_proficiency_below_minimum_counts_partially(held, expected):
    person = PersonProfile(1, skills=(SkillClaim("Kubernetes", held),))
    evidence = _score(person, KUBE).required_evidence[0]
    assert evidence.credit == pytest.approx(expected)
    assert evidence.status == ("met" if held >= 3 else "partial")


def test_missing_skill_is_reported_as_a_gap():
    person = PersonProfile(1, skills=(SkillClaim("Accounting", 5),))
    match = _score(person, KUBE)
    assert [g.requirement for g in match.gaps] == ["Kubernetes"]
    assert match.required == 0.0


def test_a_gap_the_person_wants_to_develop_counts_toward_growth():
    opportunity = OpportunityProfile(
        "o", "Platform", required_skills=(SkillClaim("Kubernetes", 3),), stretch=0.5
    )
    wants = PersonProfile("wants", skills=(SkillClaim("Accounting", 5),), development_goals=("Kubernetes",))
    indifferent = PersonProfile("indifferent", skills=(SkillClaim("Accounting", 5),), development_goals=("Sailing",))
    matcher = Matcher(_vocabulary_encoder()).fit([wants, indifferent])
    ranked = {r.id: r.match for r in matcher.score_people(opportunity, [wants, indifferent])}
    assert ranked["wants"].fit == pytest.approx(ranked["indifferent"].fit)
    assert ranked["wants"].growth > ranked["indifferent"].growth
    assert ranked["wants"].score > ranked["indifferent"].score
    assert [link.kind for link in ranked["wants"].goals_served] == ["gap"]


def test_development_fit_links_develops_skills_to_goals_semantically():
    opportunity = OpportunityProfile("o", "Lead", develops_skills=(SkillClaim("People management"),))
    person = PersonProfile(1, development_goals=("Leading teams",))
    match = Matcher(_vocabulary_encoder()).fit([person]).score_people(opportunity, [person])[0].match
    assert match.development > 0.5
    assert match.goals_served[0].goal == "Leading teams"


def test_stretch_tolerance_moves_the_blend_from_fit_to_growth():
    person = PersonProfile(1, skills=(SkillClaim("Kubernetes", 3),), development_goals=("Accounting",))
    ready = _score(person, KUBE)
    developmental = _score(person, OpportunityProfile(**{**KUBE.__dict__, "stretch": 1.0}))
    assert ready.score == pytest.approx(0.75 * ready.fit + 0.25 * ready.growth)
    assert developmental.score == pytest.approx(developmental.growth)


def test_a_wish_in_the_summary_is_not_evidence_of_the_skill():
    person = PersonProfile(1, summary="I would like to learn Kubernetes next year. I run the payroll every month.")
    evidence = _score(person, KUBE).required_evidence[0]
    assert evidence.status == "missing"
    assert evidence.text is None


def test_a_required_skill_few_people_list_counts_more_than_one_everyone_lists():
    opportunity = OpportunityProfile(
        "o", "Platform", required_skills=(SkillClaim("Kubernetes", 3), SkillClaim("Accounting", 3))
    )
    rare = PersonProfile("rare", skills=(SkillClaim("Kubernetes", 3),))
    common = PersonProfile("common", skills=(SkillClaim("Accounting", 3),))
    others = [PersonProfile(f"other{n}", skills=(SkillClaim("Accounting", 2),)) for n in range(6)]
    matcher = Matcher(_vocabulary_encoder()).fit([rare, common, *others])
    ranked = {r.id: r.match for r in matcher.score_people(opportunity, [rare, common])}
    # one of the eight people lists Kubernetes, seven list Accounting
    weights = np.log1p(8 / np.array([1 + 1, 7 + 1])) ** MatchingConfig().rarity_exponent
    weights = weights * 2 / weights.sum()
    assert [e.weight for e in ranked["rare"].required_evidence] == pytest.approx(weights)
    for match in ranked.values():
        credits = np.array([e.credit for e in match.required_evidence])
        assert match.required == pytest.approx(float(credits @ weights / weights.sum()))
    assert ranked["rare"].required > ranked["common"].required
    assert ranked["rare"].required_evidence[0].weight > 1 > ranked["rare"].required_evidence[1].weight


def test_without_rarity_weighting_every_required_skill_counts_alike():
    opportunity = OpportunityProfile(
        "o", "Platform", required_skills=(SkillClaim("Kubernetes", 3), SkillClaim("Accounting", 3))
    )
    people = [PersonProfile("a", skills=(SkillClaim("Kubernetes", 3),)), PersonProfile("b", skills=(SkillClaim("Accounting", 3),))]
    people += [PersonProfile(f"other{n}", skills=(SkillClaim("Accounting", 2),)) for n in range(6)]
    matcher = Matcher(_vocabulary_encoder(), MatchingConfig(rarity_exponent=0.0)).fit(people)
    ranked = {r.id: r.match for r in matcher.score_people(opportunity, people[:2])}
    assert ranked["a"].required == pytest.approx(ranked["b"].required) == pytest.approx(0.5)
    assert {e.weight for e in ranked["a"].required_evidence} == {1.0}


def test_whole_profile_similarity_keeps_close_candidates_apart():
    # both profiles are closer than the evidence ceiling (cosine 0.80), yet one is plainly closer
    base = np.eye(4, dtype=np.float32)
    encoder = HashingEncoder(dimension=4, vocabulary={
        "platform engineer": base[0],
        "infrastructure engineer": base[0] * 0.85 + base[1] * np.sqrt(1 - 0.85**2),
    })
    same = PersonProfile("same", job_title="Platform engineer")
    near = PersonProfile("near", job_title="Infrastructure engineer")
    opportunity = OpportunityProfile("o", "Platform engineer")
    config = MatchingConfig()
    ranked = Matcher(encoder, config).fit([near, same]).score_people(opportunity, [near, same])
    assert [r.id for r in ranked] == ["same", "near"]
    semantic = {r.id: r.match.profile_semantic for r in ranked}
    expected = (0.85 - config.profile_cosine_floor) / (config.profile_cosine_ceiling - config.profile_cosine_floor)
    assert semantic == pytest.approx({"same": 1.0, "near": expected}, abs=1e-5)


FOCUS = OpportunityProfile(
    "o",
    "Platform secondment",
    required_skills=(SkillClaim("Kubernetes", 3, aliases=("K8s",)),),
    develops_skills=(SkillClaim("People management"),),
)


def test_focus_is_the_share_of_listed_skills_the_secondment_asks_for_or_develops():
    focused = PersonProfile("focused", skills=(SkillClaim("k8s", 3), SkillClaim("People management", 2)))
    # "Leading teams" is close to "people management" but only exact labels and aliases count
    neighbour = PersonProfile("neighbour", skills=(SkillClaim("Kubernetes", 3), SkillClaim("Leading teams", 4)))
    matcher = Matcher(_vocabulary_encoder()).fit([focused, neighbour])
    ranked = {r.id: r.match for r in matcher.score_people(FOCUS, [focused, neighbour])}
    assert ranked["focused"].focus == 1.0
    assert ranked["neighbour"].focus == 0.5
    assert ranked["focused"].required == ranked["neighbour"].required == 1.0
    assert ranked["focused"].parts()["focus"] == 1.0


def test_focus_weighs_in_fit_and_counts_only_when_skills_are_listed():
    config = MatchingConfig()
    person = PersonProfile("p", skills=(SkillClaim("Kubernetes", 3), SkillClaim("Accounting", 2)))
    match = _score(person, FOCUS)
    expected = (config.weight_profile * match.profile + config.weight_required * match.required
                + config.weight_focus * match.focus) / (config.weight_profile + config.weight_required + config.weight_focus)
    assert match.focus == 0.5
    assert match.fit == pytest.approx(expected)
    # no listed skills says nothing about focus: the part is left out, not counted as zero
    prose_only = _score(PersonProfile("q", summary="I run Kubernetes clusters for our teams."), FOCUS)
    assert prose_only.focus is None
    expected = (config.weight_profile * prose_only.profile + config.weight_required * prose_only.required) / (
        config.weight_profile + config.weight_required)
    assert prose_only.fit == pytest.approx(expected)


def test_among_equal_coverage_the_focused_person_ranks_first():
    focused = PersonProfile("focused", skills=(SkillClaim("Kubernetes", 3), SkillClaim("People management", 3)))
    neighbour = PersonProfile("neighbour", skills=(SkillClaim("Kubernetes", 3), SkillClaim("Accounting", 3)))
    matcher = Matcher(_vocabulary_encoder(), MatchingConfig(weight_profile=0.0)).fit([focused, neighbour])
    assert [r.id for r in matcher.score_people(FOCUS, [neighbour, focused])] == ["focused", "neighbour"]
    unfocused = Matcher(_vocabulary_encoder(), MatchingConfig(weight_profile=0.0, weight_focus=0.0)).fit([focused, neighbour])
    fits = {r.id: r.match.fit for r in unfocused.score_people(FOCUS, [neighbour, focused])}
    assert fits["focused"] == pytest.approx(fits["neighbour"])
