"""Skills gained on a secondment: the host proposes them with a level from the catalogue, then confirms them.

The skill picker is the profile's (macros/skills.html); the service (services/skills_gained.py) puts
confirmed skills into the person's profile.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from marketplace.blueprints.secondments import visible_or_404
from marketplace.errors import DomainError
from marketplace.forms import FlaskForm, resolved_skill_rows, show_refusal, skill_rows
from marketplace.services import skills_gained

bp = Blueprint("skills_gained", __name__, url_prefix="/secondments/<int:secondment_id>/skills-gained")
SPARE_ROWS = 2


class ProposalForm(FlaskForm):
    skills = skill_rows("Skills gained", min_entries=0)


@bp.route("", methods=["GET", "POST"])
@login_required
def propose(secondment_id: int):
    secondment, _ = visible_or_404(secondment_id)
    if not skills_gained.may_propose(current_user, secondment):
        abort(403)
    gains = skills_gained.gains_of(secondment)
    pending = [g for g in gains if g.confirmed_at is None]
    if request.method == "GET":
        form = ProposalForm(data={"skills": [
            {"skill_id": str(g.skill_id), "skill_name": g.skill.name, "level": str(g.level)} for g in pending]})
    else:
        form = ProposalForm()
        rows = resolved_skill_rows(form.skills, level_required=True) if form.validate() else None
        if rows is not None:
            try:
                skills_gained.propose(secondment, actor=current_user, skills=rows)
            except DomainError as error:
                if error.status_code != 400:
                    raise
                show_refusal(form, error)
            else:
                flash("The skills gained are proposed; the secondee sees them. Confirm them to add them to "
                      "their profile.", "success")
                return redirect(url_for("secondments.detail", secondment_id=secondment.id, _anchor="skills-gained"))
        elif not form.errors:
            form.form_errors.append("Check the skills marked below.")
    while sum(row.form.is_blank for row in form.skills) < SPARE_ROWS:
        form.skills.append_entry()
    confirmed = [g for g in gains if g.confirmed_at is not None]
    status = 400 if request.method == "POST" else 200
    return render_template("returns/skills_gained.html", secondment=secondment, form=form,
                           confirmed=confirmed), status


@bp.route("/confirm", methods=["POST"])
@login_required
def confirm(secondment_id: int):
    secondment, _ = visible_or_404(secondment_id)
    if not skills_gained.may_propose(current_user, secondment):
        abort(403)
    confirmed = skills_gained.confirm(secondment, actor=current_user)
    flash(f"Confirmed: {secondment.employee.name}'s profile now lists the skills gained "
          f"({len(confirmed)} from this secondment), and matching will use them.", "success")
    return redirect(url_for("secondments.detail", secondment_id=secondment.id, _anchor="skills-gained"))
