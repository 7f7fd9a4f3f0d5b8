"""The employee's voluntary equality monitoring answers: only they see them, and they can clear them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import RadioField, SelectChoice

from marketplace.forms import FlaskForm
from marketplace.models import Role
from marketplace.models.equality import QUESTIONS
from marketplace.security import current_employee, roles_required
from marketplace.services import equality

bp = Blueprint("equality", __name__, url_prefix="/profile/equality")

UNANSWERED = ""
QUESTION_TEXT = {
    "sex": "What is your sex?",
    "race_ethnicity": "What is your race or ethnicity?",
    "age_band": "What is your age?",
    "disability": "Do you have a disability?",
}


def _question(name: str) -> RadioField:
    choices = [SelectChoice(UNANSWERED, "Leave unanswered")] + [
        SelectChoice(value, label) for value, label in QUESTIONS[name].choices()
    ]
    return RadioField(QUESTION_TEXT[name], choices=choices, default=UNANSWERED)


class EqualityForm(FlaskForm):
    sex = _question("sex")
    race_ethnicity = _question("race_ethnicity")
    age_band = _question("age_band")
    disability = _question("disability")

    def answers(self) -> equality.Answers:
        """The chosen answers; "leave unanswered" becomes None."""
        return equality.Answers(**{name: getattr(self, name).data or None for name in QUESTIONS})


class ClearForm(FlaskForm):
    """Only the CSRF token."""


@bp.route("", methods=["GET", "POST"])
@roles_required(Role.EMPLOYEE)
def answers():
    employee = current_employee()
    form = EqualityForm()
    if form.validate_on_submit():
        equality.save_answers(employee, form.answers(), reader=current_user)
        flash("Thank you. Your answers were saved; you can change or clear them at any time.", "success")
        return redirect(url_for("equality.answers"))
    if form.is_submitted():
        return render_template("equality/answers.html", form=form, clear_form=ClearForm(), answered=None), 400
    saved = equality.own_answers(employee, reader=current_user)
    form = EqualityForm(data={name: getattr(saved, name) or UNANSWERED for name in QUESTIONS})
    return render_template("equality/answers.html", form=form, clear_form=ClearForm(), answered=saved.answered())


@bp.route("/clear", methods=["POST"])
@roles_required(Role.EMPLOYEE)
def clear():
    employee = current_employee()
    if not ClearForm().validate_on_submit():
        flash("Your answers were not cleared: the form had expired. Please try again.", "error")
        return redirect(url_for("equality.answers"))
    equality.clear_answers(employee, reader=current_user)
    flash("All your equality monitoring answers were deleted.", "success")
    return redirect(url_for("equality.answers"))
