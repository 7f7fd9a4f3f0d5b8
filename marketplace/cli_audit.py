"""`flask audit ...`: verify the audit log, sign checkpoints, hand the public key to auditors, report on bias."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

audit_cli = AppGroup("audit", help="The fair-selection audit log.")


def init_app(app: Flask) -> None:
    """Register the command group."""
    app.cli.add_command(audit_cli)


@audit_cli.command("verify")
@click.option("--public-key", "public_key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="PEM public key to trust (default: the pinned AUDIT_PUBLIC_KEY_FILE).")
@click.option("--witness", "witness_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The folder of witnessed checkpoints (default: AUDIT_WITNESS_DIR).")
def verify_command(public_key_file: Path | None, witness_dir: Path | None) -> None:
    """Recompute every hash; check sequence, head, signatures, the witness, the triggers and decision links."""
    from flask import current_app

    from marketplace.services.audit import signing, verify

    if public_key_file is not None:
        public = signing.load_public_key(public_key_file.read_bytes())
    else:  # never the signing key itself: whoever replaces it would sign a rewritten log with the new one
        public = signing.pinned_public_key()
    witness_dir = witness_dir or Path(current_app.config["AUDIT_WITNESS_DIR"])
    result = verify(public, witness_dir=witness_dir)
    if not result.ok:
        (seq, what), *others = result.problems
        where = f"entry {seq}" if seq is not None else "the log"
        for other in others:
            click.echo(f"Also: {other[1]}.", err=True)
        raise click.ClickException(f"Audit log check FAILED at {where}: {what}. "
                                   f"({result.entries} entries before it were sound.)")
    click.echo(f"Audit log OK: {result.entries} entries checked, {result.checkpoints} signed checkpoints valid; "
               f"the witness ({witness_dir}) holds {result.witnessed}, covering entries up to {result.witnessed_to}.")


@audit_cli.command("checkpoint")
def checkpoint_command() -> None:
    """Sign the current head of the chain now (the worker also does this periodically)."""
    from marketplace.services.audit import checkpoint

    row = checkpoint()
    click.echo("Nothing new to sign." if row is None else f"Signed checkpoint at entry {row.seq}.")


@audit_cli.command("public-key")
def public_key_command() -> None:
    """Print the public key that verifies checkpoints (give it to the auditor)."""
    from marketplace.services.audit import signing

    click.echo(signing.public_key_pem(signing.signing_key()).decode("ascii"), nl=False)


@audit_cli.command("init-key")
def init_key_command() -> None:
    """Create the checkpoint signing key at AUDIT_SIGNING_KEY_FILE (refuses to replace one)."""
    from marketplace.services.audit import signing

    path = signing.key_path()
    if path.exists():
        raise click.ClickException(f"A key already exists at {path}; it is never replaced silently.")
    key = signing.create_key(path)
    click.echo(f"Created {path} (mode 600). Keep a copy outside this server.")
    pin = signing.public_key_path()
    try:
        if signing.pin_public_key(key):
            click.echo(f"Pinned its public key at {pin}: `audit verify` trusts only this key.")
    except OSError as error:  # production mounts the pin read-only
        click.echo(f"Could not pin the public key at {pin} ({error}); put `flask audit public-key` there.", err=True)


@audit_cli.command("bias-report")
@click.option("--period", required=True, metavar="START:END",
              help="Whole UTC days, both included, e.g. 2026-01-01:2026-12-31.")
@click.option("--opportunity", "opportunity_id", type=int, help="Only this opportunity (its id).")
@click.option("--format", "output_format", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--out", "out_file", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def bias_report_command(period: str, opportunity_id: int | None, output_format: str, out_file: Path | None) -> None:
    """The bias audit report of the selection funnel, from the audit log (the read is logged)."""
    from marketplace.extensions import db
    from marketplace.models import Opportunity
    from marketplace.services import fairness

    try:
        parsed = fairness.parse_period(period)
    except fairness.PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--period") from None
    if opportunity_id is not None and db.session.get(Opportunity, opportunity_id) is None:
        raise click.BadParameter(f"There is no opportunity {opportunity_id}.", param_hint="--opportunity")
    report = fairness.build_bias_report(parsed, opportunity_id=opportunity_id)
    text = fairness.to_json(report) if output_format == "json" else fairness.to_csv(report)
    if out_file is None:
        click.echo(text, nl=False)
        return
    out_file.write_text(text, encoding="utf-8")
    click.echo(f"Wrote the {output_format.upper()} bias report for {parsed} to {out_file}.", err=True)
