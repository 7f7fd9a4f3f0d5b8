"""The audit log is append-only and tamper-evident: the verifier finds any change an administrator makes."""

from __future__ import annotations

import datetime as dt
import shutil
import threading

import pytest
import sqlalchemy as sa
import time_machine
from sqlalchemy.exc import DBAPIError

from marketplace.cli_audit import verify_command
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import AuditCheckpoint, AuditEntry, AuditHead
from marketplace.services import audit
from marketplace.services.audit import chain, log, signing, witness
from tests.conftest import lift_audit_triggers, restore_audit_triggers


def _append(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        audit.record("shortlist.added", f"application:{i}", role="host_manager", reason_code="skills_match",
                     reason_text="Strong Python and SQL.", payload={"rank": i + 1, "score": 0.5 + i / 100})
    db.session.commit()


@pytest.fixture
def tamper(app):
    """Run SQL as a careful database administrator: triggers lifted for the statement, then put back."""

    def run(sql: str, **params) -> None:
        with db.engine.begin() as conn:
            lifted = lift_audit_triggers(conn)
            conn.execute(sa.text(sql), params)
            restore_audit_triggers(conn, lifted)
        db.session.expire_all()

    return run


@pytest.fixture
def postgres_only(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the replication role and ALWAYS triggers are PostgreSQL's")


def _rehash_from(seq: int, tamper) -> None:
    """Recompute every hash from ``seq`` on, and the head's, as someone who rewrote an entry would."""
    previous = bytes.fromhex(db.session.get(AuditEntry, seq - 1).chain_hash) if seq > 1 else chain.GENESIS
    for entry in db.session.scalars(sa.select(AuditEntry).where(AuditEntry.seq >= seq).order_by(AuditEntry.seq)).all():
        leaf = chain.leaf_hash(chain.document(
            seq=entry.seq, recorded_at=entry.recorded_at, actor=entry.actor, actor_role=entry.actor_role,
            action=entry.action, subject=entry.subject, reason_code=entry.reason_code,
            reason_text=entry.reason_text, payload=entry.payload))
        previous = chain.chain_hash(previous, leaf)
        tamper("UPDATE audit_log SET leaf_hash = :l, chain_hash = :c WHERE seq = :s",
               l=leaf.hex(), c=previous.hex(), s=entry.seq)
    tamper("UPDATE audit_head SET chain_hash = :c", c=previous.hex())


def _cut_tail_after(seq: int, tamper) -> None:
    """Delete the entries after ``seq`` and their checkpoints, and move the head back to ``seq``."""
    tamper("DELETE FROM audit_checkpoints WHERE seq > :s", s=seq)
    tamper("DELETE FROM audit_log WHERE seq > :s", s=seq)
    tamper("UPDATE audit_head SET seq = :s, chain_hash = :c", s=seq, c=db.session.get(AuditEntry, seq).chain_hash)


def _verify(runner):
    return runner.invoke(verify_command, catch_exceptions=False)


def test_sound_log_verifies_and_counts_its_entries(app, runner):
    _append(5)
    audit.checkpoint()
    _append(3, start=5)
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "8 entries checked, 1 signed checkpoints valid" in result.output
    assert "holds 1, covering entries up to 5" in result.output
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


CHANGES = ["UPDATE audit_log SET reason_text = 'edited'", "DELETE FROM audit_log",
           "UPDATE audit_head SET seq = 1", "DELETE FROM audit_head"]


@pytest.mark.parametrize("statement", CHANGES)
def test_database_refuses_to_change_or_delete_entries_or_move_the_head_back(app, statement):
    _append(2)
    with pytest.raises(DBAPIError, match="append-only|only moves forward"):
        with db.engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 2
    assert db.session.get(AuditHead, 1).seq == 2


@pytest.mark.parametrize("statement", [*CHANGES, "DELETE FROM audit_checkpoints", "TRUNCATE audit_log CASCADE"])
def test_replication_role_does_not_get_past_the_triggers(app, postgres_only, statement):
    """`SET session_replication_role = replica` skips ordinary triggers; these fire ALWAYS."""
    _append(2)
    audit.checkpoint()
    with pytest.raises(DBAPIError, match="append-only|only moves forward"):
        with db.engine.begin() as conn:
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
            conn.execute(sa.text(statement))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint)) == 1


def test_changed_payload_is_found_at_its_sequence_number(app, runner, tamper):
    _append(6)
    tamper("UPDATE audit_log SET payload = :p WHERE seq = 4", p='{"rank":1,"score":0.99}')
    result = _verify(runner)
    assert result.exit_code != 0
    assert "FAILED at entry 4" in result.output and "changed after it was written" in result.output
    assert "3 entries before it were sound" in result.output


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
    _rehash_from(2, tamper)
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


# The attacks of issue #13, finding 2: each must make `audit verify` fail.

def test_cut_tail_and_head_moved_back_fail_against_the_witness(app, runner, tamper):
    _append(5)
    audit.checkpoint()
    _append(3, start=5)
    audit.checkpoint()
    _cut_tail_after(6, tamper)  # the checkpoint at 8 goes from the database, not from the witness
    for args in ([], ["--public-key", str(signing.public_key_path())]):
        result = runner.invoke(verify_command, args)
        assert result.exit_code != 0, result.output
        assert "FAILED at entry 7: entries after 6 are missing: the witness covers up to 8" in result.output


def test_rewritten_and_rehashed_tail_fails_against_the_witness(app, runner, tamper):
    _append(5)
    audit.checkpoint()
    _append(3, start=5)
    audit.checkpoint()
    tamper("DELETE FROM audit_checkpoints WHERE seq = 8")
    tamper("UPDATE audit_log SET reason_text = 'Did not apply.' WHERE seq = 7")
    _rehash_from(7, tamper)
    result = runner.invoke(verify_command, ["--public-key", str(signing.public_key_path())])
    assert result.exit_code != 0, result.output
    assert "FAILED at entry 8: the log differs from what the witness holds for entry 8" in result.output


def test_deleted_checkpoints_and_fifty_entries_cut_from_the_signed_part_fail(app, runner, tamper):
    _append(60)
    audit.checkpoint()
    tamper("DELETE FROM audit_checkpoints")
    _cut_tail_after(10, tamper)
    result = _verify(runner)
    assert result.exit_code != 0, result.output
    assert "entries after 10 are missing: the witness covers up to 60" in result.output
    assert "Audit log OK" not in result.output


def test_entries_no_witnessed_checkpoint_covers_fail_once_older_than_twice_the_interval(app, runner):
    _append(3)
    assert _verify(runner).exit_code == 0  # just written: the next checkpoint is not due yet
    with time_machine.travel(utcnow().replace(tzinfo=dt.timezone.utc) + dt.timedelta(minutes=11)):
        result = _verify(runner)
    assert result.exit_code != 0
    assert "FAILED at entry 1: 0 witnessed checkpoints" in result.output and "more than 10 minutes ago" in result.output

    audit.checkpoint()
    _append(2, start=3)
    with time_machine.travel(utcnow().replace(tzinfo=dt.timezone.utc) + dt.timedelta(minutes=9)):
        assert _verify(runner).exit_code == 0
    with time_machine.travel(utcnow().replace(tzinfo=dt.timezone.utc) + dt.timedelta(minutes=11)):
        result = _verify(runner)
    assert result.exit_code != 0
    assert "FAILED at entry 4: the last witnessed checkpoint covers entries up to 3" in result.output


def test_replaced_signing_key_is_refused_by_the_pinned_public_key(app, runner, tamper):
    """Whoever replaces the key file (and empties the witness) signs a rewritten log; the pin still holds."""
    _append(5)
    audit.checkpoint()
    signing.key_path().unlink()
    signing.create_key(signing.key_path())
    tamper("DELETE FROM audit_checkpoints")
    tamper("UPDATE audit_log SET reason_text = 'Did not apply.' WHERE seq = 2")
    _rehash_from(2, tamper)
    shutil.rmtree(witness.directory(), ignore_errors=True)
    assert audit.checkpoint().seq == 5
    result = _verify(runner)
    assert result.exit_code != 0, result.output
    assert "checkpoint at 5 was signed with another key" in result.output and "not the pinned one" in result.output


def test_without_a_pinned_key_no_checkpoint_counts(app, runner):
    _append(2)
    audit.checkpoint()
    signing.public_key_path().unlink()
    result = _verify(runner)
    assert result.exit_code != 0
    assert "no public key is pinned" in result.output


def _definition(conn, trigger: str) -> str:
    if conn.dialect.name == "sqlite":
        return conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": trigger}).scalar_one()
    return conn.execute(sa.text("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = :n"),
                        {"n": trigger}).scalar_one()


@pytest.mark.parametrize("table, trigger", [("audit_head", "audit_head_no_rewind"),
                                            ("audit_checkpoints", "audit_checkpoint_no_delete"),
                                            ("audit_log", "audit_log_no_update")])
def test_a_dropped_trigger_fails_verification(app, runner, table, trigger):
    _append(2)
    with db.engine.begin() as conn:
        definition = _definition(conn, trigger)
        conn.execute(sa.text(f"DROP TRIGGER {trigger}" + (f" ON {table}" if conn.dialect.name == "postgresql" else "")))
    try:
        result = _verify(runner)
        assert result.exit_code != 0
        assert f"the append-only trigger {trigger} on {table} is missing" in result.output
    finally:
        with db.engine.begin() as conn:
            conn.execute(sa.text(definition))
            restore_audit_triggers(conn, [])


@pytest.mark.parametrize("change", ["ALTER TABLE audit_head DISABLE TRIGGER audit_head_no_rewind",
                                    "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_delete"])  # replica skips it
def test_a_disabled_or_skippable_trigger_fails_verification(app, runner, postgres_only, change):
    _append(2)
    with db.engine.begin() as conn:
        conn.execute(sa.text(change))
    try:
        result = _verify(runner)
        assert result.exit_code != 0
        assert "is disabled, or does not fire always" in result.output
    finally:
        with db.engine.begin() as conn:
            restore_audit_triggers(conn, [])


def test_a_trigger_whose_function_no_longer_refuses_fails_verification(app, runner, postgres_only):
    _append(2)
    with db.engine.begin() as conn:
        original = conn.execute(sa.text("SELECT pg_get_functiondef('refuse_audit_change'::regproc)")).scalar_one()
        conn.execute(sa.text("CREATE OR REPLACE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql "
                             "AS $$ BEGIN RETURN OLD; END $$"))
    try:
        result = _verify(runner)
        assert result.exit_code != 0
        assert "the append-only trigger audit_log_no_delete on audit_log no longer refuses changes" in result.output
    finally:
        with db.engine.begin() as conn:
            conn.execute(sa.text(original))


def test_checkpoint_is_witnessed_once_in_a_read_only_file(app):
    _append(3)
    row = audit.checkpoint()
    files = sorted(witness.directory().iterdir())
    assert [f.name for f in files] == ["checkpoint-000000000003.json"]
    assert files[0].stat().st_mode & 0o777 == 0o444
    [(_, held)] = witness.read(witness.directory())
    assert (held.seq, held.chain_hash, held.signature) == (3, row.chain_hash, row.signature)
    assert audit.checkpoint() is None and len(list(witness.directory().iterdir())) == 1


def test_witness_refuses_another_chain_hash_for_a_witnessed_entry(app, tamper):
    _append(3)
    audit.checkpoint()
    tamper("DELETE FROM audit_checkpoints")
    tamper("UPDATE audit_log SET reason_text = 'Did not apply.' WHERE seq = 3")
    _rehash_from(3, tamper)
    with pytest.raises(witness.WitnessConflict, match="another chain hash for entry 3"):
        audit.checkpoint()


def test_every_nth_entry_queues_a_checkpoint_after_its_commit(app, monkeypatch):
    queued = []
    monkeypatch.setattr(log, "enqueue", queued.append)
    app.config["AUDIT_CHECKPOINT_EVERY"] = 3
    _append(2)
    assert queued == []
    audit.record("offer.made", "application:9", role="host_manager", payload={})
    db.session.rollback()  # entry 3 never happened: nothing to sign
    assert queued == []
    _append(1, start=2)
    assert queued == ["marketplace.audit_checkpoint"]
    _append(3, start=3)
    assert queued == ["marketplace.audit_checkpoint"] * 2


def test_beat_checkpoints_every_few_minutes(monkeypatch, tmp_path):
    from marketplace.config import from_environment

    monkeypatch.delenv("AUDIT_CHECKPOINT_SECONDS", raising=False)
    schedule = from_environment(str(tmp_path))["CELERY"]["beat_schedule"]["audit-checkpoint"]
    assert schedule == {"task": "marketplace.audit_checkpoint", "schedule": 300}


def test_a_witness_missing_the_latest_checkpoint_fails(app, runner, tmp_path):
    _append(2)
    audit.checkpoint()
    result = runner.invoke(verify_command, ["--witness", str(tmp_path / "elsewhere")])
    assert result.exit_code != 0
    assert "the checkpoint at 2 is not in the witness, which covers entries up to 0" in result.output


def test_each_checkpoint_is_also_posted_to_the_witness_url(app):
    from http.server import BaseHTTPRequestHandler, HTTPServer

    received = []

    class Auditor(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Auditor)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    app.config["AUDIT_WITNESS_URL"] = f"http://127.0.0.1:{server.server_port}/checkpoints"
    try:
        _append(2)
        row = audit.checkpoint()
        thread.join(timeout=5)
    finally:
        server.server_close()
    [body] = received
    assert body + b"\n" == (witness.directory() / "checkpoint-000000000002.json").read_bytes()
    assert row.signature in body.decode()


def test_an_unreachable_witness_url_leaves_the_checkpoint_to_be_signed_again(app):
    app.config["AUDIT_WITNESS_URL"] = "http://127.0.0.1:9/checkpoints"  # the discard port: nobody listens
    _append(2)
    with pytest.raises(OSError):
        audit.checkpoint()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint)) == 0
    app.config["AUDIT_WITNESS_URL"] = ""
    assert audit.checkpoint().seq == 2  # the retry finds the file already written and commits the row
    assert len(list(witness.directory().glob("checkpoint-*.json"))) == 1
