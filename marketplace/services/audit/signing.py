"""Ed25519 checkpoints of the chain head, signed with a key kept outside the database and witnessed outside it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import AuditCheckpoint, AuditHead
from marketplace.services.audit import chain, witness


class SigningKeyMissing(Exception):
    """No signing key file where the configuration says it is."""


def key_path() -> Path:
    return Path(current_app.config["AUDIT_SIGNING_KEY_FILE"])


def create_key(path: Path) -> Ed25519PrivateKey:
    """Write a new private key readable only by its owner (refuses to overwrite one)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return key


def signing_key() -> Ed25519PrivateKey:
    """The configured private key; in the embedded setup it is created on first use, and its public key pinned."""
    path = key_path()
    if not path.exists():
        if not current_app.config["AUDIT_CREATE_KEY"]:
            raise SigningKeyMissing(f"No audit signing key at {path}; create one with `flask audit init-key`.")
        current_app.logger.warning("Creating a new audit signing key at %s", path)
        key = create_key(path)
    else:
        key = load_private_key(path)
    if current_app.config["AUDIT_CREATE_KEY"]:
        pin_public_key(key)
    return key


def public_key_path() -> Path:
    return Path(current_app.config["AUDIT_PUBLIC_KEY_FILE"])


def pin_public_key(key: Ed25519PrivateKey) -> bool:
    """Write the public key the verifier trusts, once: an existing pin is never replaced (False then)."""
    path = public_key_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as out:
        out.write(public_key_pem(key))
    return True


def pinned_public_key() -> Ed25519PublicKey | None:
    """The public key pinned by configuration (``AUDIT_PUBLIC_KEY_FILE``), or None when there is none."""
    path = public_key_path()
    return load_public_key(path.read_bytes()) if path.exists() else None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    return serialization.load_pem_public_key(pem)


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def checkpoint() -> AuditCheckpoint | None:
    """Sign the current head of the chain and hand it to the witness (nothing to do when it has not moved).

    The witness is written before the database row: a checkpoint counts only once it is outside the
    database, and a retry after a failed commit finds the same chain hash already witnessed.
    """
    head = db.session.get(AuditHead, 1)
    if head is None or head.seq == 0:
        return None
    last = db.session.scalar(sa.select(sa.func.max(AuditCheckpoint.seq)))
    if last == head.seq:
        return None
    key = signing_key()
    signed_at = utcnow()
    message = chain.checkpoint_message(head.seq, bytes.fromhex(head.chain_hash), signed_at)
    row = AuditCheckpoint(seq=head.seq, chain_hash=head.chain_hash, signed_at=signed_at,
                          key_id=key_id(key.public_key()), signature=key.sign(message).hex())
    witnessed = witness.Witnessed(seq=row.seq, chain_hash=row.chain_hash, signed_at=signed_at,
                                  key_id=row.key_id, signature=row.signature)
    witness.write(witness.directory(), witnessed)
    if current_app.config["AUDIT_WITNESS_URL"]:
        witness.post(current_app.config["AUDIT_WITNESS_URL"], witnessed)
    db.session.add(row)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # another worker signed the same head a moment ago
        db.session.rollback()
        return None
    return row
