"""Ending a secondment early: the form, a confirmation page, then the end itself.

The host manager, the home manager and the talent team may end a signed or running secondment;
the secondee may not (services/termination.py says why), so they get a 403 here.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import DateField, HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from marketplace.blueprints.secondments import visible_or_404
from marketplace.errors import DomainError
from marketplace.forms import FlaskForm, crlf_to_lf, show_refusal
from marketplace.models import TerminationTrigger
from marketplace.services import termination

bp = Blueprint("termination", __name__)


class TerminationForm(FlaskForm):
    trigger = SelectField(
        "What ends it", validators=[InputRequired()],
        choices=[SelectChoice("", "Choose the event…")] + [SelectChoice(*c) for c in TerminationTrigger.choices()],
    )
    effective_on = DateField("Last day", validators=[InputRequired()])
    reason = TextAreaField("Reason", filters=[crlf_to_lf],
                           validators=[InputRequired(), Length(max=termination.REASON_MAX)])
    step = HiddenField()  # "review" shows the confirmation, "confirm" ends it, "change" goes back to the form


@bp.route("/secondments/<int:secondment_id>/end-early", methods=["GET", "POST"])
@login_required
def terminate(secondment_id: int):
    secondment, _ = visible_or_404(secondment_id)
    if termination.role_to_end(current_user, secondment) is None:
        abort(403)
    if not termination.can_end(secondment):
        raise DomainError("Only a signed or running secondment can be ended early.", status_code=409)
    form = TerminationForm()
    if form.step.data in ("review", "confirm") and form.validate():
        values = dict(actor=current_user, trigger=form.trigger.data, reason=form.reason.data,
                      effective_on=form.effective_on.data)
        try:
            if form.step.data == "confirm":
                termination.terminate(secondment, **values)
                flash("The secondment is ended early. The secondee and both managers are told.", "success")
                return redirect(url_for("secondments.detail", secondment_id=secondment.id))
            termination.check(secondment, **values)
            return render_template("termination/confirm.html", secondment=secondment, form=form,
                                   trigger=TerminationTrigger(form.trigger.data))
        except DomainError as error:
            if error.status_code != 400:
                raise
            show_refusal(form, error)
    status = 400 if form.errors else 200
    return render_template("termination/form.html", secondment=secondment, form=form), status
