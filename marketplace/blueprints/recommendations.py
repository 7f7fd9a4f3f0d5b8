"""An employee's recommended secondments: why each fits and what they would learn."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from wtforms import SelectChoice, SelectField

from marketplace.forms import Form
from marketplace.models import OpportunityType, RemotePolicy, Role
from marketplace.pagination import ListPagination, page_number
from marketplace.security import current_employee, roles_required
from marketplace.services import applications, matching

bp = Blueprint("recommendations", __name__)


class RecommendationFilterForm(Form):
    """Narrow recommendations by type of secondment and remote working (GET, no CSRF token)."""

    type = SelectField(
        "Type of secondment",
        default="",
        choices=[SelectChoice("", "Any type")] + [SelectChoice(v, label) for v, label in OpportunityType.choices()],
    )
    remote = SelectField(
        "Remote working",
        default="",
        choices=[SelectChoice("", "Any")] + [SelectChoice(v, label) for v, label in RemotePolicy.choices()],
    )

    def admits(self, recommendation: matching.Recommendation) -> bool:
        opportunity = recommendation.opportunity
        return (not self.type.data or opportunity.type == self.type.data) and (
            not self.remote.data or opportunity.remote_policy == self.remote.data
        )


@bp.route("/recommendations")
@roles_required(Role.EMPLOYEE)
def mine():
    employee = current_employee()
    form = RecommendationFilterForm(request.args)
    if not form.validate():
        return render_template("matches/recommendations.html", form=form, page=None), 400
    ranked = [r for r in matching.recommendations(employee) if form.admits(r)]
    show_all = request.args.get("show") == "all"
    eligible = [r for r in ranked if r.eligibility.eligible]
    shown = ranked if show_all else eligible
    page = ListPagination(shown, page_number(), current_app.config["PAGE_SIZE"])
    applied = applications.active_application_ids(employee, [r.opportunity.id for r in page.items])
    return render_template(
        "matches/recommendations.html",
        form=form,
        page=page,
        total=len(ranked),
        eligible_count=len(eligible),
        show_all=show_all,
        applied=applied,
    )
