"""Part scores for one person and one secondment, each with its evidence.

Inputs are texts and a ``vector`` lookup (text -> unit vector) filled beforehand, so that
scoring never calls the model and a batch encodes each distinct text once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from matching.config import MatchingConfig
from matching.lexical import TermWeights, coverage
from matching.profiles import OpportunityProfile, PersonProfile, SkillClaim
from matching.text import is_aspiration, normalise, sentences

VectorLookup = Callable[[str], np.ndarray]


@dataclass(frozen=True)
class Evidence:
    """Why a requirement counts as met: the person's skill or sentence that matched it."""

    requirement: str
    required_level: int | None
    status: str  # "met", "partial" or "missing"
    credit: float  # 0-1, strength times proficiency
    strength: float  # 0-1, how well the text matches
    source: str | None = None  # "skill", "alias" or "summary"
    text: str | None = None  # the person's skill name or sentence
    level: int | None = None  # the person's level, when a listed skill matched
    weight: float = 1.0  # how much it counts in the coverage; above 1 for a skill few people have


@dataclass(frozen=True)
class GoalLink:
    """A development goal of the person served by something the secondment offers."""

    goal: str
    offered: str
    strength: float
    kind: str  # "develops" or "gap" (a required skill they lack but want)


@dataclass
class MatchScore:
    """All parts of one match, with the evidence behind them."""

    required: float | None
    nice_to_have: float | None
    development: float
    profile: float
    fit: float
    growth: float
    score: float
    required_evidence: list[Evidence] = field(default_factory=list)
    nice_evidence: list[Evidence] = field(default_factory=list)
    goals_served: list[GoalLink] = field(default_factory=list)
    profile_semantic: float = 0.0
    profile_lexical: float | None = None
    focus: float | None = None  # share of the listed skills the secondment asks for or develops

    @property
    def gaps(self) -> list[Evidence]:
        return [e for e in self.required_evidence if e.status != "met"]

    def parts(self) -> dict[str, float | None]:
        return {
            "required": self.required,
            "nice_to_have": self.nice_to_have,
            "development": self.development,
            "profile": self.profile,
            "focus": self.focus,
            "fit": self.fit,
            "growth": self.growth,
            "score": self.score,
        }


def calibrate(cosine: np.ndarray | float, config: MatchingConfig) -> np.ndarray | float:
    """Map cosine similarity to evidence strength in [0, 1] (linear between floor and ceiling)."""
    return _linear(cosine, config.cosine_floor, config.cosine_ceiling)


def profile_similarity(cosine: float, config: MatchingConfig) -> float:
    """Map whole-profile cosine to [0, 1] over its own range (``profile_cosine_floor`` to ``_ceiling``)."""
    return float(_linear(cosine, config.profile_cosine_floor, config.profile_cosine_ceiling))


def _linear(cosine: np.ndarray | float, floor: float, ceiling: float) -> np.ndarray | float:
    return np.clip((np.asarray(cosine) - floor) / (ceiling - floor), 0.0, 1.0)


def rarity_weights(holders: Sequence[int], people: int, exponent: float) -> np.ndarray:
    """Weight of each required skill, ``log(1 + people / (holders + 1)) ** exponent``, mean 1.

    A skill nearly everyone lists says little about who fits; one few people list says a lot.
    """
    raw = np.log1p(people / (np.asarray(holders, dtype=float) + 1.0)) ** exponent
    total = raw.sum()
    return raw * len(raw) / total if total > 0 else np.ones(len(raw))


def profile_parts(person: PersonProfile) -> list[str]:
    """The short texts whose vectors, averaged, stand for the whole person."""
    return [t for t in (person.job_title, *(s.name for s in person.skills), *sentences(person.summary)) if t]


def opportunity_parts(opportunity: OpportunityProfile) -> list[str]:
    """The short texts whose vectors, averaged, stand for the whole secondment."""
    claims = (*opportunity.required_skills, *opportunity.nice_to_have_skills, *opportunity.develops_skills)
    return [t for t in (opportunity.title, *sentences(opportunity.description), *(c.name for c in claims)) if t]


def composed_vector(parts: Sequence[str], vector: VectorLookup) -> np.ndarray:
    """Unit-length mean of the parts' vectors (zero when there are none).

    Short texts embed well and are shared between people (skill names), so composing a
    profile from them is both faster and free of the model's 256-token truncation.
    """
    if not parts:
        return np.zeros_like(vector(""))
    mean = np.mean([vector(t) for t in parts], axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm > 0 else mean.astype(np.float32)


def texts_for(person: PersonProfile) -> list[str]:
    """Every text of a person that scoring looks up a vector for."""
    return list(dict.fromkeys([*profile_parts(person), *person.development_goals]))


def texts_for_opportunity(opportunity: OpportunityProfile) -> list[str]:
    """Every text of a secondment that scoring looks up a vector for."""
    return list(dict.fromkeys(opportunity_parts(opportunity)))


class PairScorer:
    """Scores people against one secondment; reuse it for every candidate of that secondment."""

    def __init__(
        self,
        opportunity: OpportunityProfile,
        vector: VectorLookup,
        term_weights: TermWeights,
        config: MatchingConfig,
        requirement_weights: Sequence[float] | None = None,
    ):
        """``requirement_weights`` (one per required skill, see ``rarity_weights``) default to equal."""
        self.opportunity = opportunity
        count = len(opportunity.required_skills)
        weights = np.ones(count) if requirement_weights is None else np.asarray(requirement_weights, dtype=float)
        if weights.shape != (count,):
            raise ValueError("requirement_weights needs one weight per required skill")
        self.requirement_weights = weights
        self.vector = vector
        self.terms = term_weights
        self.config = config
        self._opportunity_vector = composed_vector(opportunity_parts(opportunity), vector)
        claims = (*opportunity.required_skills, *opportunity.nice_to_have_skills, *opportunity.develops_skills)
        self._offered_labels = frozenset(label for claim in claims for label in _labels(claim))

    def score(self, person: PersonProfile, lexical_profile: float | None = None) -> MatchScore:
        """All part scores of ``person``; ``lexical_profile`` is their BM25 share (0-1), if known."""
        cfg = self.config
        evidence_texts = _EvidencePool(person, self.vector)
        required = [
            replace(self._evidence(claim, evidence_texts, use_level=True), weight=float(weight))
            for claim, weight in zip(self.opportunity.required_skills, self.requirement_weights)
        ]
        nice = [self._evidence(claim, evidence_texts, use_level=False) for claim in self.opportunity.nice_to_have_skills]
        required_score = _weighted_mean(required)
        nice_score = _mean(e.credit for e in nice)
        person_vector = composed_vector(profile_parts(person), self.vector)
        semantic_profile = profile_similarity(float(self._opportunity_vector @ person_vector), cfg)
        profile = semantic_profile
        if lexical_profile is not None:
            share = cfg.profile_lexical_share
            profile = (1.0 - share) * semantic_profile + share * lexical_profile

        focus = self.focus(person)
        parts = (
            (cfg.weight_profile, profile),
            (cfg.weight_required, required_score),
            (cfg.weight_nice_to_have, nice_score),
            (cfg.weight_focus, focus),
        )
        weighted = [(w, v) for w, v in parts if v is not None]
        fit = sum(w * v for w, v in weighted) / sum(w for w, _ in weighted)

        development, growth, links = self._growth(person, required)
        stretch = min(max(self.opportunity.stretch, 0.0), 1.0)
        score = (1.0 - stretch) * fit + stretch * growth
        return MatchScore(
            required=required_score,
            nice_to_have=nice_score,
            development=development,
            profile=profile,
            fit=fit,
            growth=growth,
            score=score,
            required_evidence=required,
            nice_evidence=nice,
            goals_served=links,
            profile_semantic=semantic_profile,
            profile_lexical=lexical_profile,
            focus=focus,
        )

    def focus(self, person: PersonProfile) -> float | None:
        """Share of the person's listed skills that this secondment asks for or develops (None if they list none).

        Only exact labels and aliases count: a near neighbour of every skill would make
        everyone in a related occupation look focused.
        """
        if not person.skills:
            return None
        return sum(1 for held in person.skills if _labels(held) & self._offered_labels) / len(person.skills)

    def _evidence(self, claim: SkillClaim, pool: _EvidencePool, *, use_level: bool) -> Evidence:
        cfg = self.config
        labels = _labels(claim)
        for held in pool.person.skills:
            if labels & _labels(held):
                source = "skill" if normalise(held.name) == normalise(claim.name) else "alias"
                factor = self._level_factor(claim.level, held.level) if use_level else 1.0
                return self._make(claim, 1.0, factor, source, held.name, held.level)

        best: Evidence | None = None
        if pool.texts:
            semantic = calibrate(pool.matrix @ self.vector(claim.name), cfg)
            for index, text in enumerate(pool.texts):
                # a catalogue alias written out in prose is as good as the label
                lexical = max(coverage(label, text, self.terms) for label in (claim.name, *claim.aliases))
                strength = 1.0 - (1.0 - float(semantic[index])) * (1.0 - cfg.lexical_weight * lexical)
                strength = min(strength, cfg.inexact_cap)
                is_skill = index < pool.skill_count
                if is_skill:
                    held = pool.person.skills[index]
                    factor = self._level_factor(claim.level, held.level) if use_level else 1.0
                    candidate = self._make(claim, strength, factor, "skill", held.name, held.level)
                else:
                    strength *= cfg.sentence_discount
                    factor = cfg.unknown_level_credit if (use_level and claim.level) else 1.0
                    candidate = self._make(claim, strength, factor, "summary", text, None)
                if best is None or candidate.credit > best.credit:
                    best = candidate
        if best is None or best.strength < cfg.partial_threshold:
            return Evidence(claim.name, claim.level if use_level else None, "missing", 0.0, 0.0)
        return best

    def _make(self, claim, strength, factor, source, text, level) -> Evidence:
        cfg = self.config
        credit = strength * factor
        # a clear match below the asked level is only partly met, whatever its credit
        if credit >= cfg.met_threshold and factor >= 1.0:
            status = "met"
        elif credit >= cfg.partial_threshold:
            status = "partial"
        else:
            status = "missing"
        return Evidence(claim.name, claim.level, status, credit, strength, source, text, level)

    def _level_factor(self, required: int | None, held: int | None) -> float:
        if required is None:
            return 1.0
        if held is None:
            return self.config.unknown_level_credit
        shortfall = max(0, required - held)
        return max(0.0, 1.0 - self.config.level_shortfall_penalty * shortfall)

    def _growth(self, person: PersonProfile, required: Sequence[Evidence]) -> tuple[float, float, list[GoalLink]]:
        """Development fit (what the secondment develops vs the person's goals) and growth."""
        goals = list(person.development_goals)
        if not goals:
            return 0.0, 0.0, []
        goal_matrix = np.stack([self.vector(g) for g in goals])
        links: list[GoalLink] = []

        def goal_match(offered: str) -> tuple[float, str]:
            semantic = calibrate(goal_matrix @ self.vector(offered), self.config)
            # both ways round, so one shared word ("learning") does not make two things alike
            lexical = np.array(
                [np.sqrt(coverage(offered, g, self.terms) * coverage(g, offered, self.terms)) for g in goals]
            )
            fused = 1.0 - (1.0 - semantic) * (1.0 - self.config.lexical_weight * lexical)
            best = int(np.argmax(fused))
            # a loose resemblance is no progress toward a goal: below the threshold it counts as none
            strength = float(fused[best]) if fused[best] >= self.config.goal_threshold else 0.0
            return strength, goals[best]

        develops_strengths = []
        for claim in self.opportunity.develops_skills:
            strength, goal = goal_match(claim.name)
            develops_strengths.append(strength)
            if strength > 0:
                links.append(GoalLink(goal, claim.name, strength, "develops"))
        development = float(np.mean(develops_strengths)) if develops_strengths else 0.0

        # A required skill the person lacks but wants is growth, weighted by how much they lack it.
        gap_weight, gap_value = 0.0, 0.0
        for evidence in required:
            lacking = 1.0 - evidence.credit
            if lacking <= 0:
                continue
            strength, goal = goal_match(evidence.requirement)
            gap_weight += lacking
            gap_value += lacking * strength
            if strength > 0:
                links.append(GoalLink(goal, evidence.requirement, strength, "gap"))
        total_weight = len(develops_strengths) + gap_weight
        growth = (sum(develops_strengths) + gap_value) / total_weight if total_weight else 0.0
        links.sort(key=lambda link: -link.strength)
        return development, float(growth), links


class _EvidencePool:
    """A person's listed skills followed by their summary sentences, with a vector matrix."""

    def __init__(self, person: PersonProfile, vector: VectorLookup):
        self.person = person
        self.skill_count = len(person.skills)
        # wishes ("I would like to learn SQL") are goals, not evidence of a skill
        said = [s for s in sentences(person.summary) if not is_aspiration(s)]
        self.texts = [s.name for s in person.skills] + said
        self.matrix = np.stack([vector(t) for t in self.texts]) if self.texts else None


def _labels(claim: SkillClaim) -> set[str]:
    """The normalised name and aliases of a skill, the forms an exact match compares."""
    return {normalise(claim.name), *(normalise(a) for a in claim.aliases)}


def _weighted_mean(evidence: Sequence[Evidence]) -> float | None:
    total = sum(e.weight for e in evidence)
    return sum(e.weight * e.credit for e in evidence) / total if total > 0 else None


def _mean(values) -> float | None:
    values = list(values)
    return float(np.mean(values)) if values else None
