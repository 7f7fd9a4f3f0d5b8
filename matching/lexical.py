"""Lexical evidence: how much of a skill label's wording appears in a text, IDF-weighted."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import numpy as np
from scipy import sparse

from matching.text import token_set, words


class TermWeights:
    """Inverse document frequencies learnt from a corpus of profile texts.

    ``idf(t) = log(1 + (N - df + 0.5) / (df + 0.5))`` (the BM25 form), so rare words
    ("kubernetes") weigh more than common ones ("management").
    """

    def __init__(self, default_idf: float = 3.0):
        self.default_idf = default_idf
        self.document_count_ = 0
        self.document_frequency_: Counter[str] = Counter()
        self._idf: dict[str, float] = {}

    def fit(self, documents: Iterable[str]) -> TermWeights:
        """Count in how many documents each token occurs."""
        for document in documents:
            self.document_count_ += 1
            self.document_frequency_.update(token_set(document))
        self._idf.clear()
        return self

    def idf(self, token: str) -> float:
        """Inverse document frequency of a (stemmed) token; unseen tokens get ``default_idf``."""
        cached = self._idf.get(token)
        if cached is None:
            df = self.document_frequency_.get(token)
            if df is None or self.document_count_ == 0:
                cached = self.default_idf
            else:
                n = self.document_count_
                cached = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
            self._idf[token] = cached
        return cached


def coverage(query: str, text: str, weights: TermWeights) -> float:
    """Share (0-1) of the query's IDF weight whose tokens appear in ``text``."""
    query_tokens = token_set(query)
    if not query_tokens:
        return 0.0
    text_tokens = token_set(text)
    total = sum(weights.idf(t) for t in query_tokens)
    found = sum(weights.idf(t) for t in query_tokens & text_tokens)
    return found / total if total else 0.0


class BM25Index:
    """Okapi BM25 over whole profile texts, as one sparse matrix (people x terms).

    Terms are unstemmed words without English stopwords (``matching.text.words``); the
    evidence coverage above keeps stemming, where word forms of one skill should meet.

    ``score(d, q) = sum over terms t in q of idf(t) * tf(t,d) * (k1 + 1) / (tf(t,d) + k1 * (1 - b + b * |d| / avgdl))``;
    the per-document weights are precomputed, so scoring a query is one sparse product.
    """

    def __init__(self, k1: float = 1.5, b: float = 0.75):
        self.k1 = k1
        self.b = b

    def fit(self, documents: Iterable[str]) -> BM25Index:
        """Precompute the BM25 weight of every term in every document."""
        from sklearn.feature_extraction.text import CountVectorizer

        documents = list(documents)
        self.vectorizer_ = CountVectorizer(analyzer=words, dtype=np.float32)
        try:
            counts = self.vectorizer_.fit_transform(documents).tocsr()
        except ValueError:  # no document has a single content word
            self.vectorizer_ = None
            self.document_count_ = len(documents)
            return self
        n = counts.shape[0]
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        average = lengths.mean() if n else 1.0
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf_ = np.log1p((n - document_frequency + 0.5) / (document_frequency + 0.5)).astype(np.float32)
        self.average_length_ = max(average, 1e-9)
        # column-major, so a query reads only the columns of its own terms
        self.weights_ = self._weights(counts).tocsc()
        return self

    def _weights(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """BM25 weights of term counts (documents x vocabulary), with the fitted IDF and average length."""
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        norms = self.k1 * (1 - self.b + self.b * lengths / self.average_length_)
        weights = counts.copy()
        row_of_value = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        tf = counts.data
        weights.data = (tf * (self.k1 + 1) / (tf + norms[row_of_value])) * self.idf_[counts.indices]
        return weights

    def set_rows(self, rows: np.ndarray, documents: list[str]) -> None:
        """Replace the given documents (appending rows past the end), with the fitted vocabulary and IDF.

        Words the fitted vocabulary lacks are not searchable until the next ``fit``.
        """
        if self.vectorizer_ is None:
            self.document_count_ = max(self.document_count_, int(rows.max()) + 1)
            return
        current = self.weights_.tocsr()
        total = max(current.shape[0], int(rows.max()) + 1)
        replaced = np.zeros(total, dtype=bool)
        replaced[rows] = True
        kept = current.tocoo()
        keep = ~replaced[kept.row]
        new = self._weights(self.vectorizer_.transform(documents).tocsr()).tocoo()
        self.weights_ = sparse.csc_matrix(
            (np.concatenate([kept.data[keep], new.data]),
             (np.concatenate([kept.row[keep], rows[new.row]]), np.concatenate([kept.col[keep], new.col]))),
            shape=(total, current.shape[1]),
        )

    def scores(self, query: str, *, max_terms: int | None = None) -> np.ndarray:
        """BM25 score of every document for ``query`` (n,).

        ``max_terms`` keeps only the query's rarest terms (query pruning): retrieval gets
        nearly the same candidates for a fraction of the work.
        """
        if self.vectorizer_ is None:
            return np.zeros(self.document_count_, dtype=np.float32)
        vocabulary = self.vectorizer_.vocabulary_
        columns = sorted({vocabulary[t] for t in set(words(query)) if t in vocabulary})
        if max_terms is not None and len(columns) > max_terms:
            columns = sorted(sorted(columns, key=lambda c: -self.idf_[c])[:max_terms])
        if not columns:
            return np.zeros(self.weights_.shape[0], dtype=np.float32)
        return np.asarray(self.weights_[:, columns].sum(axis=1)).ravel()
