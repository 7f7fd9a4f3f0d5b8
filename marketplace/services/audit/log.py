"""Appending to the audit log, in the same transaction as the decision it records."""

from __future__ import annotations

import dataclasses
import re

import sqlalchemy as sa
from flask import Flask, current_app
from flask_login import current_user
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import AuditEntry, AuditHead, Role, User
from marketplace.queue import enqueue
from marketplace.services.audit import chain

SYSTEM = "system"
CURRENT_USER = object()  # default actor: whoever is logged in (None records the system)
CHECKPOINT_TASK = "marketplace.audit_checkpoint"
_CHECKPOINT_DUE = "audit_checkpoint_due"  # Session.info key: queue a checkpoint after this commit


def init_app(app: Flask) -> None:
    """Queue a checkpoint after a commit that brought the log to a multiple of AUDIT_CHECKPOINT_EVERY."""
    if not sa.event.contains(Session, "after_commit", _queue_checkpoint):
        sa.event.listen(Session, "after_commit", _queue_checkpoint)
        sa.event.listen(Session, "after_rollback", _forget_checkpoint)


def _queue_checkpoint(session: Session) -> None:
    if session.info.pop(_CHECKPOINT_DUE, False):
        enqueue(CHECKPOINT_TASK)  # beat's periodic checkpoint covers these entries if the broker is down


def _forget_checkpoint(session: Session) -> None:
    session.info.pop(_CHECKPOINT_DUE, None)


def reference(row: object) -> str:
    """A pseudonymous reference to a row, e.g. ``employee:17``: no name or e-mail enters the log."""
    kind = re.sub(r"(?<!^)(?=[A-Z])", "_", type(row).__name__).lower()  # JobRun -> job_run
    return f"{kind}:{row.id}"


def record(action: str, subject: str, *, payload: dict, actor: User | None | object = CURRENT_USER,
           role: Role | str | None = None,
           reason_code: str | None = None, reason_text: str | None = None) -> AuditEntry:
    """Append one entry to the chain; the caller's commit makes the entry and its decision durable together.

    Appends are serialised by updating the head row first: the update holds a row lock on PostgreSQL
    and the database write lock on SQLite until the transaction ends, so sequence numbers have no gaps.
    """
    seq, previous = _advance_head()
    if actor is CURRENT_USER:
        actor = current_user if current_user and current_user.is_authenticated else None
    fields = {
        "seq": seq,
        "recorded_at": utcnow(),
        "actor": f"user:{actor.id}" if actor is not None else SYSTEM,
        "actor_role": str(role) if role is not None else SYSTEM,
        "action": action,
        "subject": subject,
        "reason_code": reason_code,
        "reason_text": reason_text,
        "payload": chain.canonical(payload).decode("utf-8"),
    }
    leaf = chain.leaf_hash(chain.document(**fields))
    head = chain.chain_hash(previous, leaf)
    entry = AuditEntry(**fields, leaf_hash=leaf.hex(), chain_hash=head.hex())
    db.session.add(entry)
    db.session.execute(sa.update(AuditHead).where(AuditHead.id == 1).values(chain_hash=head.hex()))
    db.session.flush()
    if seq % current_app.config["AUDIT_CHECKPOINT_EVERY"] == 0:
        db.session.info[_CHECKPOINT_DUE] = True
    return entry


def _advance_head() -> tuple[int, bytes]:
    """Take the next sequence number and the previous chain hash, locking the head until commit."""
    bump = sa.update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1)
    row = db.session.execute(bump.returning(AuditHead.seq, AuditHead.chain_hash)).one_or_none()
    if row is None:  # a new database: create the head once, whoever gets there first
        insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
        db.session.execute(
            insert(AuditHead).values(id=1, seq=0, chain_hash=chain.GENESIS.hex()).on_conflict_do_nothing()
        )
        row = db.session.execute(bump.returning(AuditHead.seq, AuditHead.chain_hash)).one()
    return row.seq, bytes.fromhex(row.chain_hash)


def record_ranking_shown(opportunity, ranking, page, *, reviewer: User, filters: dict) -> AuditEntry:
    """Log (and commit) which ranked candidates a reviewer was shown, with the model, configuration and parts."""
    from marketplace.services import matching, vectors

    shown = [
        {
            "rank": row.rank,
            "candidate": reference(row.employee),
            "score": round(row.match.score, 6),
            "parts": {name: None if value is None else round(value, 6) for name, value in row.match.parts().items()},
        }
        for row in page.items
    ]
    payload = {
        "opportunity": reference(opportunity),
        "pool": {"filters": filters, "eligible": ranking.assessed, "excluded": ranking.excluded},
        "model": vectors.encoder().model_id,
        "config": dataclasses.asdict(matching.matching_config()),
        "page": page.page,
        "per_page": page.per_page,
        "shown": shown,
        # everyone the matcher scored for this view: the sample the bias report's scoring rate is taken over
        "ranked": [[reference(row.employee), round(row.match.score, 6)] for row in ranking.rows],
    }
    is_host = reviewer.employee_id is not None and reviewer.employee_id == opportunity.host_manager_id
    role = Role.HOST_MANAGER if is_host else Role.TALENT
    entry = record("ranking.shown", reference(opportunity), payload=payload, actor=reviewer, role=role)
    db.session.commit()
    return entry
