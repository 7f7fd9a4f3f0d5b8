"""Engine-level settings: SQLite needs WAL, a busy timeout and foreign keys switched on."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def init_app(app: Flask) -> None:
    """Configure each new SQLite connection so the web app and worker can write together."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    busy_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    from marketplace.extensions import db

    with app.app_context():
        engine = db.engine
    event.listen(engine, "connect", lambda conn, _record: configure_sqlite(conn, busy_ms))


def configure_sqlite(dbapi_connection, busy_timeout_ms: int) -> None:
    """Switch on WAL, a busy timeout and foreign-key enforcement on one connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


__all__ = ["init_app", "configure_sqlite", "Engine"]
