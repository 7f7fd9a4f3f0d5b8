"""The home page: a section for each role the user holds, with what needs them first."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from marketplace.services import homes

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    return render_template("main/home.html", home=homes.home_for(current_user))


@bp.route("/healthz")
def healthz():
    """Liveness probe for load balancers; reveals nothing."""
    return {"status": "ok"}
