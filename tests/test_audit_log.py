"""The audit log is append-only and tamper-evident: the verifier finds any change an administrator makes."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from marketplace.cli_audit import verify_command
from marketplace.extensions import db
from marketplace.models import AuditCheckpoint, AuditEntry, AuditHead
from marketplace.services import audit
from marketplace.services.audit import chain, signing


def _append(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        audit.record("shortlist.added", f"application:{i}", role="host_manager", reason_code="skills_match",
                     reason_text="Strong Python and SQL.", payload={"rank": i + 1, "score": 0.5 + i / 100})
    db.session.commit()


@pytest.fixture
def tamper(app):
    """Run SQL as a database administrator would: with the append-only triggers out of the way."""
    dialect = db.engine.dialect.name
    saved = []
    with db.engine.begin() as conn:
        if dialect == "sqlite":
            saved = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            for name, _ in saved:
                conn.execute(sa.text(f'DROP TRIGGER "{name}"'))
        else:
            conn.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER USER"))

    def run(sql: str, **params) -> None:
        with db.engine.begin() as conn:
            conn.execute(sa.text(sql), params)
        db.session.expire_all()

    yield run
    with db.engine.begin() as conn:
        if dialect == "sqlite":
            for _, sql in saved:
                conn.execute(sa.text(sql))
        else:
            conn.execute(sa.text("ALTER TABLE audit_log ENABLE TRIGGER USER"))


def _verify(runner):
    return runner.invoke(verify_command, catch_exceptions=False)


def test_sound_log_verifies_and_counts_its_entries(app, runner):
    _append(5)
    audit.checkpoint()
    _append(3, start=5)
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "8 entries checked, 1 signed checkpoints valid" in result.output
    seqs = db.session.scalars(sa.select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
    assert seqs == list(range(1, 9))
    assert db.session.get(AuditHead, 1).seq == 8


def test_entry_hashes_follow_the_published_formula(app):
    _append(2)
    first, second = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq)).all()
    import hashlib
    import json

    doc = {
        "seq": 2, "recorded_at": second.recorded_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "actor": "system",
        "actor_role": "host_manager", "action": "shortlist.added", "subject": "application:1",
        "reason_code": "skills_match", "reason_text": "Strong Python and SQL.",
        "payload": {"rank": 2, "score": 0.51},
    }
    # An auditor's own canonical JSON (sorted keys, no spaces) gives the same leaf and chain.
    leaf = hashlib.sha256(b"\x00" + json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()).digest()
    assert second.leaf_hash == leaf.hex()
    assert second.chain_hash == hashlib.sha256(b"\x01" + bytes.fromhex(first.chain_hash) + leaf).hexdigest()
    assert second.payload == '{"rank":2,"score":0.51}'


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET reason_text = 'edited'", "DELETE FROM audit_log"])
def test_database_refuses_to_change_or_delete_entries(app, statement):
    _append(2)
    with pytest.raises(DBAPIError, match="append-only"):
        with db.engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 2


def test_changed_payload_is_found_at_its_sequence_number(app, runner, tamper):
    _append(6)
    tamper("UPDATE audit_log SET payload = :p WHERE seq = 4", p='{"rank":1,"score":0.99}')
    result = _verify(runner)
    assert result.exit_code != 0
    assert "FAILED at entry 4" in result.output and "changed after it was written" in result.output
    assert "3 entries before it were sound" in result.output
    assert "trigger audit_log_no_update is missing or disabled" in result.output


def test_deleted_entry_is_found_as_a_gap(app, runner, tamper):
    _append(6)
    tamper("DELETE FROM audit_log WHERE seq = 3")
    result = _verify(runner)
    assert result.exit_code != 0
    assert "FAILED at entry 3: entry 3 is missing" in result.output


def test_cut_off_tail_is_found_through_the_head(app, runner, tamper):
    _append(6)
    tamper("DELETE FROM audit_log WHERE seq >= 5")
    result = _verify(runner)
    assert result.exit_code != 0
    assert "FAILED at entry 5" in result.output and "head says 6 entries" in result.output


def test_rewritten_history_is_caught_by_the_signed_checkpoint(app, runner, tamper):
    """Someone recomputes every hash after a change (and the head): only the signature can tell."""
    _append(5)
    audit.checkpoint()
    tamper("UPDATE audit_log SET reason_text = 'Did not apply.' WHERE seq = 2")
    previous = bytes.fromhex(db.session.get(AuditEntry, 1).chain_hash)
    for entry in db.session.scalars(sa.select(AuditEntry).where(AuditEntry.seq >= 2).order_by(AuditEntry.seq)):
        leaf = chain.leaf_hash(chain.document(
            seq=entry.seq, recorded_at=entry.recorded_at, actor=entry.actor, actor_role=entry.actor_role,
            action=entry.action, subject=entry.subject, reason_code=entry.reason_code,
            reason_text=entry.reason_text, payload=entry.payload))
        previous = chain.chain_hash(previous, leaf)
        tamper("UPDATE audit_log SET leaf_hash = :l, chain_hash = :c WHERE seq = :s",
               l=leaf.hex(), c=previous.hex(), s=entry.seq)
    tamper("UPDATE audit_head SET chain_hash = :c", c=previous.hex())
    result = _verify(runner)
    assert result.exit_code != 0
    assert "FAILED at entry 5" in result.output and "rewritten" in result.output


def test_checkpoint_signed_by_another_key_is_refused(app, runner, tmp_path):
    _append(2)
    audit.checkpoint()
    other = tmp_path / "other.pem"
    signing.create_key(other)
    public = tmp_path / "other.pub"
    public.write_bytes(signing.public_key_pem(signing.load_private_key(other)))
    result = runner.invoke(verify_command, ["--public-key", str(public)])
    assert result.exit_code != 0 and "signed with another key" in result.output


def test_checkpoint_only_when_the_chain_moved(app):
    assert audit.checkpoint() is None  # empty log
    _append(1)
    assert audit.checkpoint().seq == 1
    assert audit.checkpoint() is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint)) == 1


def test_rolled_back_decision_leaves_no_entry_and_no_gap(app, runner):
    _append(1)
    audit.record("offer.made", "application:9", role="host_manager", payload={})
    db.session.rollback()  # the decision failed: its entry goes with it
    _append(1, start=1)
    assert db.session.scalars(sa.select(AuditEntry.seq).order_by(AuditEntry.seq)).all() == [1, 2]
    assert _verify(runner).exit_code == 0


def test_concurrent_appends_get_consecutive_numbers(app, runner):
    """Appends from many sessions at once are serialised by the head row: no gaps, one chain."""
    errors = []

    def append_some(worker: int) -> None:
        with app.app_context():
            try:
                for i in range(5):
                    audit.record("ranking.shown", f"opportunity:{worker}", role="talent", payload={"i": i})
                    db.session.commit()
            except Exception as exc:  # reported below; a thread's exception would otherwise vanish
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=append_some, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert db.session.scalars(sa.select(AuditEntry.seq).order_by(AuditEntry.seq)).all() == list(range(1, 21))
    assert _verify(runner).exit_code == 0


def test_periodic_task_signs_the_head_once(app):
    from jobs.audit import audit_checkpoint

    _append(3)
    assert audit_checkpoint.run() == 3
    assert audit_checkpoint.run() is None
