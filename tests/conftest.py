"""Fixtures: every test runs on SQLite, and again on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import partial
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app

from marketplace import create_app
from marketplace.extensions import db
from marketplace.services.audit.verify import APPEND_ONLY_TRIGGERS

# Apps a test builds without an instance folder of its own (and the workers and servers tests start) never write
# into the developer's instance/: its audit witness belongs to the demo database, not to a test's.
os.environ["MARKETPLACE_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="marketplace-tests-")

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _postgres_url() -> str:
    url = os.environ["TEST_DATABASE_URL"]
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> str:
    """A freshly migrated database; on PostgreSQL a missing server fails the run, never skips."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    else:
        url = _postgres_url()
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(_test_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return url


def _test_config(url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": "localhost",
        "CELERY": {"broker_url": "memory://", "task_always_eager": False, "task_ignore_result": True},
        # each test's own audit key, pin and witness: a witness outliving the emptied tables would be a truncation
        "AUDIT_SIGNING_KEY_FILE": str(instance / "audit-signing-key.pem"),
        "AUDIT_PUBLIC_KEY_FILE": str(instance / "audit-public-key.pem"),
        "AUDIT_WITNESS_DIR": str(instance / "audit-witness"),
    }


@pytest.fixture
def app(database_url, tmp_path):
    """The app bound to the migrated test database; every table is emptied afterwards."""
    app = create_app(_test_config(database_url, tmp_path))
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


def lift_audit_triggers(conn) -> list:
    """Take the append-only triggers out of the way, as a database administrator can; returns what to restore."""
    if conn.dialect.name == "postgresql":
        for table in APPEND_ONLY_TRIGGERS:
            conn.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        return []
    triggers = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    for name, _ in triggers:
        conn.execute(sa.text(f'DROP TRIGGER "{name}"'))
    return triggers


def restore_audit_triggers(conn, lifted: list) -> None:
    """Put the triggers back as the migrations left them (ALWAYS on PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        for table, names in APPEND_ONLY_TRIGGERS.items():
            conn.execute(sa.text(f"ALTER TABLE {table} " + ", ".join(f"ENABLE ALWAYS TRIGGER {n}" for n in names)))
        return
    for _, sql in lifted:
        conn.execute(sa.text(sql))


def _empty_all_tables() -> None:
    """Empty every table, and the audit witness with the log it anchors, for the next test."""
    witness = Path(current_app.config["AUDIT_WITNESS_DIR"])
    if witness.is_dir():
        shutil.rmtree(witness)
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        lifted = lift_audit_triggers(conn)
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
        restore_audit_triggers(conn, lifted)


@pytest.fixture(autouse=True)
def cheap_password_hashing(request, monkeypatch):
    """Scrypt takes ~0.4 s a hash; tests log in hundreds of times. Opt out with @pytest.mark.real_password_hashing."""
    if request.node.get_closest_marker("real_password_hashing"):
        return
    from werkzeug.security import generate_password_hash

    from marketplace.models import user as user_model

    monkeypatch.setattr(
        user_model, "generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1")
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
