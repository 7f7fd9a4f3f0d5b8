"""Bulk embedding against encoding one profile at a time, on the same texts.

    python benchmarks/embedding_speed.py [--people 400]

Baseline: ``SentenceTransformer.encode`` called once per profile on that profile's texts
(whole profile, each skill, each summary sentence, each goal) - what a naive loop does.
Ours: :class:`matching.CachedEncoder` over all profiles at once - repeated texts (skill
names shared by many people) encoded once, and batches sorted by length.
Prints both timings, the share of texts that were duplicates and ``speedup=<baseline / ours>``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchmarks import esco_eval  # noqa: E402
from matching import CachedEncoder, SentenceTransformerEncoder  # noqa: E402
from matching.scoring import texts_for  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=400)
    args = parser.parse_args(argv)

    people = esco_eval.build("synonyms").people[: args.people]
    per_person = [texts_for(p) for p in people]
    total_texts = sum(map(len, per_person))
    distinct = len({t for texts in per_person for t in texts})

    encoder = SentenceTransformerEncoder()
    model = encoder.model
    model.encode(["warm up"], show_progress_bar=False)

    started = time.perf_counter()
    naive = [model.encode(texts, normalize_embeddings=True, show_progress_bar=False) for texts in per_person]
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    cached = CachedEncoder(encoder)
    bulk = [cached.encode(texts) for texts in [[t for texts in per_person for t in texts]]][0]
    ours = time.perf_counter() - started

    # same vectors either way (up to float noise from different padding)
    flat_naive = np.concatenate(naive)
    agreement = float(np.min(np.sum(flat_naive * bulk, axis=1)))

    print(f"profiles={len(people)} texts={total_texts} distinct={distinct} ({1 - distinct / total_texts:.0%} repeated)")
    print(f"one profile at a time: {baseline:7.1f} s  ({total_texts / baseline:6.0f} texts/s)")
    print(f"bulk, de-duplicated:   {ours:7.1f} s  ({total_texts / ours:6.0f} texts/s)")
    print(f"lowest cosine between the two vectors of a text: {agreement:.4f}")
    print(f"speedup={baseline / ours:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
