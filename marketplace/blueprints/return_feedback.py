"""The returner's knowledge-capture note for their home team, and each party's evaluation of the secondment.

The note is read by the secondment's parties and by the home team, who take no part in the
secondment otherwise, so its page does its own check instead of ``visible_or_404``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from marketplace.blueprints.secondments import visible_or_404
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import FlaskForm, crlf_to_lf, show_refusal
from marketplace.models import EvaluationQuestion, Secondment
from marketplace.services import return_feedback, returns, secondments

bp = Blueprint("return_feedback", __name__, url_prefix="/secondments/<int:secondment_id>")


class NoteForm(FlaskForm):
    text = TextAreaField("What you learnt, for your home team", filters=[crlf_to_lf], render_kw={"rows": 12},
                         validators=[InputRequired(), Length(max=return_feedback.NOTE_MAX)])


class EvaluationForm(FlaskForm):
    comments = TextAreaField("Anything else", filters=[crlf_to_lf], render_kw={"rows": 4},
                             validators=[Optional(), Length(max=return_feedback.COMMENTS_MAX)])

    @property
    def questions(self) -> list[RadioField]:
        return [self[q.value] for q in EvaluationQuestion]


for _question in EvaluationQuestion:
    setattr(EvaluationForm, _question.value, RadioField(
        _question.label, coerce=int, validators=[InputRequired()],
        choices=[SelectChoice(n, f"{n} · {words}") for n, words in return_feedback.RATING_WORDS.items()],
    ))


@bp.route("/knowledge-note")
@login_required
def note(secondment_id: int):
    """The note, for the secondment's parties and the home team."""
    secondment = db.get_or_404(Secondment, secondment_id)
    if not return_feedback.may_read_note(current_user, secondment):
        abort(403)
    return render_template("returns/note.html", secondment=secondment, note=return_feedback.note_of(secondment),
                           may_write=return_feedback.may_write_note(current_user, secondment),
                           is_party=bool(secondments.parties(current_user, secondment)))


@bp.route("/knowledge-note/edit", methods=["GET", "POST"])
@login_required
def write_note(secondment_id: int):
    """The secondee writes the note, and may improve it later."""
    secondment, _ = visible_or_404(secondment_id)
    if not return_feedback.may_write_note(current_user, secondment):
        abort(403)
    current = return_feedback.note_of(secondment)
    form = NoteForm(text=current.text if current else None)
    if request.method == "POST" and form.validate():
        try:
            return_feedback.write_note(secondment, actor=current_user, text=form.text.data)
        except DomainError as error:
            if error.status_code != 400:
                raise
            show_refusal(form, error)
        else:
            flash("Your note is saved. Your home manager and team can read it." if current is None
                  else "Your note is updated.", "success")
            return redirect(url_for("return_feedback.note", secondment_id=secondment.id))
    return render_template("returns/note_form.html", secondment=secondment, note=current, form=form), \
        400 if form.errors else 200


@bp.route("/evaluation", methods=["GET", "POST"])
@login_required
def evaluation(secondment_id: int):
    """One party's evaluation: a rating on each fixed question and free text, given once."""
    secondment, _ = visible_or_404(secondment_id)
    party = return_feedback.evaluating_party(current_user, secondment)
    if party is None:
        abort(403)
    given = return_feedback.evaluations_of(secondment).get(party.value)
    if given is None and not returns.reviewable(secondment):
        raise DomainError("The evaluation opens when the secondment has ended.", status_code=409)
    form = EvaluationForm()
    if request.method == "POST":
        if given is not None:
            raise DomainError("You have already given your evaluation of this secondment.", status_code=409)
        if form.validate():
            try:
                return_feedback.evaluate(secondment, actor=current_user, comments=form.comments.data,
                                         ratings={q.value: form[q.value].data for q in EvaluationQuestion})
            except DomainError as error:
                if error.status_code != 400:
                    raise
                show_refusal(form, error)
            else:
                flash("Thank you: your evaluation is recorded. The talent team sees it with everyone else's.",
                      "success")
                return redirect(url_for("secondments.detail", secondment_id=secondment.id, _anchor="evaluations"))
    return render_template("returns/evaluation.html", secondment=secondment, form=form, given=given,
                           party=return_feedback.PARTY_NAMES[party], questions=EvaluationQuestion,
                           words=return_feedback.RATING_WORDS), 400 if form.errors else 200
