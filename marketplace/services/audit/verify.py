"""Verifying the audit log from scratch: every hash, the sequence, the head and the signed checkpoints."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from marketplace.extensions import db
from marketplace.models import AuditCheckpoint, AuditEntry, AuditHead
from marketplace.services.audit import chain
from marketplace.services.audit.signing import key_id

# Checks that decision rows point at their audit entry: each yields (seq or None, problem) pairs.
DecisionCheck = Callable[[], Iterable[tuple[int | None, str]]]
DECISION_CHECKS: list[DecisionCheck] = []

APPEND_ONLY_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete")


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
    """The verifier's findings; ``problem`` is the first thing wrong, by sequence number."""

    entries: int = 0
    checkpoints: int = 0
    problem: tuple[int | None, str] | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Found(Exception):
    def __init__(self, seq: int | None, what: str):
        self.seq, self.what = seq, what


def verify(public_key: Ed25519PublicKey, *, batch: int = 2000) -> Verification:
    """Recompute the chain and check it against the stored hashes, the head and every checkpoint."""
    result = Verification()
    try:
        _check_chain(result, public_key, batch)
        for check in DECISION_CHECKS:
            for seq, what in check():
                raise _Found(seq, what)
    except _Found as found:
        result.problem = (found.seq, found.what)
    result.warnings = _missing_triggers()
    return result


def _check_chain(result: Verification, public_key: Ed25519PublicKey, batch: int) -> None:
    checkpoints = {c.seq: c for c in db.session.scalars(sa.select(AuditCheckpoint).order_by(AuditCheckpoint.seq))}
    trusted = key_id(public_key)
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
            _check_checkpoint(checkpoints[entry.seq], previous, public_key, trusted)
            result.checkpoints += 1
        result.entries += 1
        expected += 1
    last = expected - 1
    beyond = [seq for seq in checkpoints if seq > last]
    if beyond:
        raise _Found(last + 1, f"entries after {last} are missing: a signed checkpoint covers up to {max(beyond)}")
    head = db.session.get(AuditHead, 1)
    head_seq, head_chain = (head.seq, head.chain_hash) if head else (0, chain.GENESIS.hex())
    if head_seq != last:
        raise _Found(last + 1, f"the log ends at {last} but its head says {head_seq} entries were written")
    if head_chain != previous.hex():
        raise _Found(last, "the head's chain hash does not match the last entry")


def _check_checkpoint(row: AuditCheckpoint, recomputed: bytes, public_key: Ed25519PublicKey, trusted: str) -> None:
    if row.key_id != trusted:
        raise _Found(row.seq, f"the checkpoint at {row.seq} was signed with another key ({row.key_id[:16]}…)")
    message = chain.checkpoint_message(row.seq, bytes.fromhex(row.chain_hash), row.signed_at)
    try:
        public_key.verify(bytes.fromhex(row.signature), message)
    except (InvalidSignature, ValueError):
        raise _Found(row.seq, f"the checkpoint signature at {row.seq} is not valid") from None
    if row.chain_hash != recomputed.hex():
        raise _Found(row.seq, f"the log differs from what the checkpoint at {row.seq} signed: it was rewritten")


def _fields(entry: AuditEntry) -> dict:
    return {name: getattr(entry, name) for name in (
        "seq", "recorded_at", "actor", "actor_role", "action", "subject", "reason_code", "reason_text", "payload")}


def _missing_triggers() -> list[str]:
    """The append-only triggers' absence does not falsify entries, but an auditor must hear of it."""
    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
    else:
        rows = db.session.execute(sa.text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal"
            " AND tgenabled <> 'D'"
        )).scalars()
    present = set(rows)
    return [f"The append-only trigger {name} is missing or disabled: the log can be changed without an error."
            for name in APPEND_ONLY_TRIGGERS if name not in present]
