"""Line managers: their direct reports' availability and applications."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from marketplace.models import Role
from marketplace.security import current_employee, roles_required
from marketplace.services import team

bp = Blueprint("team", __name__, url_prefix="/team")


@bp.route("")
@roles_required(Role.LINE_MANAGER)
def overview():
    return render_template(
        "team/overview.html",
        reports=team.direct_reports(current_employee()),
        has_detail_page="opportunities.detail" in current_app.view_functions,
    )
