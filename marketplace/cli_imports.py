"""flask import-employees: load an HRIS export here with a progress bar, or queue it for the workers."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from marketplace.extensions import db
from marketplace.models import ImportFormat, Organisation, OrganisationKind


@click.command("import-employees")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default=None,
              help="Format of FILE; by default from its extension.")
@click.option("--organisation", default=None,
              help="Organisation the employees work for (created as internal if new); "
                   "by default the only internal organisation.")
@click.option("--background", is_flag=True, help="Queue the import for a worker and follow its progress.")
@with_appcontext
def import_employees_command(file: Path, fmt: str | None, organisation: str | None, background: bool) -> None:
    """Import employees from an HRIS export (CSV or JSON); safe to run again with the same file."""
    from marketplace import cli_jobs
    from marketplace.services import imports

    try:
        content = file.read_bytes()
    except OSError as error:
        raise click.ClickException(f"Cannot read {file}: {error.strerror or error}.") from None
    org = _organisation(organisation)
    try:
        run = imports.store_upload(file.name, content, org, fmt=ImportFormat(fmt) if fmt else None)
    except imports.FileProblem as problem:
        db.session.rollback()
        raise click.ClickException(f"{file.name}: {problem}") from None
    click.echo(f"Import #{run.id}: {run.total:,} rows from {file.name} into {org.name}.")
    if background:
        from marketplace.services import jobs

        if not jobs.send(run):
            raise click.ClickException(f"Import #{run.id} is recorded but no task broker answered; {jobs.WAITING_FOR_BROKER}")
        cli_jobs.follow_run(run.id)
        return
    _run_here(run.id)


def _run_here(run_id: int) -> None:
    """Run the import in this process, one progress bar per stage, recording the same job run."""
    from marketplace.services import imports, jobs

    bars: dict[str, click.progressbar] = {}

    def progress(stage: str, done: int, total: int | None) -> None:
        if stage not in bars:
            for bar in bars.values():
                bar.render_finish()
            bars[stage] = click.progressbar(length=total or 1, label=stage, show_pos=True)
        bar = bars[stage]
        if total:
            bar.length = total
        bar.update(max(0, done - bar.pos))

    try:
        run = imports.run_import(run_id, progress=progress)
    except KeyboardInterrupt:
        jobs.fail(run_id, "Interrupted. Rows already imported stay; importing the file again skips them as unchanged.")
        raise click.Abort() from None
    except Exception as error:
        jobs.fail(run_id, f"The import stopped: {error}")
        raise click.ClickException(f"Import #{run_id} stopped: {error}") from error
    finally:
        for bar in bars.values():
            bar.render_finish()
    if run is None:  # a worker claimed it first (the sweep sends a run nobody has claimed): follow that one
        from marketplace import cli_jobs

        click.echo(f"Import #{run_id} was taken up by a worker; following it.")
        cli_jobs.follow_run(run_id)
        return
    db.session.refresh(run)
    if run.status != "succeeded":
        raise click.ClickException(f"Import #{run.id} failed: {run.message}")
    click.echo(run.message)
    if run.rejected or (run.result or {}).get("warnings"):
        click.echo(f"Every issue, row by row: the run's page /jobs/{run.id}, or its CSV /jobs/{run.id}/issues.csv.")


def _organisation(name: str | None) -> Organisation:
    """The organisation named (created when new), or the only internal one."""
    if name:
        org = db.session.scalar(sa.select(Organisation).where(sa.func.lower(Organisation.name) == name.strip().lower()))
        if org is None:
            org = Organisation(name=name.strip(), kind=OrganisationKind.INTERNAL.value)
            db.session.add(org)
            db.session.flush()
            click.echo(f"Created the organisation {org.name}.")
        return org
    internal = list(db.session.scalars(
        sa.select(Organisation).where(Organisation.kind == OrganisationKind.INTERNAL.value).order_by(Organisation.name)
    ))
    if len(internal) != 1:
        names = ", ".join(o.name for o in internal) or "none yet"
        raise click.ClickException(f"Name the organisation with --organisation (internal organisations: {names}).")
    return internal[0]
