"""The talent team imports employees from an HRIS export and downloads the rows that were refused."""

from __future__ import annotations

import posixpath

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, stream_with_context, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectChoice, SelectField

from marketplace.extensions import db
from marketplace.models import ImportFormat, JobKind, Organisation, Role
from marketplace.request_limits import takes_upload
from marketplace.security import roles_required
from marketplace.services import imports, jobs

bp = Blueprint("imports", __name__, url_prefix="/jobs")


class ImportForm(FlaskForm):
    file = FileField(
        "HRIS export",
        validators=[FileRequired("Choose the file to import."), FileAllowed(["csv", "json"], "Upload a .csv or .json file.")],
    )
    format = SelectField(
        "Format",
        choices=[SelectChoice("", "From the file name"), SelectChoice("csv", "CSV"), SelectChoice("json", "JSON")],
        default="",
    )
    organisation = SelectField("Organisation the employees work for", coerce=int)


@bp.route("/import-employees", methods=["GET", "POST"])
@takes_upload
@roles_required(Role.TALENT)
def new():
    form = ImportForm()
    form.organisation.choices = [SelectChoice(o.id, o.name) for o in imports.importing_organisations()]
    if form.validate_on_submit():
        upload = form.file.data
        filename = posixpath.basename(upload.filename.replace("\\", "/"))
        try:
            run = imports.queue_import(
                filename,
                upload.read(),
                db.session.get(Organisation, form.organisation.data),
                fmt=ImportFormat(form.format.data) if form.format.data else None,
                user=current_user,
            )
        except imports.FileProblem as problem:
            form.file.errors.append(str(problem))
        else:
            flash(f"{filename} is queued: {run.total:,} rows. This page follows its progress.", "success")
            return redirect(url_for("jobs.show", run_id=run.id))
    limit_mb = current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)
    page = render_template("imports/new.html", form=form, columns=imports.COLUMNS, limit_mb=limit_mb)
    return page, 400 if form.errors else 200


@bp.route("/<int:run_id>/issues.csv")
@roles_required(Role.TALENT)
def report(run_id: int):
    """Every refused row and every warning of an import, for a spreadsheet (HR data: talent team only)."""
    run = jobs.get_run(run_id)
    if run is None or run.kind != JobKind.IMPORT_EMPLOYEES:
        abort(404)
    response = Response(stream_with_context(imports.report_lines(run_id)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="import-{run_id}-issues.csv"'
    response.cache_control.no_store = True
    return response
