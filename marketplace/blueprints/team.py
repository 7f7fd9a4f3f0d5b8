"""Line managers: their direct reports' availability and applications."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from marketplace.models import Role
from marketplace.security import current_employee, roles_required
from marketplace.services import releases, team

bp = Blueprint("team", __name__, url_prefix="/team")


@bp.route("")
@roles_required(Role.LINE_MANAGER)
def overview():
    manager = current_employee()
    days = current_app.config["RELEASE_ESCALATION_WORKING_DAYS"]
    return render_template(
        "team/overview.html",
        reports=team.direct_reports(manager),
        releases=releases.pending_for(manager),
        escalation_days=days,
        due=lambda application: releases.release_due(application.submitted_at.date(), days),
        has_detail_page="opportunities.detail" in current_app.view_functions,
    )
