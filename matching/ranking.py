"""Ranking both ways: people for a secondment, secondments for a person, with explanations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matching.config import MatchingConfig
from matching.encoder import CachedEncoder, Encoder
from matching.lexical import BM25Index, TermWeights
from matching.profiles import OpportunityProfile, PersonProfile
from matching.retrieval import SkillLabelIndex, VectorIndex, top_positive
from matching.scoring import (
    MatchScore,
    PairScorer,
    composed_vector,
    opportunity_parts,
    profile_parts,
    rarity_weights,
    texts_for,
    texts_for_opportunity,
)


@dataclass
class RankedMatch:
    """One row of a ranking: who or what, at which rank, with every part score and its evidence."""

    id: Any
    rank: int
    match: MatchScore

    @property
    def score(self) -> float:
        return self.match.score


class Matcher:
    """Retrieve-then-rerank matcher over a fixed pool of people.

    ``fit`` encodes the people's texts once (through a cache, so unchanged texts are
    never encoded twice); ``rank_people`` retrieves candidates from the profile vectors
    and the skill-label index, then reranks them with the full part scores.
    """

    def __init__(self, encoder: Encoder, config: MatchingConfig | None = None, *, vector_dtype: str = "float32"):
        self.encoder = encoder if isinstance(encoder, CachedEncoder) else CachedEncoder(encoder)
        self.config = config or MatchingConfig()
        self.vector_dtype = vector_dtype

    def fit(self, people: Sequence[PersonProfile], profile_vectors: np.ndarray | None = None) -> Matcher:
        """Index ``people``; pass ``profile_vectors`` (n, d) when they are already stored."""
        self.people_ = list(people)
        self.positions_ = {p.id: i for i, p in enumerate(self.people_)}
        if profile_vectors is None:
            self.prepare(t for p in self.people_ for t in profile_parts(p))
            profile_vectors = np.stack([composed_vector(profile_parts(p), self.vector) for p in self.people_])
        self.vector_index_ = VectorIndex(profile_vectors, dtype=self.vector_dtype)
        self.skill_index_ = SkillLabelIndex(self.people_)
        self.term_weights_ = TermWeights().fit(p.text for p in self.people_)
        self.bm25_ = BM25Index().fit(p.text for p in self.people_)
        return self

    def update(self, people: Sequence[PersonProfile]) -> Matcher:
        """Replace the profiles of people already in the pool and add new ones, without a full ``fit``.

        The pool's statistics (IDF weights, average text length, skill rarity) stay as fitted: a
        few changed profiles barely move them, and refitting 100,000 people takes seconds. Refit
        when a large share of the pool has changed.
        """
        people = list({p.id: p for p in people}.values())  # the last profile of each id wins
        if not people:
            return self
        self.prepare(t for p in people for t in profile_parts(p))
        rows = []
        for person in people:
            row = self.positions_.get(person.id)
            if row is None:
                row = self.positions_[person.id] = len(self.people_)
                self.people_.append(person)
            else:
                self.people_[row] = person
            rows.append(row)
        rows = np.asarray(rows)
        self.vector_index_.set_rows(rows, np.stack([composed_vector(profile_parts(p), self.vector) for p in people]))
        self.skill_index_.set_rows(rows, people)
        self.bm25_.set_rows(rows, [p.text for p in people])
        return self

    def vector(self, text: str) -> np.ndarray:
        """The unit vector of one text (cached)."""
        return self.encoder.vector(text)

    def prepare(self, texts: Iterable[str]) -> None:
        """Encode many texts in one batch ahead of scoring."""
        self.encoder.encode(list(dict.fromkeys(texts)))

    def candidates(self, opportunity: OpportunityProfile, *, eligible: set | None = None) -> np.ndarray:
        """Row indices proposed for rerank: best by profile vector plus best by listed skills."""
        mask = None
        if eligible is not None:
            mask = np.fromiter((p.id in eligible for p in self.people_), dtype=bool, count=len(self.people_))
        k = self.config.candidates
        self.prepare(opportunity_parts(opportunity))
        query = composed_vector(opportunity_parts(opportunity), self.vector)
        by_vector = self.vector_index_.top_k(query, k, mask=mask)
        claims = (*opportunity.required_skills, *opportunity.nice_to_have_skills)
        by_skill = top_positive(self._masked(self.skill_index_.scores(claims), mask), k)
        lexical = self.bm25_.scores(opportunity.text, max_terms=self.config.retrieval_terms)
        by_words = top_positive(self._masked(lexical, mask), k)
        return np.unique(np.concatenate([by_vector, by_skill, by_words]))

    @staticmethod
    def _masked(scores: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
        return scores if mask is None else np.where(mask, scores, 0.0)

    def rank_people(
        self, opportunity: OpportunityProfile, *, top_k: int = 50, eligible: set | None = None
    ) -> list[RankedMatch]:
        """The ``top_k`` people for ``opportunity``, best first, each explained."""
        rows = self.candidates(opportunity, eligible=eligible)
        people = [self.people_[i] for i in rows]
        return self.score_people(opportunity, people)[:top_k]

    def score_people(self, opportunity: OpportunityProfile, people: Sequence[PersonProfile]) -> list[RankedMatch]:
        """Full part scores for the given people (who must be in the fitted pool), ranked."""
        self.prepare([*texts_for_opportunity(opportunity), *(t for p in people for t in texts_for(p))])
        lexical = self.bm25_.scores(opportunity.text)[[self.positions_[p.id] for p in people]]
        lexical = _share_of_best(lexical)
        scorer = PairScorer(opportunity, self.vector, self.term_weights_, self.config, self.rarity(opportunity))
        scored = [(person.id, scorer.score(person, float(x))) for person, x in zip(people, lexical)]
        return _ranked(scored)

    def rarity(self, opportunity: OpportunityProfile) -> np.ndarray | None:
        """Weights of the required skills by how few people in the pool list them (None before ``fit``)."""
        index = getattr(self, "skill_index_", None)
        if index is None:
            return None
        holders = [index.holders(claim) for claim in opportunity.required_skills]
        return rarity_weights(holders, len(self.people_), self.config.rarity_exponent)

    def rank_opportunities(
        self, person: PersonProfile, opportunities: Sequence[OpportunityProfile], *, top_k: int | None = None
    ) -> list[RankedMatch]:
        """Secondments for one person, best first; every one is scored in full."""
        self.prepare([*texts_for(person), *(t for o in opportunities for t in texts_for_opportunity(o))])
        texts = [o.text for o in opportunities]
        weights = getattr(self, "term_weights_", None) or TermWeights().fit(texts)
        lexical = _share_of_best(BM25Index().fit(texts).scores(person.text)) if texts else []
        scored = [
            (o.id, PairScorer(o, self.vector, weights, self.config, self.rarity(o)).score(person, float(x)))
            for o, x in zip(opportunities, lexical)
        ]
        ranked = _ranked(scored)
        return ranked if top_k is None else ranked[:top_k]


def _share_of_best(scores: np.ndarray) -> np.ndarray:
    """Scores divided by the best one, so the best candidate has 1 (all zeros stay zeros)."""
    best = float(scores.max()) if len(scores) else 0.0
    return scores / best if best > 0 else np.zeros_like(scores)


def _ranked(scored: list[tuple[Any, MatchScore]]) -> list[RankedMatch]:
    # ties broken by fit, then by id, so that a ranking is reproducible
    scored.sort(key=lambda item: (-item[1].score, -item[1].fit, str(item[0])))
    return [RankedMatch(id=i, rank=n, match=m) for n, (i, m) in enumerate(scored, start=1)]
