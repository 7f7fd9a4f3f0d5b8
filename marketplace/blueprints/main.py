"""The landing page, which sends each role to its own home."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    return render_template("main/home.html", roles=current_user.roles)


@bp.route("/healthz")
def healthz():
    """Liveness probe for load balancers; reveals nothing."""
    return {"status": "ok"}

