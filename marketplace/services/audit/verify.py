"""Verifying the audit log from scratch: every hash, the sequence, the head, the checkpoints and the witness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask import current_app

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import AuditCheckpoint, AuditEntry, AuditHead
from marketplace.services.audit import chain, witness
from marketplace.services.audit.signing import key_id

# Checks that decision rows point at their audit entry: each yields (seq or None, problem) pairs.
DecisionCheck = Callable[[], Iterable[tuple[int | None, str]]]
DECISION_CHECKS: list[DecisionCheck] = []

# Every trigger that keeps the log append-only, by table; on PostgreSQL each must fire ALWAYS, so that
# `session_replication_role = replica` does not skip it. SQLite has no TRUNCATE (nor replication role).
APPEND_ONLY_TRIGGERS = {
    "audit_log": ("audit_log_no_update", "audit_log_no_delete", "audit_log_no_truncate"),
    "audit_checkpoints": ("audit_checkpoint_no_update", "audit_checkpoint_no_delete", "audit_checkpoint_no_truncate"),
    "audit_head": ("audit_head_no_rewind", "audit_head_no_delete", "audit_head_no_truncate"),
}


def append_only_triggers(dialect: str) -> dict[str, tuple[str, ...]]:
    """The triggers ``APPEND_ONLY_TRIGGERS`` names that exist on this database kind."""
    if dialect == "postgresql":
        return APPEND_ONLY_TRIGGERS
    return {table: tuple(name for name in names if not name.endswith("_truncate"))
            for table, names in APPEND_ONLY_TRIGGERS.items()}


def decisions_without_entries() -> Iterable[tuple[int | None, str]]:
    """Every recorded selection decision must point at an audit entry about the same application and move."""
    from marketplace.models import ApplicationEvent

    return _rows_without_entries(ApplicationEvent, ApplicationEvent.application_id, "application", "decision")


def secondment_steps_without_entries() -> Iterable[tuple[int | None, str]]:
    """Every secondment step (signature, check-in, ending...) must point at an audit entry about it."""
    from marketplace.models import SecondmentEvent

    return _rows_without_entries(SecondmentEvent, SecondmentEvent.secondment_id, "secondment", "secondment step")


def _rows_without_entries(model, subject_id, kind: str, noun: str) -> Iterable[tuple[int | None, str]]:
    """Rows of ``model`` whose ``audit_seq`` is missing, dangling, or names another subject or action."""
    query = (
        sa.select(model.id, subject_id, model.action, model.audit_seq, AuditEntry.subject, AuditEntry.action)
        .outerjoin(AuditEntry, AuditEntry.seq == model.audit_seq)
        .order_by(model.id)
    )
    for row_id, about, action, seq, subject, logged in db.session.execute(query):
        if seq is None:
            yield None, f"{noun} {row_id} ({action} on {kind} {about}) has no audit entry"
        elif subject is None:
            yield seq, f"{noun} {row_id} points at audit entry {seq}, which does not exist"
        elif (subject, logged) != (f"{kind}:{about}", f"{kind}.{action}"):
            yield seq, f"{noun} {row_id} points at audit entry {seq}, which records something else"


DECISION_CHECKS.extend([decisions_without_entries, secondment_steps_without_entries])


@dataclass
class Verification:
    """The verifier's findings; ``problems`` in the order found, the chain's first (by sequence number)."""

    entries: int = 0
    checkpoints: int = 0  # signed checkpoints in the database, each valid
    witnessed: int = 0  # checkpoints in the witness, each valid
    witnessed_to: int = 0  # the last entry a witnessed checkpoint covers
    problems: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def problem(self) -> tuple[int | None, str] | None:
        return self.problems[0] if self.problems else None

    @property
    def ok(self) -> bool:
        return not self.problems


class _Found(Exception):
    def __init__(self, seq: int | None, what: str):
        self.seq, self.what = seq, what


def verify(public_key: Ed25519PublicKey | None, *, witness_dir: Path | None = None,
           max_unwitnessed: dt.timedelta | None = None, batch: int = 2000) -> Verification:
    """Recompute the chain and check it against the stored hashes, the head, every checkpoint and the witness.

    ``public_key`` is the pinned key every signature must verify under (None: nothing is pinned, so any
    checkpoint fails). ``witness_dir`` defaults to ``AUDIT_WITNESS_DIR``; entries that no witnessed
    checkpoint covers may be at most ``max_unwitnessed`` old (default twice ``AUDIT_CHECKPOINT_SECONDS``).
    A missing, disabled or defused append-only trigger is a problem too.
    """
    config = current_app.config
    witness_dir = witness_dir if witness_dir is not None else Path(config["AUDIT_WITNESS_DIR"])
    if max_unwitnessed is None:
        max_unwitnessed = dt.timedelta(seconds=2 * config["AUDIT_CHECKPOINT_SECONDS"])
    result = Verification()
    try:
        witnessed = _read_witness(witness_dir, public_key)
        first_unwitnessed_at = _check_chain(result, public_key, witnessed, batch)
        _check_coverage(result, first_unwitnessed_at, max_unwitnessed, witness_dir)
        for check in DECISION_CHECKS:
            for seq, what in check():
                raise _Found(seq, what)
    except _Found as found:
        result.problems.append((found.seq, found.what))
    result.problems += [(None, what) for what in _trigger_problems()]
    return result


def _read_witness(folder: Path, public_key: Ed25519PublicKey | None) -> dict[int, witness.Witnessed]:
    """The witnessed checkpoints by sequence number; each must be readable and signed by the pinned key."""
    held = {}
    for name, record in witness.read(folder):
        if record is None:
            raise _Found(None, f"the witness file {name} in {folder} cannot be read as a checkpoint")
        _check_signature(record, public_key, "the witnessed checkpoint")
        held[record.seq] = record
    return held


def _check_chain(result: Verification, public_key: Ed25519PublicKey | None,
                 witnessed: dict[int, witness.Witnessed], batch: int) -> dt.datetime | None:
    """Walk the chain; returns when the first entry no witnessed checkpoint covers was recorded (None: all are)."""
    checkpoints = {c.seq: c for c in db.session.scalars(sa.select(AuditCheckpoint).order_by(AuditCheckpoint.seq))}
    witnessed_to = max(witnessed, default=0)
    first_unwitnessed_at = None
    expected, previous = 1, chain.GENESIS
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch))
    for entry in entries:
        if entry.seq != expected:
            raise _Found(expected, f"entry {expected} is missing (the next entry is {entry.seq})")
        leaf = chain.leaf_hash(chain.document(**_fields(entry)))
        if leaf.hex() != entry.leaf_hash:
            raise _Found(entry.seq, "the entry's contents do not match its hash: it was changed after it was written")
        previous = chain.chain_hash(previous, leaf)
        if previous.hex() != entry.chain_hash:
            raise _Found(entry.seq, "the chain hash does not follow from the entries before it")
        if entry.seq in checkpoints:
            _check_checkpoint(checkpoints[entry.seq], previous, public_key)
            result.checkpoints += 1
        if entry.seq in witnessed and witnessed[entry.seq].chain_hash != previous.hex():
            raise _Found(entry.seq, f"the log differs from what the witness holds for entry {entry.seq}: "
                                    "it was rewritten")
        if entry.seq == witnessed_to + 1:
            first_unwitnessed_at = entry.recorded_at
        result.entries += 1
        expected += 1
    last = expected - 1
    for source, held in (("a signed checkpoint", checkpoints), ("the witness", witnessed)):
        if held and max(held) > last:
            raise _Found(last + 1, f"entries after {last} are missing: {source} covers up to {max(held)}")
    result.witnessed, result.witnessed_to = len(witnessed), witnessed_to
    if checkpoints and max(checkpoints) > witnessed_to:  # the witness is written first: it lost files, or is not it
        raise _Found(max(checkpoints), f"the checkpoint at {max(checkpoints)} is not in the witness, which covers "
                                       f"entries up to {witnessed_to}: is this the right witness folder?")
    head = db.session.get(AuditHead, 1)
    head_seq, head_chain = (head.seq, head.chain_hash) if head else (0, chain.GENESIS.hex())
    if head_seq != last:
        raise _Found(last + 1, f"the log ends at {last} but its head says {head_seq} entries were written")
    if head_chain != previous.hex():
        raise _Found(last, "the head's chain hash does not match the last entry")
    return first_unwitnessed_at


def _check_coverage(result: Verification, first_unwitnessed_at: dt.datetime | None, limit: dt.timedelta,
                    folder: Path) -> None:
    """Entries outside every witnessed checkpoint can be cut or rewritten unseen: only recent ones may be."""
    if first_unwitnessed_at is None or utcnow() - first_unwitnessed_at <= limit:
        return
    first = result.witnessed_to + 1
    minutes = round(limit.total_seconds() / 60)
    what = (f"0 witnessed checkpoints in {folder}" if not result.witnessed
            else f"the last witnessed checkpoint covers entries up to {result.witnessed_to}")
    raise _Found(first, f"{what}, and entry {first} was written at {chain.timestamp(first_unwitnessed_at)}, "
                        f"more than {minutes} minutes ago: entries {first} to {result.entries} could have been "
                        "cut or rewritten unseen (is the checkpoint task running?)")


def _check_checkpoint(row: AuditCheckpoint, recomputed: bytes, public_key: Ed25519PublicKey | None) -> None:
    _check_signature(row, public_key, "the checkpoint")
    if row.chain_hash != recomputed.hex():
        raise _Found(row.seq, f"the log differs from what the checkpoint at {row.seq} signed: it was rewritten")


def _check_signature(row: AuditCheckpoint | witness.Witnessed, public_key: Ed25519PublicKey | None,
                     what: str) -> None:
    """The checkpoint must be signed by the pinned key: a key the verifier does not know proves nothing."""
    if public_key is None:
        raise _Found(row.seq, f"{what} at {row.seq} cannot be checked: no public key is pinned "
                              "(set AUDIT_PUBLIC_KEY_FILE or pass --public-key)")
    if row.key_id != key_id(public_key):
        raise _Found(row.seq, f"{what} at {row.seq} was signed with another key ({row.key_id[:16]}…), "
                              "not the pinned one")
    message = chain.checkpoint_message(row.seq, bytes.fromhex(row.chain_hash), row.signed_at)
    try:
        public_key.verify(bytes.fromhex(row.signature), message)
    except (InvalidSignature, ValueError):
        raise _Found(row.seq, f"the signature of {what} at {row.seq} is not valid") from None


def _fields(entry: AuditEntry) -> dict:
    return {name: getattr(entry, name) for name in (
        "seq", "recorded_at", "actor", "actor_role", "action", "subject", "reason_code", "reason_text", "payload")}


def _trigger_problems() -> list[str]:
    """Every append-only trigger must be there, enabled (ALWAYS on PostgreSQL) and still refusing changes."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        rows = db.session.execute(sa.text("SELECT tbl_name, name, 'A', sql FROM sqlite_master WHERE type = 'trigger'"))
        refuses = "RAISE(ABORT"
    else:
        rows = db.session.execute(sa.text(
            "SELECT c.relname, t.tgname, t.tgenabled, p.prosrc FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE t.tgrelid IN ('audit_log'::regclass, 'audit_checkpoints'::regclass, 'audit_head'::regclass)"
            " AND NOT t.tgisinternal"))
        refuses = "RAISE EXCEPTION"
    present = {(table, name): (str(enabled), source or "") for table, name, enabled, source in rows}
    problems = []
    for table, names in append_only_triggers(dialect).items():
        for name in names:
            state = present.get((table, name))
            if state is None:
                problems.append(f"the append-only trigger {name} on {table} is missing: the table can be changed")
            elif state[0] != "A":
                problems.append(f"the append-only trigger {name} on {table} is disabled, or does not fire always "
                                "(ENABLE ALWAYS): the table can be changed")
            elif refuses not in state[1]:
                problems.append(f"the append-only trigger {name} on {table} no longer refuses changes")
    return problems
