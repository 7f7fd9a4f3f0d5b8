"""flask CLI commands for the background worker."""

from __future__ import annotations

import click
from celery.exceptions import TimeoutError as NoAnswer
from flask import Flask, current_app
from flask.cli import with_appcontext
from kombu.utils.url import maybe_sanitize_url

from marketplace.queue import enqueue, wait_for_result


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(jobs_ping_command)


@click.command("jobs-ping")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait for a worker to answer.")
@with_appcontext
def jobs_ping_command(timeout: float) -> None:
    """Check that a background worker is running: queue a ping and wait for its answer."""
    broker = maybe_sanitize_url(current_app.config["CELERY"]["broker_url"])
    task_id = enqueue("marketplace.ping")
    if task_id is None:
        raise click.ClickException(f"Could not reach the task broker at {broker}.")
    try:
        answer = wait_for_result(task_id, timeout)
    except NoAnswer:
        raise click.ClickException(
            f"No worker answered within {timeout:g} s on {broker}. "
            "Start one with: celery -A jobs.worker worker"
        ) from None
    except Exception as exc:  # the task itself failed in the worker
        raise click.ClickException(f"The worker answered with an error: {exc!r}") from None
    click.echo(f"Worker answered {answer!r} on {broker}.")
