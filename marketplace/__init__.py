"""Secondment marketplace: the Flask application factory."""

from __future__ import annotations

import os

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the marketplace application."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("MARKETPLACE_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder="../templates",
    )
    from marketplace.config import from_environment

    app.config.from_mapping(from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    check_secrets(app)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    check_time_zone(app)
    check_embedding_model(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the unbound extension objects to this app."""
    from marketplace import database, headers, request_limits, security
    from marketplace.extensions import bootstrap, csrf, db, limiter, migrate
    from marketplace.services import audit, notifications

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(__file__), "..", "migrations"),
        render_as_batch=True,  # SQLite can only alter tables by copying them
        compare_type=True,
    )
    request_limits.init_app(app)  # form and upload body limits
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    security.init_app(app)
    headers.init_app(app)  # CSP, nosniff, no-store and the rest on every response
    notifications.init_app(app)  # queues notification e-mails after each commit
    audit.init_app(app)  # queues a checkpoint after every AUDIT_CHECKPOINT_EVERY audit entries


def register_blueprints(app: Flask) -> None:
    """Mount every blueprint."""
    from marketplace.blueprints import register_all

    register_all(app)


def register_errorhandlers(app: Flask) -> None:
    """Render every HTTP error through one template."""
    from marketplace import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """Add the marketplace's flask CLI commands."""
    from marketplace import cli

    cli.init_app(app)


def check_secrets(app: Flask) -> None:
    """In production shape (PostgreSQL), fail at start-up on a weak SECRET_KEY or a missing audit signing key."""
    from marketplace.config import check_secrets as check

    check(app.config)


def check_time_zone(app: Flask) -> None:
    """Fail at start-up when ``TIMEZONE`` names no IANA time zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(app.config["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise RuntimeError(
            f"TIMEZONE={app.config['TIMEZONE']!r} is not an IANA time zone; use a name such as Europe/London or UTC."
        ) from None


def check_embedding_model(app: Flask) -> None:
    """Fail at start-up, with the path, when the configured model is not on disk (never download it)."""
    from marketplace.services import vectors

    vectors.check_model(app)


def register_template_helpers(app: Flask) -> None:
    """Expose enums and formatting helpers to Jinja templates."""
    from marketplace import templating

    templating.init_app(app)
