"""The fair-selection audit log: append-only, hash-chained entries and signed checkpoints."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db


class AuditEntry(db.Model):
    """One decision or disclosure, hashed into the chain of every entry before it.

    Rows are never updated or deleted (database triggers refuse it); ``seq`` has no gaps.
    People appear only as pseudonymous references such as ``employee:17``.
    """

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    recorded_at: Mapped[dt.datetime]  # UTC
    actor: Mapped[str] = mapped_column(sa.String(80))  # "user:12", or "system"
    actor_role: Mapped[str] = mapped_column(sa.String(40))
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    subject: Mapped[str] = mapped_column(sa.String(80), index=True)  # "application:42"
    reason_code: Mapped[str | None] = mapped_column(sa.String(60))
    reason_text: Mapped[str | None] = mapped_column(sa.Text)
    payload: Mapped[str] = mapped_column(sa.Text)  # canonical JSON (RFC 8785)
    leaf_hash: Mapped[str] = mapped_column(sa.String(64))  # hex SHA-256
    chain_hash: Mapped[str] = mapped_column(sa.String(64))


class AuditHead(db.Model):
    """The single row holding the chain's last sequence number and hash; appends lock it."""

    __tablename__ = "audit_head"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"))
    chain_hash: Mapped[str] = mapped_column(sa.String(64))


class AuditCheckpoint(db.Model):
    """A signed statement that the chain had ``chain_hash`` at ``seq`` at ``signed_at``."""

    __tablename__ = "audit_checkpoints"
    __table_args__ = (sa.UniqueConstraint("seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"))
    chain_hash: Mapped[str] = mapped_column(sa.String(64))
    signed_at: Mapped[dt.datetime]
    key_id: Mapped[str] = mapped_column(sa.String(64))  # hex SHA-256 of the raw public key
    signature: Mapped[str] = mapped_column(sa.String(128))  # hex Ed25519 over checkpoint_message()
