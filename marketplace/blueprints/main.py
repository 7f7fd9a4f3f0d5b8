"""The landing page, which sends each role to its own home."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from marketplace.models import Role
from marketplace.services import dashboard

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    employee = current_user.employee
    gaps = dashboard.profile_gaps(employee) if employee and current_user.has_role(Role.EMPLOYEE) else []
    return render_template(
        "main/home.html", roles=current_user.roles, tiles=dashboard.tiles_for(current_user), gaps=gaps
    )


@bp.route("/healthz")
def healthz():
    """Liveness probe for load balancers; reveals nothing."""
    return {"status": "ok"}

