"""Candidate generation over precomputed vectors and skill labels (the "retrieve" of retrieve-then-rerank)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from matching.profiles import PersonProfile, SkillClaim
from matching.text import normalise


class VectorIndex:
    """People's profile vectors as one in-memory matrix; top-k by dot product.

    ``dtype`` may be float32 (default) or float16, which halves memory (1,000,000 x 384
    vectors take 768 MB) at the cost of converting each chunk before the product.
    """

    def __init__(self, vectors: np.ndarray, *, dtype: str = "float32", chunk_rows: int = 131_072):
        if vectors.ndim != 2:
            raise ValueError("vectors must be a 2-D array (n, d)")
        self.dtype = np.dtype(dtype)
        self.vectors_ = np.ascontiguousarray(vectors, dtype=self.dtype)
        self.chunk_rows = chunk_rows

    def __len__(self) -> int:
        return self.vectors_.shape[0]

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Dot product of every row with ``query`` (d,), as float32 (n,)."""
        query = np.asarray(query, dtype=np.float32)
        if self.dtype == np.float32:
            return self.vectors_ @ query
        out = np.empty(len(self), dtype=np.float32)
        for start in range(0, len(self), self.chunk_rows):
            block = self.vectors_[start : start + self.chunk_rows].astype(np.float32)
            out[start : start + len(block)] = block @ query
        return out

    def set_rows(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        """Overwrite the given rows with ``vectors`` (len(rows), d); rows at or past the end are appended."""
        grow = int(rows.max()) + 1 - len(self) if len(rows) else 0
        if grow > 0:
            extra = np.zeros((grow, self.vectors_.shape[1]), dtype=self.dtype)
            self.vectors_ = np.concatenate([self.vectors_, extra])
        self.vectors_[rows] = vectors.astype(self.dtype)

    def top_k(self, query: np.ndarray, k: int, *, mask: np.ndarray | None = None) -> np.ndarray:
        """Row indices of the ``k`` best rows, best first; rows where ``mask`` is False are skipped."""
        scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        return top_indices(scores, k)


def top_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest finite scores, best first (argpartition, then a small sort)."""
    n = scores.shape[0]
    if k <= 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(scores, n - k)[n - k :] if k < n else np.arange(n)
    part = part[np.isfinite(scores[part])]
    return part[np.argsort(-scores[part], kind="stable")]


def top_positive(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest positive scores, best first; cheap when few are positive."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > k:
        positive = positive[np.argpartition(scores[positive], len(positive) - k)[len(positive) - k :]]
    return positive[np.argsort(-scores[positive], kind="stable")]


class SkillLabelIndex:
    """A sparse people x skill-label matrix, so that exact skill holders are always candidates.

    Semantic retrieval alone can miss a person whose profile text is about something else
    but who lists exactly the skill asked for; this index never does.
    """

    def __init__(self, people: Sequence[PersonProfile]):
        self.vocabulary_: dict[str, int] = {}
        rows, cols = self._entries(range(len(people)), people)
        data = np.ones(len(rows), dtype=np.float32)
        self.matrix_ = sparse.csc_matrix(
            (data, (rows, cols)), shape=(len(people), max(len(self.vocabulary_), 1))
        )
        holders = np.asarray(self.matrix_.sum(axis=0)).ravel()
        # rarer labels say more about a person (IDF weighting)
        self.idf_ = np.log1p(len(people) / np.maximum(holders, 1.0)).astype(np.float32)

    def _entries(self, rows: Sequence[int], people: Sequence[PersonProfile]) -> tuple[list[int], list[int]]:
        """(row, column) of every label each person lists, adding new labels to the vocabulary."""
        out_rows, out_cols = [], []
        for row, person in zip(rows, people):
            for column in {self._column(label) for claim in person.skills for label in _labels(claim)}:
                out_rows.append(row)
                out_cols.append(column)
        return out_rows, out_cols

    def set_rows(self, rows: np.ndarray, people: Sequence[PersonProfile]) -> None:
        """Replace the listed skills of the given rows (appending rows past the end); IDF stays as fitted.

        A label nobody had at fit time gets the IDF of a label held by one person.
        """
        new_rows, new_cols = self._entries(rows.tolist(), people)
        kept = self.matrix_.tocoo()
        keep = ~np.isin(kept.row, rows)
        shape = (max(self.matrix_.shape[0], int(rows.max()) + 1), max(len(self.vocabulary_), 1))
        self.matrix_ = sparse.csc_matrix(
            (np.ones(int(keep.sum()) + len(new_rows), dtype=np.float32),
             (np.concatenate([kept.row[keep], new_rows]), np.concatenate([kept.col[keep], new_cols]))),
            shape=shape,
        )
        if shape[1] > len(self.idf_):
            rare = np.float32(np.log1p(shape[0]))
            self.idf_ = np.concatenate([self.idf_, np.full(shape[1] - len(self.idf_), rare, dtype=np.float32)])

    def _column(self, label: str) -> int:
        return self.vocabulary_.setdefault(label, len(self.vocabulary_))

    def holders(self, claim: SkillClaim) -> int:
        """How many people list ``claim`` by its label or one of its aliases."""
        columns = sorted({c for label in _labels(claim) if (c := self.vocabulary_.get(label)) is not None})
        if not columns:
            return 0
        return int(np.count_nonzero(self.matrix_[:, columns].getnnz(axis=1)))

    def scores(self, claims: Sequence[SkillClaim]) -> np.ndarray:
        """IDF-weighted count of the asked-for skills each person lists (by label or alias)."""
        columns = sorted(
            {c for claim in claims for label in _labels(claim) if (c := self.vocabulary_.get(label)) is not None}
        )
        if not columns:
            return np.zeros(self.matrix_.shape[0], dtype=np.float32)
        return self.matrix_[:, columns] @ self.idf_[columns]


def _labels(claim: SkillClaim) -> set[str]:
    return {normalise(claim.name), *(normalise(a) for a in claim.aliases)}
