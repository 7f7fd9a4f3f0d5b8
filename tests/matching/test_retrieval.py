"""Candidate generation checked against a brute-force reference on hand-built vectors."""

from __future__ import annotations

import numpy as np
import pytest

from matching.profiles import PersonProfile, SkillClaim
from matching.retrieval import SkillLabelIndex, VectorIndex, top_indices


def _unit_rows(n: int, d: int, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_top_k_equals_brute_force_sort(dtype):
    vectors = _unit_rows(5_000, 32)
    query = _unit_rows(1, 32, seed=1)[0]
    index = VectorIndex(vectors, dtype=dtype, chunk_rows=777)  # odd chunk size on purpose
    expected = np.argsort(-(vectors.astype(dtype).astype(np.float32) @ query), kind="stable")[:25]
    assert list(index.top_k(query, 25)) == list(expected)


def test_mask_excludes_ineligible_rows():
    vectors = _unit_rows(100, 8)
    query = vectors[7]
    mask = np.ones(100, dtype=bool)
    mask[7] = False
    top = VectorIndex(vectors).top_k(query, 5, mask=mask)
    assert 7 not in top
    assert len(top) == 5


def test_top_indices_handles_k_larger_than_n_and_infinite_scores():
    scores = np.array([0.1, -np.inf, 0.9, 0.5], dtype=np.float32)
    assert list(top_indices(scores, 10)) == [2, 3, 0]


def test_skill_index_finds_holders_by_alias_and_weights_rare_skills():
    people = [
        PersonProfile(1, skills=(SkillClaim("Kubernetes"),)),
        PersonProfile(2, skills=(SkillClaim("Python"),)),
        PersonProfile(3, skills=(SkillClaim("Python"), SkillClaim("k8s"))),
        PersonProfile(4, skills=(SkillClaim("Excel"),)),
    ]
    index = SkillLabelIndex(people)
    scores = index.scores([SkillClaim("Kubernetes", aliases=("K8s",)), SkillClaim("Python")])
    assert scores[3] == 0
    assert scores[2] > scores[0] > scores[1] > 0  # both skills > rare skill > common skill
