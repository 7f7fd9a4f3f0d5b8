"""Applying to an opportunity, withdrawing, and the employee's list of applications."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from marketplace.blueprints.opportunities import ApplyForm, render_detail, visible_or_404
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import Application, Role
from marketplace.security import current_employee, roles_required
from marketplace.services import applications, explanations, invitations, selection
from marketplace.services.opportunities import VISIBLE_TO_EMPLOYEES

bp = Blueprint("applications", __name__)


@bp.route("/opportunities/<int:opportunity_id>/apply", methods=["POST"])
@roles_required(Role.EMPLOYEE)
def apply(opportunity_id: int):
    employee = current_employee()
    opportunity = visible_or_404(opportunity_id)
    form = ApplyForm()
    if not form.validate():
        return render_detail(opportunity, form, status=400)
    try:
        applications.apply(employee, opportunity, form.statement.data)
    except DomainError as error:
        # Refusals re-show the page with the reason in the apply section and the text kept.
        return render_detail(opportunity, form, apply_error=error.message, status=error.status_code)
    flash(f"Your application to “{opportunity.title}” was sent.", "success")
    return redirect(url_for("applications.mine"))


@bp.route("/applications/<int:application_id>/withdraw", methods=["POST"])
@roles_required(Role.EMPLOYEE)
def withdraw(application_id: int):
    application = db.get_or_404(Application, application_id)
    applications.withdraw(current_employee(), application)
    flash(f"You withdrew your application to “{application.opportunity.title}”.", "success")
    return redirect(url_for("applications.mine"))


@bp.route("/applications")
@roles_required(Role.EMPLOYEE)
def mine():
    employee = current_employee()
    mine = applications.applications_of(employee)
    return render_template(
        "applications/mine.html",
        applications=mine,
        explanation_requests=explanations.requests_of(mine),
        not_selected=explanations.was_not_selected,
        record_of=explanations.record_of,
        invitations=invitations.pending_for(employee),
        actions_for=lambda application: selection.actions_for(application, current_user),
        listed_statuses=VISIBLE_TO_EMPLOYEES,
    )
