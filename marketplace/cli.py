"""flask CLI commands of the marketplace."""

from __future__ import annotations

import click
from flask import Flask, current_app

from marketplace import cli_audit, cli_imports, cli_jobs


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(create_user_command)
    app.cli.add_command(load_skills_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(embed_command)
    app.cli.add_command(reembed_command)
    cli_jobs.init_app(app)
    cli_audit.init_app(app)
    app.cli.add_command(cli_imports.import_employees_command)


@click.command("create-user")
@click.argument("email")
@click.option("--role", "roles", multiple=True, type=click.Choice(["employee", "line_manager", "host_manager", "talent", "admin"]), required=True)
@click.password_option()
def create_user_command(email: str, roles: tuple[str, ...], password: str) -> None:
    """Create a log-in account (for example the first admin)."""
    from marketplace.errors import DomainError
    from marketplace.extensions import db
    from marketplace.models import Role
    from marketplace.services.accounts import create_user

    try:
        create_user(email, password, {Role(r) for r in roles})
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {email}.")


@click.command("load-skills")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Load only the first N ESCO skills (for quick checks).")
def load_skills_command(limit: int | None) -> None:
    """Load or refresh the ESCO skill catalogue and our supplement (safe to run again)."""
    from marketplace.services.catalogue import load_catalogue

    report = load_catalogue(limit=limit)
    click.echo(report.summary())


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo organisation (and the skill catalogue if it is empty); safe to run again."""
    from marketplace.services.demo import DEMO_ACCOUNTS, MissingDemoSkills, seed_demo

    try:
        report = seed_demo(current_app.config["DEMO_PASSWORD"])
    except MissingDemoSkills as error:
        raise click.ClickException(str(error)) from error
    click.echo(report.summary())
    click.echo("Demo log-ins (password: the DEMO_PASSWORD setting):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.email:<32} {account.role.label:<14} {account.what_to_try}")


@click.command("embed")
def embed_command() -> None:
    """Embed every profile and open secondment not yet in the vector cache (safe to run again)."""
    from marketplace.services import embedding

    texts = embedding.texts_to_embed()
    with click.progressbar(length=len(texts), label="Embedding texts") as bar:
        new = embedding.embed_texts(texts, progress=bar.update)
    click.echo(f"{new} new vectors stored; {len(texts) - new} were already cached.")
    swept = embedding.embed_stale()  # every text is cached now: this only clears the rows' stale marks
    click.echo(f"{swept['rows']} profiles and secondments are up to date.")


@click.command("reembed")
@click.option("--here", is_flag=True, help="Run in this process instead of a background worker.")
@click.option("--no-wait", is_flag=True, help="Queue the job and return without following its progress.")
def reembed_command(here: bool, no_wait: bool) -> None:
    """Embed every profile and secondment under the current model, as a job (e.g. after a model change)."""
    from marketplace.services import embedding

    run = embedding.queue_reembed(send_now=not here)
    click.echo(f"Job #{run.id}: {run.label}. Progress: /jobs/{run.id} or `flask jobs-status`.")
    if here:
        with click.progressbar(length=1, label="Embedding texts", show_pos=True) as bar:

            def show(run) -> None:
                bar.length = max(run.total or 1, 1)
                bar.update(run.processed - bar.pos)

            finished = embedding.reembed(run.id, progress=show)
        if finished is None:
            raise click.ClickException(f"Job #{run.id} was taken over by a worker; follow it with `flask jobs-status`.")
        click.echo(finished.message)
    elif not run.task_id:
        raise click.ClickException(
            f"{run.message} Start the broker, or run it here with `flask reembed --here`."
        )
    elif not no_wait:
        cli_jobs.follow_run(run.id)

