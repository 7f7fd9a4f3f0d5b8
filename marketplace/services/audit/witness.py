"""The witness: every signed checkpoint, copied where the database's superuser cannot rewrite it.

A checkpoint kept only in the database proves nothing to someone who can rewrite the database.
Each one is therefore also written to ``AUDIT_WITNESS_DIR`` as one file, ``checkpoint-<seq>.json``,
read-only and never replaced; production mounts another volume there (WORM
storage, or a folder the database's host cannot write). ``audit verify`` reads it back. When
``AUDIT_WITNESS_URL`` is set, the same record is also POSTed there (the auditor's own service).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import urllib.request
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
    # Written whole to a temporary name, then linked into place: the link is atomic and fails if the name
    # exists, so a crash leaves no half-written checkpoint and nothing is ever replaced.
    draft = folder / f".{path.name}.{os.getpid()}.tmp"
    draft.unlink(missing_ok=True)  # left by a crash of an earlier process with this id
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_record(checkpoint) + b"\n")
            out.flush()
            os.fsync(out.fileno())
        os.link(draft, path)
    except FileExistsError:
        held = _parse(path.read_bytes())
        if held.chain_hash != checkpoint.chain_hash:
            raise WitnessConflict(
                f"The witness holds another chain hash for entry {checkpoint.seq} ({path}).") from None
        return False
    finally:
        draft.unlink(missing_ok=True)
    _sync_folder(folder)
    return True


def post(url: str, checkpoint: Witnessed, *, timeout: float = 10.0) -> None:
    """POST the checkpoint as JSON to the auditor's webhook; raises unless it answers 2xx."""
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"AUDIT_WITNESS_URL must be an http(s) address, not {url!r}")
    request = urllib.request.Request(url, data=_record(checkpoint), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # 4xx and 5xx raise HTTPError
        response.read()


def read(folder: Path) -> Iterator[tuple[str, Witnessed | None]]:
    """Every file of the witness by name, with its checkpoint, or None when it cannot be read as one."""
    for path in sorted(folder.glob(PATTERN)):
        try:
            yield path.name, _parse(path.read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            yield path.name, None


def _record(checkpoint: Witnessed) -> bytes:
    return chain.canonical({"seq": checkpoint.seq, "chain": checkpoint.chain_hash,
                            "signed_at": chain.timestamp(checkpoint.signed_at), "key_id": checkpoint.key_id,
                            "signature": checkpoint.signature})


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
