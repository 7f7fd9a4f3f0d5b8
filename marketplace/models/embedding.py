"""Cached text vectors, keyed by embedding model and a hash of the text."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.clock import utcnow
from marketplace.extensions import db


class TextEmbedding(db.Model):
    """One text's vector under one model; an unchanged text is never embedded twice."""

    __tablename__ = "text_embeddings"
    __table_args__ = (sa.UniqueConstraint("model_id", "text_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[str] = mapped_column(sa.String(200))
    text_hash: Mapped[str] = mapped_column(sa.String(64))  # matching.encoder.text_key
    dimension: Mapped[int]
    vector: Mapped[bytes] = mapped_column(sa.LargeBinary)  # float32, little-endian
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
