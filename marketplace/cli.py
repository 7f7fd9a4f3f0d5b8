"""flask CLI commands of the marketplace."""

from __future__ import annotations

import click
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(create_user_command)


@click.command("create-user")
@click.argument("email")
@click.option("--role", "roles", multiple=True, type=click.Choice(["employee", "line_manager", "host_manager", "talent", "admin"]), required=True)
@click.password_option()
def create_user_command(email: str, roles: tuple[str, ...], password: str) -> None:
    """Create a log-in account (for example the first admin)."""
    from marketplace.extensions import db
    from marketplace.models import Role
    from marketplace.services.accounts import create_user

    create_user(email, password, {Role(r) for r in roles})
    db.session.commit()
    click.echo(f"Created {email}.")
