"""Long jobs (imports, re-embedding) for the talent team and admins: progress while they run, outcome after."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user

from marketplace.models import JobKind, Role
from marketplace.pagination import page_number
from marketplace.security import is_talent, roles_required
from marketplace.services import embedding, imports, jobs

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.route("/")
@roles_required(Role.TALENT, Role.ADMIN)
def index():
    page = page_number()
    runs = jobs.run_page(page, current_app.config["PAGE_SIZE"])
    return render_template("jobs/index.html", runs=runs, stale=embedding.stale_counts())


@bp.route("/reembed", methods=["POST"])
@roles_required(Role.ADMIN)
def reembed():
    """Embed every profile and secondment under the current model (after a model change), as a job."""
    under_way = embedding.unfinished_reembed()
    if under_way is not None:
        flash("Re-embedding is already under way; here is its progress.", "info")
        return redirect(url_for("jobs.show", run_id=under_way.id))
    run = embedding.queue_reembed(user=current_user)
    if not run.task_id:
        flash(run.message, "warning")
    else:
        flash("Re-embedding is queued; its progress shows here.", "success")
    return redirect(url_for("jobs.show", run_id=run.id))


@bp.route("/<int:run_id>")
@roles_required(Role.TALENT, Role.ADMIN)
def show(run_id: int):
    run = jobs.get_run(run_id) or abort(404)
    if run.kind == JobKind.IMPORT_EMPLOYEES:
        # the rows name people: only the talent team sees them, admins see the counts
        issues = imports.first_issues(run.id) if is_talent() else []
        count = imports.issue_count(run.id) if is_talent() else 0
        return render_template("imports/run.html", run=run, issues=issues, issue_count=count)
    return render_template("jobs/show.html", run=run)


@bp.route("/<int:run_id>/progress")
@roles_required(Role.TALENT, Role.ADMIN)
def progress(run_id: int):
    """Progress as JSON, polled by the run's page while it is unfinished."""
    run = jobs.get_run(run_id) or abort(404)
    response = jsonify(jobs.progress(run))
    response.cache_control.no_store = True
    return response
