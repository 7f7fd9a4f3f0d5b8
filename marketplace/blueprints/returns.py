"""The return from a secondment: the return plan and the secondee's wishes, then the return review.

The services decide who may do what (services/returns.py); these routes turn away people who can
never act here before showing them a form.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import DateField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from marketplace.clock import today

from marketplace.blueprints.secondments import visible_or_404
from marketplace.errors import DomainError
from marketplace.forms import FlaskForm, crlf_to_lf, show_refusal
from marketplace.models import EvaluationQuestion, ReturnOutcome, Secondment, SecondmentParty
from marketplace.services import return_feedback, returns, skills_gained
from marketplace.services.duration_cap import cap_months, months_between

bp = Blueprint("returns", __name__, url_prefix="/secondments/<int:secondment_id>")
P = SecondmentParty
REVIEW_READERS = {P.EMPLOYEE, P.HOME_MANAGER, P.TALENT}  # a return home: the host sees only that it was held


def _text_area(label: str, *, required: bool = True, limit: int = returns.TEXT_MAX) -> TextAreaField:
    first = InputRequired() if required else Optional()
    return TextAreaField(label, filters=[crlf_to_lf], validators=[first, Length(max=limit)], render_kw={"rows": 4})


class PlanForm(FlaskForm):
    outcome = RadioField("At the end of the secondment", validators=[InputRequired()],
                         choices=[SelectChoice(*c) for c in ReturnOutcome.choices()])
    equivalent_role = StringField("Which equivalent role", validators=[Optional(), Length(max=returns.ROLE_MAX)])
    proposed_end_date = DateField("Proposed new end date", validators=[Optional()])
    notes = _text_area("Notes", required=False)


class WishesForm(FlaskForm):
    text = _text_area("Your wishes for the return")


class ReviewForm(FlaskForm):
    held_on = DateField("Held on", validators=[InputRequired()])
    how_it_went = _text_area("How the return went")
    role_returned_to = StringField("Role returned to", validators=[InputRequired(), Length(max=returns.ROLE_MAX)])
    development_conversation = _text_area("Development conversation")
    next_steps = _text_area("Next steps")


@bp.app_template_global("return_section")
def return_section(secondment: Secondment, parts: set[SecondmentParty]) -> dict:
    """What the secondment page's return section shows the current user."""
    plan, review = returns.plan_status(secondment), returns.review_of(secondment)
    open_ = secondment.status in returns.NOT_ENDED
    return {
        "plan": plan,
        "outcome_label": ReturnOutcome(plan.plan.outcome).label if plan.recorded else None,
        "may_plan": open_ and returns.role_to_plan(current_user, secondment) is not None,
        "may_wish": open_ and P.EMPLOYEE in parts,
        "wishes_form": WishesForm(formdata=None, text=plan.plan.secondee_wishes if plan.plan else None),
        "reviewable": returns.reviewable(secondment),
        "review": review,
        "may_review": review is None and returns.reviewable(secondment)
        and returns.role_to_review(current_user, secondment) is not None,
        "reads_review": bool(parts & REVIEW_READERS),
        "skills_open": secondment.status in skills_gained.OPEN,
        "gains": skills_gained.gains_of(secondment),
        "may_propose_skills": skills_gained.may_propose(current_user, secondment),
        "note_open": secondment.status in return_feedback.NOTE_OPEN,
        "note": return_feedback.note_of(secondment),
        "may_write_note": return_feedback.may_write_note(current_user, secondment),
        "evaluations": return_feedback.evaluations_of(secondment),
        "my_party": return_feedback.evaluating_party(current_user, secondment),
        "reads_evaluations": P.TALENT in parts,
        "party_names": return_feedback.PARTY_NAMES,
        "questions": list(EvaluationQuestion),
    }


@bp.route("/return-plan", methods=["GET", "POST"])
@login_required
def plan(secondment_id: int):
    secondment, _ = visible_or_404(secondment_id)
    if returns.role_to_plan(current_user, secondment) is None:
        abort(403)
    if secondment.status not in returns.NOT_ENDED:
        raise DomainError("The secondment has ended; its return plan can no longer change.", status_code=409)
    current = returns.plan_status(secondment)
    form = PlanForm(obj=current.plan if current.recorded else None)
    if request.method == "POST" and form.validate():
        try:
            status = returns.record_plan(
                secondment, actor=current_user, outcome=form.outcome.data, equivalent_role=form.equivalent_role.data,
                proposed_end_date=form.proposed_end_date.data, notes=form.notes.data,
            )
        except DomainError as error:
            if error.status_code != 400:
                raise
            show_refusal(form, error)
        else:
            flash("The return plan is recorded. The secondee and both managers are told.", "success")
            if status.cap_warning:
                flash(status.cap_warning, "warning")
            return redirect(url_for("secondments.detail", secondment_id=secondment.id, _anchor="return"))
    return render_template(
        "returns/plan.html", secondment=secondment, form=form, current=current, cap=cap_months(),
        months_so_far=months_between(secondment.start_date, secondment.end_date),
    ), 400 if form.errors else 200


@bp.route("/return-plan/wishes", methods=["POST"])
@login_required
def wishes(secondment_id: int):
    """The secondee's own words on what they would like at the end, for the home manager's plan."""
    secondment, parts = visible_or_404(secondment_id)
    if P.EMPLOYEE not in parts:
        abort(403)
    form = WishesForm()
    if not form.validate():
        raise DomainError(f"Write your wishes first; up to {returns.TEXT_MAX:,} characters.")
    returns.record_wishes(secondment, actor=current_user, text=form.text.data)
    flash("Your wishes are saved; your home manager is told.", "success")
    return redirect(url_for("secondments.detail", secondment_id=secondment.id, _anchor="return"))


@bp.route("/return-review", methods=["GET", "POST"])
@login_required
def review(secondment_id: int):
    """The home manager's return (repatriation) review with the returner, once, after the end."""
    secondment, _ = visible_or_404(secondment_id)
    if returns.role_to_review(current_user, secondment) is None:
        abort(403)
    if not returns.reviewable(secondment):
        raise DomainError("The return review is held once the secondee is back: after the secondment ends.",
                          status_code=409)
    if returns.review_of(secondment) is not None:
        raise DomainError(returns.ALREADY_REVIEWED, status_code=409)
    form = ReviewForm()
    if request.method == "GET":
        form.held_on.data, form.role_returned_to.data = today(), returns.suggested_role(secondment)
    elif form.validate():
        try:
            returns.record_review(
                secondment, actor=current_user, held_on=form.held_on.data, how_it_went=form.how_it_went.data,
                role_returned_to=form.role_returned_to.data,
                development_conversation=form.development_conversation.data, next_steps=form.next_steps.data,
            )
        except DomainError as error:
            if error.status_code != 400:
                raise
            show_refusal(form, error)
        else:
            flash("The return review is recorded. The secondee is told.", "success")
            return redirect(url_for("secondments.detail", secondment_id=secondment.id, _anchor="return"))
    return render_template("returns/review.html", secondment=secondment, form=form), 400 if form.errors else 200
