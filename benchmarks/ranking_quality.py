"""Ranking quality on the ESCO evaluation set: baselines and the matcher side by side.

    python benchmarks/ranking_quality.py [--splits labels synonyms prose] [--people-per-occupation 16]

Prints NDCG@10, MRR@10 and Recall@20 (relevant = same occupation) for random, TF-IDF,
BM25, whole-profile embedding and the matcher, on every split, then the timings.
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
from benchmarks.metrics import mrr_at, ndcg_at, recall_at  # noqa: E402
from matching import CachedEncoder, Matcher, SentenceTransformerEncoder  # noqa: E402

TOP = 50


def rank_random(data, _encoder):
    rng = np.random.default_rng(0)
    ids = [p.id for p in data.people]
    return {o.id: list(rng.permutation(ids)[:TOP]) for o in data.opportunities}


def rank_tfidf(data, _encoder):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    people = vectorizer.fit_transform([p.text for p in data.people])
    queries = vectorizer.transform([o.text for o in data.opportunities])
    return _top_by_matrix(data, (queries @ people.T).toarray())


def rank_bm25(data, _encoder):
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([p.text for p in data.people], stopwords="en", show_progress=False), show_progress=False)
    results, _ = retriever.retrieve(
        bm25s.tokenize([o.text for o in data.opportunities], stopwords="en", show_progress=False),
        k=TOP, show_progress=False, n_threads=1,
    )
    return {o.id: [data.people[i].id for i in row] for o, row in zip(data.opportunities, results)}


def rank_embedding(data, encoder):
    people = encoder.encode([p.text for p in data.people])
    queries = encoder.encode([o.text for o in data.opportunities])
    return _top_by_matrix(data, queries @ people.T)


def rank_matcher(data, encoder):
    matcher = Matcher(encoder).fit(data.people)
    return {o.id: [r.id for r in matcher.rank_people(o, top_k=TOP)] for o in data.opportunities}


def _top_by_matrix(data, scores):
    order = np.argsort(-scores, axis=1, kind="stable")[:, :TOP]
    return {o.id: [data.people[i].id for i in row] for o, row in zip(data.opportunities, order)}


METHODS = {
    "random": rank_random,
    "tf-idf": rank_tfidf,
    "bm25": rank_bm25,
    "embedding": rank_embedding,
    "matcher": rank_matcher,
}


def per_opportunity(rankings, data) -> np.ndarray:
    """NDCG@10, MRR@10 and Recall@20 of every secondment, shape (secondments, 3)."""
    return np.array([
        (ndcg_at(rankings[o.id], data.relevance[o.id], 10),
         mrr_at(rankings[o.id], data.relevance[o.id], 10),
         recall_at(rankings[o.id], data.relevance[o.id], 20))
        for o in data.opportunities
    ])


def paired_interval(ours: np.ndarray, theirs: np.ndarray, *, resamples: int = 2000) -> tuple[float, float]:
    """95 % bootstrap interval of mean(ours - theirs), resampling secondments (paired)."""
    rng = np.random.default_rng(0)
    difference = ours - theirs
    picks = rng.integers(0, len(difference), size=(resamples, len(difference)))
    means = difference[picks].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--splits", nargs="+", default=list(esco_eval.SPLITS), choices=esco_eval.SPLITS)
    parser.add_argument("--people-per-occupation", type=int, default=16)
    # weights were tuned on seeds 2 and 3; the figures in README.md come from this held-out seed
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--cache", type=Path, help="keep text vectors in this file between runs")
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    args = parser.parse_args(argv)

    store = _load_cache(args.cache)
    encoder = CachedEncoder(SentenceTransformerEncoder(), store)
    summary = {}
    for split in args.splits:
        data = esco_eval.build(split, people_per_occupation=args.people_per_occupation, seed=args.seed)
        print(f"\nsplit={split}: {len(data.people)} people, {len(data.opportunities)} secondments")
        print(f"  {'method':<10} {'ndcg@10':>8} {'mrr@10':>8} {'recall@20':>10} {'seconds':>8}")
        for name in args.methods:
            method = METHODS[name]
            started = time.perf_counter()
            rows = per_opportunity(method(data, encoder), data)
            seconds = time.perf_counter() - started
            summary[(split, name)] = rows
            ndcg, mrr, recall = rows.mean(axis=0)
            print(f"  {name:<10} {ndcg:8.3f} {mrr:8.3f} {recall:10.3f} {seconds:8.1f}")
        baselines = [n for n in args.methods if n != "matcher"]
        if "matcher" in args.methods and baselines:
            best = max(baselines, key=lambda n: summary[(split, n)][:, 0].mean())
            ours, theirs = summary[(split, "matcher")][:, 0], summary[(split, best)][:, 0]
            low, high = paired_interval(ours, theirs)
            print(f"  matcher / best baseline ({best}) ndcg@10 = {ours.mean() / theirs.mean():.3f}; "
                  f"matcher - {best} = {ours.mean() - theirs.mean():+.3f} (95 % bootstrap over secondments {low:+.3f} to {high:+.3f})")
    _save_cache(args.cache, store)
    return 0


def _load_cache(path: Path | None) -> dict:
    if path is None or not path.exists():
        return {}
    with np.load(path) as data:
        return dict(zip(data["keys"].tolist(), data["vectors"]))


def _save_cache(path: Path | None, store: dict) -> None:
    if path is not None and store:
        np.savez(path, keys=np.array(list(store)), vectors=np.stack(list(store.values())))


if __name__ == "__main__":
    raise SystemExit(main())
