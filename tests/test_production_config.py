"""Finding 14: in production shape (PostgreSQL) the app refuses to start with a guessable SECRET_KEY or no audit key."""

from __future__ import annotations

import pytest

from marketplace import create_app

STRONG = "3f9c1e7a5b2d48c6a0e4f7b1d9c3a5e8"


@pytest.fixture
def production(monkeypatch, tmp_path):
    """The environment of a production process on PostgreSQL, with no secrets set yet."""
    for name in ("SECRET_KEY", "AUDIT_CREATE_KEY", "AUDIT_SIGNING_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://marketplace@db.internal/marketplace")
    monkeypatch.setenv("MARKETPLACE_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("EMBEDDING_MODEL", "hashing")
    return monkeypatch


@pytest.mark.parametrize(("key", "says"), [
    (None, "SECRET_KEY is not set"),
    ("", "SECRET_KEY is not set"),
    ("dev", "SECRET_KEY is weak"),
    ("change-me", "SECRET_KEY is weak"),
    ("a-key-of-31-characters-is-short", "SECRET_KEY is weak"),
    ("x" * 64, "SECRET_KEY is weak"),
])
def test_a_missing_or_weak_secret_key_stops_the_app_naming_the_setting(production, key, says):
    if key is not None:
        production.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match=says):
        create_app()


def test_a_missing_audit_signing_key_stops_the_app_unless_creating_one_is_allowed(production, tmp_path):
    production.setenv("SECRET_KEY", STRONG)
    key_file = tmp_path / "audit-signing-key.pem"
    production.setenv("AUDIT_SIGNING_KEY_FILE", str(key_file))
    with pytest.raises(RuntimeError, match="AUDIT_SIGNING_KEY_FILE=.*does not exist"):
        create_app()
    production.setenv("AUDIT_CREATE_KEY", "1")
    assert create_app().config["AUDIT_CREATE_KEY"] is True
    production.delenv("AUDIT_CREATE_KEY")
    key_file.write_text("-----BEGIN PRIVATE KEY-----\n")  # mounted as a secret: its contents are checked on use
    assert create_app().config["SECRET_KEY"] == STRONG


def test_the_embedded_setup_still_starts_without_any_secret(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "DATABASE_URL", "AUDIT_CREATE_KEY", "AUDIT_SIGNING_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MARKETPLACE_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("EMBEDDING_MODEL", "hashing")
    app = create_app()
    assert len(app.config["SECRET_KEY"]) == 64 and app.config["AUDIT_CREATE_KEY"] is True
