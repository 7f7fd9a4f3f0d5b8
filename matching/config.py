"""Weights and thresholds of the score; the marketplace passes these from its config."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

# Stretch tolerance chosen by the host, as the weight of growth in the blended score.
STRETCH_LEVELS = {"ready_now": 0.1, "some_stretch": 0.3, "developmental": 0.5}


@dataclass(frozen=True)
class MatchingConfig:
    """Every number the score uses. Parts of *fit* are weighted; evidence is fused noisy-or."""

    # fit = weighted mean of the parts that apply to this secondment
    weight_required: float = 0.60
    weight_nice_to_have: float = 0.20
    weight_profile: float = 1.00
    # share of the person's listed skills that the secondment asks for or develops (exact
    # label or alias): among people of closely related occupations, who cover the required
    # skills alike, it prefers the one whose skills are this work rather than a neighbour's
    weight_focus: float = 0.30
    # a required skill few people in the pool list counts more in required coverage:
    # weight = log(1 + people / (holders + 1)) ** rarity_exponent (0 counts every skill alike)
    rarity_exponent: float = 3.0
    # whole-profile similarity mixes embedding cosine and BM25 (normalised to the best candidate)
    profile_lexical_share: float = 0.5
    # whole-profile cosine -> similarity, linear from floor (0) to ceiling (1). Profiles are
    # means of many short texts, so close candidates all sit above the evidence ceiling
    # below; a range of their own keeps the best candidates apart
    profile_cosine_floor: float = 0.55
    profile_cosine_ceiling: float = 1.00
    # cosine similarity -> evidence strength: 0 at or below floor, 1 at or above ceiling
    cosine_floor: float = 0.45
    cosine_ceiling: float = 0.80
    # evidence that is not an exact label or alias match never reaches full credit,
    # so an exact match always outranks a vague one
    inexact_cap: float = 0.95
    # lexical evidence enters the noisy-or fusion scaled by this factor
    lexical_weight: float = 0.8
    # prose in a summary is weaker evidence than a listed skill
    sentence_discount: float = 0.9
    # each level short of the minimum removes this share of the credit
    level_shortfall_penalty: float = 0.25
    # a level the text cannot tell (prose evidence) counts as this share
    unknown_level_credit: float = 0.75
    # thresholds for explanations
    met_threshold: float = 0.8
    partial_threshold: float = 0.3
    # how alike something offered and a development goal must be to count as serving it
    goal_threshold: float = 0.5
    # retrieval: how many candidates the vector and skill indexes each propose for rerank
    candidates: int = 200
    # BM25 retrieval uses only this many of the secondment's rarest words
    retrieval_terms: int = 12

    def with_overrides(self, **overrides: float) -> MatchingConfig:
        """A copy with some values changed (unknown names raise TypeError)."""
        return replace(self, **overrides)

    def as_dict(self) -> dict:
        return asdict(self)
