"""The witness: every signed checkpoint, copied where the database's superuser cannot rewrite it.

A checkpoint kept only in the database proves nothing to someone who can rewrite the database.
Each one is therefore also written to ``AUDIT_WITNESS_DIR`` as one file, ``checkpoint-<seq>.json``,
created with O_EXCL and read-only, never replaced; production mounts another volume there (WORM
storage, or a folder the database's host cannot write). ``audit verify`` reads it back.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from marketplace.services.audit import chain

PATTERN = "checkpoint-*.json"


class WitnessConflict(Exception):
    """The witness already holds a different chain hash for this sequence number."""


@dataclass(frozen=True)
class Witnessed:
    """One checkpoint as the witness holds it."""

    seq: int
    chain_hash: str
    signed_at: dt.datetime
    key_id: str
    signature: str


def directory() -> Path:
    """The configured witness folder."""
    return Path(current_app.config["AUDIT_WITNESS_DIR"])


def write(folder: Path, checkpoint: Witnessed) -> bool:
    """Add a checkpoint to the witness; False when an identical chain hash is already there for its seq.

    Raises WitnessConflict when the witness holds another chain hash at that seq: the log was rewritten.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"checkpoint-{checkpoint.seq:012d}.json"
    record = {"seq": checkpoint.seq, "chain": checkpoint.chain_hash, "signed_at": chain.timestamp(checkpoint.signed_at),
              "key_id": checkpoint.key_id, "signature": checkpoint.signature}
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    except FileExistsError:
        held = _parse(path.read_bytes())
        if held.chain_hash != checkpoint.chain_hash:
            raise WitnessConflict(f"The witness holds another chain hash for entry {checkpoint.seq} ({path}).") from None
        return False
    with os.fdopen(fd, "wb") as out:
        out.write(chain.canonical(record) + b"\n")
        out.flush()
        os.fsync(out.fileno())
    _sync_folder(folder)
    return True


def read(folder: Path) -> Iterator[tuple[str, Witnessed | None]]:
    """Every file of the witness by name, with its checkpoint, or None when it cannot be read as one."""
    for path in sorted(folder.glob(PATTERN)):
        try:
            yield path.name, _parse(path.read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            yield path.name, None


def _parse(data: bytes) -> Witnessed:
    record = json.loads(data)
    return Witnessed(seq=int(record["seq"]), chain_hash=str(record["chain"]),
                     signed_at=dt.datetime.strptime(record["signed_at"], "%Y-%m-%dT%H:%M:%S.%fZ"),
                     key_id=str(record["key_id"]), signature=str(record["signature"]))


def _sync_folder(folder: Path) -> None:
    """Make the new file's name durable too (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
