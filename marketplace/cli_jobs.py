"""flask CLI commands for the background worker."""

from __future__ import annotations

import datetime as dt
import time

import click
from celery.exceptions import TimeoutError as NoAnswer
from flask import Flask, current_app
from flask.cli import with_appcontext
from kombu.utils.url import maybe_sanitize_url

from marketplace.queue import enqueue, wait_for_result


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(jobs_ping_command)
    app.cli.add_command(jobs_status_command)


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


@click.command("jobs-status")
@click.option("--days", default=7, show_default=True, help="Show runs that failed in this many past days.")
@click.option("--worker-timeout", default=3.0, show_default=True,
              help="Seconds to wait for a worker to answer a ping; 0 skips the check.")
@with_appcontext
def jobs_status_command(days: int, worker_timeout: float) -> None:
    """List queued, running and recently failed background jobs, rows waiting for vectors, and the worker."""
    from marketplace.clock import utcnow
    from marketplace.services import embedding, jobs

    if worker_timeout > 0:
        click.echo(_worker_state(worker_timeout))
    stale = embedding.stale_counts()
    waiting = f"{stale['employees']:,} profiles and {stale['opportunities']:,} secondments wait for their vectors"
    click.echo(waiting + (f" (oldest since {stale['oldest']:%Y-%m-%d %H:%M} UTC)." if stale["oldest"] else "."))

    unfinished = jobs.unfinished_runs()
    failed = jobs.failed_runs(utcnow() - dt.timedelta(days=days))
    click.echo(f"{len(unfinished)} queued or running, {len(failed)} failed in the last {days} days.")
    for run in unfinished + failed:
        click.echo(f"  #{run.id:<5} {run.status:<9} {run.kind_label}: {run.label} · {_counts(run)}")
        if run.message:
            click.echo(f"         {run.message}")


def _worker_state(timeout: float) -> str:
    """One line: does a worker answer a ping within ``timeout`` seconds?"""
    broker = maybe_sanitize_url(current_app.config["CELERY"]["broker_url"])
    task_id = enqueue("marketplace.ping")
    if task_id is None:
        return f"Task broker unreachable at {broker}: new work waits, and the sweep catches up once it is back."
    try:
        wait_for_result(task_id, timeout)
    except NoAnswer:
        return f"No worker answered within {timeout:g} s on {broker}. Start one with: celery -A jobs.worker worker"
    except Exception as exc:  # the ping itself failed in the worker, e.g. it cannot reach the database
        return f"The worker check failed: {exc!r}"
    return f"A worker answers on {broker}."


def _counts(run) -> str:
    total = "?" if run.total is None else f"{run.total:,}"
    return f"{run.processed:,} of {total} done, {run.rejected:,} rejected"


def follow_run(run_id: int, *, poll_seconds: float = 1.0) -> None:
    """Show a progress bar for a queued run until it finishes; exits non-zero if it failed."""
    from marketplace.extensions import db
    from marketplace.services import jobs

    run = jobs.get_run(run_id)
    while not run.is_finished:
        # one bar per stage: a job with stages (an import) counts each stage from zero
        stage = run.stage
        with click.progressbar(length=run.total or 1, label=stage or run.kind_label, show_pos=True) as bar:
            while True:
                db.session.expire_all()
                run = jobs.get_run(run_id)
                if run.stage != stage and not run.is_finished:
                    break
                if run.total:
                    bar.length = run.total
                bar.update(max(0, run.processed - bar.pos))
                if run.is_finished:
                    break
                time.sleep(poll_seconds)
    if run.status == "failed":
        raise click.ClickException(f"Job #{run.id} failed: {run.message}")
    click.echo(run.message or f"Job #{run.id} finished.")
