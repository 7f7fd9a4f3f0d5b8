"""Lexical evidence: BM25 against its formula computed by hand, and label coverage."""

from __future__ import annotations

import math

import pytest

from matching.lexical import BM25Index, TermWeights, coverage
from matching.text import sentences, words


def _bm25_by_hand(docs: list[str], query: str, k1: float = 1.5, b: float = 0.75) -> list[float]:
    tokenised = [words(d) for d in docs]
    avgdl = sum(map(len, tokenised)) / len(tokenised)
    out = []
    for doc in tokenised:
        score = 0.0
        for term in set(words(query)):
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


def test_bm25_keeps_word_forms_apart_and_ignores_english_stopwords():
    docs = ["Software developer", "Software development manager", "Which of these would you rather be"]
    index = BM25Index().fit(docs)
    # an unstemmed "developer" asks for developers, not for anyone near development
    developer = index.scores("developer")
    assert developer[0] > 0 and developer[1] == 0.0
    # words such as "which", "these" and "would" say nothing about anyone
    assert list(index.scores("which of these would you be")) == [0.0, 0.0, 0.0]
    assert words("Node.js and C++ for the platform.") == ["node.js", "c++", "platform"]


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
