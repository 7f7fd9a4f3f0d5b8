"""The hash chain, as pure functions an outside auditor can re-implement from this page.

Every entry is turned into a document (its columns, the payload parsed), serialised as canonical
JSON (RFC 8785) and hashed with SHA-256 under domain separation:

    leaf  = SHA-256(0x00 || canonical(document))
    chain = SHA-256(0x01 || previous chain || leaf)      previous chain of entry 1 = 32 zero bytes

A checkpoint signs ``checkpoint_message(seq, chain, signed_at)`` with Ed25519.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import rfc8785

GENESIS = bytes(32)
LEAF_PREFIX, CHAIN_PREFIX = b"\x00", b"\x01"
CHECKPOINT_CONTEXT = b"secondment-marketplace audit checkpoint v1\x00"


def canonical(value: object) -> bytes:
    """RFC 8785 canonical JSON: sorted keys, no spaces, one spelling of every number."""
    return rfc8785.dumps(value)


def timestamp(moment: dt.datetime) -> str:
    """The UTC time of an entry as hashed: ISO 8601 with microseconds and a Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def document(*, seq: int, recorded_at: dt.datetime, actor: str, actor_role: str, action: str, subject: str,
             reason_code: str | None, reason_text: str | None, payload: str) -> dict:
    """Everything an entry says, as the object that is hashed (``payload`` is the stored JSON text)."""
    return {
        "seq": seq,
        "recorded_at": timestamp(recorded_at),
        "actor": actor,
        "actor_role": actor_role,
        "action": action,
        "subject": subject,
        "reason_code": reason_code,
        "reason_text": reason_text,
        "payload": json.loads(payload),
    }


def leaf_hash(doc: dict) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + canonical(doc)).digest()


def chain_hash(previous: bytes, leaf: bytes) -> bytes:
    return hashlib.sha256(CHAIN_PREFIX + previous + leaf).digest()


def checkpoint_message(seq: int, chain: bytes, signed_at: dt.datetime) -> bytes:
    """The bytes an Ed25519 checkpoint signature covers."""
    return CHECKPOINT_CONTEXT + canonical({"seq": seq, "chain": chain.hex(), "signed_at": timestamp(signed_at)})
