"""Explanation requests: the applicant asks why they were not selected; the host or the talent team answers."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import FlaskForm
from marketplace.models import Application, ExplanationRequest, Role
from marketplace.security import roles_required
from marketplace.services import explanations

bp = Blueprint("explanations", __name__)


class QuestionForm(FlaskForm):
    question = TextAreaField("Your question", validators=[Optional(), Length(max=explanations.QUESTION_MAX)])


class AnswerForm(FlaskForm):
    answer = TextAreaField("Answer", validators=[Optional(), Length(max=explanations.ANSWER_MAX)])


def _valid(form: FlaskForm) -> FlaskForm:
    """The form, or a 400 naming the first problem (empty texts are refused by the service)."""
    if not form.validate():
        problems = [f"{form[name].label.text}: {errors[0]}" for name, errors in form.errors.items()]
        raise DomainError(" ".join(problems) or "The form was incomplete.")
    return form


@bp.route("/applications/<int:application_id>/explanation", methods=["POST"])
@roles_required(Role.EMPLOYEE)
def ask(application_id: int):
    """The applicant asks why they were not selected."""
    application = db.get_or_404(Application, application_id)
    form = _valid(QuestionForm())
    explanations.ask(application, current_user, form.question.data)
    flash(f"Your question about “{application.opportunity.title}” was sent. You will be notified of the answer.",
          "success")
    return redirect(url_for("applications.mine"))


@bp.route("/explanations/<int:request_id>/answer", methods=["POST"])
@roles_required(Role.HOST_MANAGER, Role.TALENT)
def answer(request_id: int):
    """The host of the opportunity or the talent team answers a request in writing."""
    request = db.get_or_404(ExplanationRequest, request_id)
    form = _valid(AnswerForm())
    explanations.answer(request, current_user, form.answer.data)
    application = request.application
    flash(f"Your answer to {application.employee.name} was sent.", "success")
    if current_user.employee_id == application.opportunity.host_manager_id:
        return redirect(url_for("host.applicants", opportunity_id=application.opportunity_id))
    return redirect(url_for("selection.queue"))
