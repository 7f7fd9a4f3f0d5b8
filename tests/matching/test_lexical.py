"""Lexical evidence: BM25 against its formula computed by hand, and label coverage."""

from __future__ import annotations

import math

import pytest

from matching.lexical import BM25Index, TermWeights, coverage
from matching.text import sentences, tokens


def _bm25_by_hand(docs: list[str], query: str, k1: float = 1.5, b: float = 0.75) -> list[float]:
    tokenised = [tokens(d) for d in docs]
    avgdl = sum(map(len, tokenised)) / len(tokenised)
    out = []
    for doc in tokenised:
        score = 0.0
        for term in set(tokens(query)):
            df = sum(term in d for d in tokenised)
            tf = doc.count(term)
            if tf:
                idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(doc) / avgdl))
        out.append(score)
    return out


def test_bm25_matches_the_formula():
    docs = [
        "Kubernetes platform engineer running Kubernetes clusters",
        "Management accountant, budgeting and forecasting",
        "Python developer who also manages a small platform",
        "",
    ]
    query = "kubernetes platform budgeting"
    assert list(BM25Index().fit(docs).scores(query)) == pytest.approx(_bm25_by_hand(docs, query), rel=1e-5)


def test_bm25_on_documents_without_words_scores_zero():
    assert list(BM25Index().fit(["", "the and"]).scores("python")) == [0.0, 0.0]


def test_coverage_weighs_rare_words_more():
    weights = TermWeights().fit(["project management"] * 20 + ["kubernetes"])
    assert coverage("kubernetes management", "I know kubernetes", weights) > coverage(
        "kubernetes management", "I like management", weights
    )


def test_light_stemming_lets_word_forms_meet():
    weights = TermWeights()
    assert coverage("manage budgets", "I managed the budget", weights) == 1.0


def test_sentences_split_prose_and_drop_fragments():
    assert sentences("I run clusters. Ok. I also mentor juniors!\n- Negotiated supplier contracts") == [
        "I run clusters.",
        "I also mentor juniors!",
        "Negotiated supplier contracts",
    ]
