"""Ranking metrics over graded relevance: NDCG@k, MRR@k and Recall@k."""

from __future__ import annotations

import math
from collections.abc import Sequence


def ndcg_at(ranked: Sequence, grades: dict, k: int = 10) -> float:
    """Normalised discounted cumulative gain, gain 2^grade - 1, discount log2(rank + 1)."""
    dcg = sum((2 ** grades.get(item, 0) - 1) / math.log2(rank + 1) for rank, item in enumerate(ranked[:k], 1))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(rank + 1) for rank, g in enumerate(ideal, 1))
    return dcg / idcg if idcg else 0.0


def mrr_at(ranked: Sequence, grades: dict, k: int = 10, *, min_grade: int = 2) -> float:
    """Reciprocal rank of the first item with at least ``min_grade`` within the top ``k``."""
    for rank, item in enumerate(ranked[:k], 1):
        if grades.get(item, 0) >= min_grade:
            return 1.0 / rank
    return 0.0


def recall_at(ranked: Sequence, grades: dict, k: int = 20, *, min_grade: int = 2) -> float:
    """Share of the items with at least ``min_grade`` found in the top ``k``."""
    relevant = {item for item, grade in grades.items() if grade >= min_grade}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)
