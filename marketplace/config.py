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


# Periodic tasks run by `celery beat` (one beat per installation). Each task is idempotent.
BEAT_SCHEDULE = {
    "close-expired-opportunities": {
        "task": "marketplace.close_expired_opportunities",
        "schedule": 15 * 60.0,  # closing dates are days; a quarter-hour delay after midnight is fine
    },
    "send-pending-notification-emails": {
        "task": "marketplace.sweep_notification_emails",
        "schedule": 60.0,  # picks up e-mails whose task was lost (broker down) or whose worker died
    },
}


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
            "beat_schedule": BEAT_SCHEDULE,
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
        # Outgoing e-mail (SMTP); an empty MAIL_SERVER switches e-mail off, the inbox still works.
        "MAIL_SERVER": env.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "0") == "1",  # STARTTLS on a plain connection
        "MAIL_USE_SSL": env.get("MAIL_USE_SSL", "0") == "1",  # TLS from the start (port 465)
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": env.get("MAIL_FROM", "Secondments <secondments@localhost>"),
        "MAIL_TIMEOUT": float(env.get("MAIL_TIMEOUT", "30")),
        # Links in e-mails are absolute: the address people open the marketplace at.
        "BASE_URL": env.get("BASE_URL", "http://localhost:5000").rstrip("/"),
        "MATCHING": {},  # overrides of matching.MatchingConfig weights, e.g. {"weight_required": 0.7}
    }
