"""Secondments: the list of those someone takes part in, and each one's page with its timeline.

The secondment page is shared by the four parties (the secondee, their home manager, the host
manager and the talent team); the agreement, check-ins and return add their sections to it.
Anyone else gets a 403, as for applications.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from marketplace.extensions import db
from marketplace.models import Secondment, SecondmentParty
from marketplace.services import secondments

bp = Blueprint("secondments", __name__, url_prefix="/secondments")


def visible_or_404(secondment_id: int) -> tuple[Secondment, set[SecondmentParty]]:
    """The secondment and the current user's parts in it; 403 for anyone who takes no part."""
    secondment = db.get_or_404(Secondment, secondment_id)
    parts = secondments.parties(current_user, secondment)
    if not parts:
        abort(403)
    return secondment, parts


@bp.route("")
@login_required
def index():
    return render_template("secondments/index.html", rows=secondments.visible_to(current_user))


@bp.route("/<int:secondment_id>")
@login_required
def detail(secondment_id: int):
    secondment, parts = visible_or_404(secondment_id)
    return render_template("secondments/detail.html", secondment=secondment, parts=parts)
