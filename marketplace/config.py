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
    # Working days are dates: hourly is soon enough, and both tasks do nothing when nothing is due.
    "escalate-overdue-releases": {"task": "marketplace.escalate_overdue_releases", "schedule": 3600.0},
    "start-due-secondments": {"task": "marketplace.start_due_secondments", "schedule": 3600.0},
    "end-due-secondments": {"task": "marketplace.end_due_secondments", "schedule": 3600.0},
    "send-reminders": {"task": "marketplace.send_reminders", "schedule": 3600.0},
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
    # Production shape: a PostgreSQL database. Secrets must then come from the environment (see check_secrets).
    production = database_url.startswith("postgresql")
    broker_url = env.get("CELERY_BROKER_URL") or f"sqla+sqlite:///{instance / 'celery-broker.sqlite'}"
    sweep_seconds = float(env.get("EMBED_SWEEP_SECONDS", "60"))
    ratelimit_uri = env.get("RATELIMIT_STORAGE_URI", "memory://")
    checkpoint_seconds = int(env.get("AUDIT_CHECKPOINT_SECONDS", "300"))
    celery = {
        "broker_url": broker_url,
        "result_backend": env.get("CELERY_RESULT_BACKEND") or f"db+sqlite:///{instance / 'celery-results.sqlite'}",
        "task_ignore_result": True,
        "broker_connection_retry_on_startup": True,
        **_reliable_delivery(broker_url, env),
        "beat_schedule": {**BEAT_SCHEDULE, **_embedding_schedule(sweep_seconds),
                          # sign the chain head and hand it to the witness
                          "audit-checkpoint": {"task": "marketplace.audit_checkpoint", "schedule": checkpoint_seconds}},
    }
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or ("" if production else _instance_secret(instance)),
        "PRODUCTION_SHAPE": production,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SQLITE_BUSY_TIMEOUT_MS": int(env.get("SQLITE_BUSY_TIMEOUT_MS", "15000")),
        "CELERY": celery,
        # a running job whose progress is older than this is taken to have crashed and is sent again
        "JOB_STALE_AFTER_SECONDS": int(env.get("JOB_STALE_AFTER_SECONDS", "300")),
        "EMBED_CHUNK": int(env.get("EMBED_CHUNK", "256")),  # texts embedded and committed together
        "EMBED_SWEEP_SECONDS": sweep_seconds,  # beat sends the embedding sweep this often
        "RATELIMIT_STORAGE_URI": ratelimit_uri,
        # Redis down: Flask-Limiter logs a warning, counts in this process's memory and checks for
        # Redis again every few requests, so log-in keeps working and stays limited (per process).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": _give_up_within_a_second(ratelimit_uri),
        # refused log-ins allowed per client address, and per e-mail address from anywhere (then it is locked)
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_ACCOUNT_RATE_LIMIT": env.get("LOGIN_ACCOUNT_RATE_LIMIT", "5 per 15 minutes"),
        # reverse proxies in front of the app whose X-Forwarded-For is trusted (0: the header is ignored)
        "PROXY_FIX_X_FOR": int(env.get("PROXY_FIX_X_FOR", "0")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "0") == "1",
        "BOOTSTRAP_SERVE_LOCAL": True,
        "EMBEDDING_MODEL": env.get("EMBEDDING_MODEL", ""),
        "DEMO_PASSWORD": env.get("DEMO_PASSWORD", "secondment-demo"),
        # Request bodies larger than this are refused with a 413 before they are read: every form,
        # and each text field of a multipart form; a form with more fields than MAX_FORM_PARTS too.
        "MAX_CONTENT_LENGTH": int(env.get("MAX_FORM_KB", "512")) * 1024,
        "MAX_FORM_MEMORY_SIZE": int(env.get("MAX_FORM_KB", "512")) * 1024,
        "MAX_FORM_PARTS": int(env.get("MAX_FORM_FIELDS", "1000")),
        # the one exception: views marked request_limits.takes_upload (the HRIS export) take this much
        "MAX_UPLOAD_BYTES": int(env.get("MAX_UPLOAD_MB", "64")) * 1024 * 1024,
        # Strict-Transport-Security max-age in seconds; 0 sends no HSTS header (set it once HTTPS is sure)
        "HSTS_SECONDS": int(env.get("HSTS_SECONDS", "0")),
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
        # the IANA time zone people enter and read times of day in (interviews); stored times stay UTC
        "TIMEZONE": env.get("TIMEZONE", "Europe/London"),
        "MATCHING": {},  # overrides of matching.MatchingConfig weights, e.g. {"weight_required": 0.7}
        # The Ed25519 key that signs audit checkpoints lives outside the database; production mounts
        # it as a secret file and sets AUDIT_CREATE_KEY=0 so a missing key is an error, not a new key.
        "AUDIT_SIGNING_KEY_FILE": env.get("AUDIT_SIGNING_KEY_FILE") or str(instance / "audit-signing-key.pem"),
        "AUDIT_CREATE_KEY": env.get("AUDIT_CREATE_KEY", "0" if production else "1") == "1",
        # `audit verify` trusts only this public key (written once beside a key created in the embedded setup)
        "AUDIT_PUBLIC_KEY_FILE": env.get("AUDIT_PUBLIC_KEY_FILE") or str(instance / "audit-public-key.pem"),
        # every checkpoint is also written here, one read-only file each; production mounts a volume
        # the database's administrators cannot rewrite (WORM storage, another host's share)
        "AUDIT_WITNESS_DIR": env.get("AUDIT_WITNESS_DIR") or str(instance / "audit-witness"),
        "AUDIT_WITNESS_URL": env.get("AUDIT_WITNESS_URL", ""),  # optional: each checkpoint is also POSTed here
        # checkpoints every this many seconds (beat), and after every AUDIT_CHECKPOINT_EVERY entries;
        # `audit verify` fails when entries older than twice the interval are in no witnessed checkpoint
        "AUDIT_CHECKPOINT_SECONDS": checkpoint_seconds,
        "AUDIT_CHECKPOINT_EVERY": max(1, int(env.get("AUDIT_CHECKPOINT_EVERY", "100"))),
        # sign-in e-mails the HRIS import may move an account to (comma-separated domains; empty: any)
        "ALLOWED_EMAIL_DOMAINS": _domains(env.get("ALLOWED_EMAIL_DOMAINS", "")),
        # a release left undecided this many working days (Mon-Fri) goes to the talent team too
        "RELEASE_ESCALATION_WORKING_DAYS": int(env.get("RELEASE_ESCALATION_WORKING_DAYS", "5")),
        # reminders: the line manager after this many working days; everyone before a start or an end
        "RELEASE_REMINDER_WORKING_DAYS": int(env.get("RELEASE_REMINDER_WORKING_DAYS", "2")),
        "SECONDMENT_START_REMINDER_DAYS": int(env.get("SECONDMENT_START_REMINDER_DAYS", "7")),
        "SECONDMENT_END_REMINDER_DAYS": int(env.get("SECONDMENT_END_REMINDER_DAYS", "30")),
        # the secondee and host hear this many days before a check-in, which may be recorded from then on
        "CHECK_IN_REMINDER_DAYS": int(env.get("CHECK_IN_REMINDER_DAYS", "5")),
        # the return plan is due this many days before the end date; the home manager is reminded then if it is missing
        "RETURN_PLAN_DAYS": int(env.get("RETURN_PLAN_DAYS", "30")),
        # an ended secondment this many days past its last day without a return review is listed for the talent team
        "RETURN_REVIEW_DAYS": int(env.get("RETURN_REVIEW_DAYS", "14")),
        # the talent team's aggregate of evaluations leaves out any figure built from fewer ratings than this
        "RETURN_FEEDBACK_MIN_GROUP": int(env.get("RETURN_FEEDBACK_MIN_GROUP", "3")),
        # policy cap on a secondment's total length, extensions included; passing it needs a warning
        "SECONDMENT_MAX_MONTHS": int(env.get("SECONDMENT_MAX_MONTHS", "24")),
        # when on, a host's "publish" asks the talent team to approve the opportunity first
        "PUBLISH_REQUIRES_APPROVAL": env.get("PUBLISH_REQUIRES_APPROVAL", "0") == "1",
    }


# Values seen in examples and tutorials: a key anyone can read is no secret.
PLACEHOLDER_SECRETS = frozenset({
    "secret", "secret-key", "secret_key", "secretkey", "changeme", "change-me", "change_me", "dev", "development",
    "test", "test-secret", "your-secret-key", "your_secret_key", "a long random string", "replace-me", "password",
})
MIN_SECRET_LENGTH = 32


def check_secrets(config: dict) -> None:
    """In production shape, refuse to start with a guessable SECRET_KEY or without the audit signing key."""
    if not config.get("PRODUCTION_SHAPE"):
        return
    key = config.get("SECRET_KEY") or ""
    if not key:
        raise RuntimeError("SECRET_KEY is not set. Set it to a long random string, the same on every web process.")
    if (len(key) < MIN_SECRET_LENGTH or key.strip().lower() in PLACEHOLDER_SECRETS or len(set(key)) < 10):
        raise RuntimeError(
            f"SECRET_KEY is weak: use at least {MIN_SECRET_LENGTH} random characters "
            "(for example `python -c 'import secrets; print(secrets.token_hex(32))'`), not a placeholder."
        )
    path = Path(config["AUDIT_SIGNING_KEY_FILE"])
    if not config.get("AUDIT_CREATE_KEY") and not path.exists():
        raise RuntimeError(
            f"AUDIT_SIGNING_KEY_FILE={path} does not exist. Mount the audit signing key there, or create it once "
            "with `AUDIT_CREATE_KEY=1 flask --app marketplace audit init-key`."
        )


def _domains(value: str) -> frozenset[str]:
    return frozenset(part.strip().lower().lstrip("@") for part in value.split(",") if part.strip())


def _reliable_delivery(broker_url: str, env) -> dict:
    """Celery settings under which no task is lost when a worker dies or the broker restarts."""
    settings = {
        # acknowledge after the task ran, and give back a task whose worker process died, so
        # another worker runs it; every task is therefore written to be idempotent
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,  # long tasks: a busy worker does not sit on queued ones
    }
    if broker_url.startswith(("redis://", "rediss://")):
        # Redis hands an unacknowledged task to another worker after this many seconds. Longer
        # than any task runs: a job redelivered while still running finds its run claimed and stops.
        settings["broker_transport_options"] = {"visibility_timeout": int(env.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
    return settings


def _give_up_within_a_second(ratelimit_uri: str) -> dict:
    """Redis client options under which an unreachable rate-limit store costs a request one second at most."""
    if ratelimit_uri.startswith(("redis://", "rediss://", "redis+unix://")):
        return {"socket_connect_timeout": 1, "socket_timeout": 1}
    return {}


def _embedding_schedule(every: float) -> dict:
    """Beat entries of the embedding sweep: stale rows, a model change, jobs lost with a worker."""
    return {
        "embed-stale": {
            "task": "marketplace.embed_stale",
            "schedule": every,
            "options": {"expires": every},  # sweeps missed while the broker was down do not pile up
        },
    }
