"""An employee's recommended secondments: why each fits and what they would learn."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from marketplace.models import Role
from marketplace.pagination import ListPagination
from marketplace.security import current_employee, roles_required
from marketplace.services import applications, matching

bp = Blueprint("recommendations", __name__)


@bp.route("/recommendations")
@roles_required(Role.EMPLOYEE)
def mine():
    employee = current_employee()
    ranked = matching.recommendations(employee)
    show_all = request.args.get("show") == "all"
    eligible = [r for r in ranked if r.eligibility.eligible]
    shown = ranked if show_all else eligible
    page = ListPagination(shown, request.args.get("page", 1, type=int), current_app.config["PAGE_SIZE"])
    applied = applications.active_application_ids(employee, [r.opportunity.id for r in page.items])
    return render_template(
        "matches/recommendations.html",
        page=page,
        total=len(ranked),
        eligible_count=len(eligible),
        show_all=show_all,
        applied=applied,
        employee=employee,
    )
