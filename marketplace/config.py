"""Configuration read from the environment, once, by the app factory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _instance_secret(instance_path: Path) -> str:
    """Return a per-installation secret key kept outside the repository."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def from_environment(instance_path: str) -> dict:
    """Build the Flask config mapping from environment variables."""
    instance = Path(instance_path)
    env = os.environ
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'marketplace.sqlite'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    broker_url = env.get("CELERY_BROKER_URL") or f"sqla+sqlite:///{instance / 'celery-broker.sqlite'}"
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or _instance_secret(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SQLITE_BUSY_TIMEOUT_MS": int(env.get("SQLITE_BUSY_TIMEOUT_MS", "15000")),
        "CELERY": {
            "broker_url": broker_url,
            "result_backend": env.get("CELERY_RESULT_BACKEND")
            or f"db+sqlite:///{instance / 'celery-results.sqlite'}",
            "task_ignore_result": True,
            "task_acks_late": True,
            "worker_prefetch_multiplier": 1,
            "broker_connection_retry_on_startup": True,
        },
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "0") == "1",
        "BOOTSTRAP_SERVE_LOCAL": True,
        "EMBEDDING_MODEL": env.get("EMBEDDING_MODEL", ""),
        "DEMO_PASSWORD": env.get("DEMO_PASSWORD", "secondment-demo"),
        "PAGE_SIZE": int(env.get("PAGE_SIZE", "20")),
        "CANDIDATE_LIMIT": int(env.get("CANDIDATE_LIMIT", "100")),
        "MATCHING": {},  # overrides of matching.MatchingConfig weights, e.g. {"weight_required": 0.7}
        # a release left undecided this many working days (Mon-Fri) goes to the talent team too
        "RELEASE_ESCALATION_WORKING_DAYS": int(env.get("RELEASE_ESCALATION_WORKING_DAYS", "5")),
        # when on, a host's "publish" asks the talent team to approve the opportunity first
        "PUBLISH_REQUIRES_APPROVAL": env.get("PUBLISH_REQUIRES_APPROVAL", "0") == "1",
    }
