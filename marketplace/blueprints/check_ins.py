"""Check-ins of a running secondment, and its calendar file.

The host records a check-in; the secondee adds their feedback and the home manager a note to it;
every party (the talent team too) reads all of it. The services decide; these routes only turn
away people who can never act here.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import DateField, FieldList, FormField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from marketplace.blueprints.secondments import visible_or_404
from marketplace.clock import today
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.formatting import format_date
from marketplace.forms import FlaskForm, crlf_to_lf, show_refusal
from marketplace.models import CheckIn, CheckInRating, ObjectiveStatus, Secondment, SecondmentParty
from marketplace.services import check_ins, termination
from marketplace.services.secondment_calendar import secondment_calendar

bp = Blueprint("check_ins", __name__, url_prefix="/secondments/<int:secondment_id>")
P = SecondmentParty


class ObjectiveForm(FlaskForm):
    class Meta:
        csrf = False  # rows live inside a form that already carries the token

    status = SelectField("Where it stands", choices=[SelectChoice(*c) for c in ObjectiveStatus.choices()],
                         validators=[InputRequired()])
    progress = TextAreaField("Progress", filters=[crlf_to_lf],
                             validators=[Optional(), Length(max=check_ins.PROGRESS_MAX)])


class CheckInForm(FlaskForm):
    due_on = SelectField("Check-in", validators=[InputRequired()])
    held_on = DateField("Held on", validators=[InputRequired()])
    objectives = FieldList(FormField(ObjectiveForm), max_entries=50)
    rating = RadioField("Overall", choices=[SelectChoice(*c) for c in CheckInRating.choices()],
                        validators=[InputRequired()])
    host_feedback = TextAreaField("Host's feedback", filters=[crlf_to_lf],
                                  validators=[InputRequired(), Length(max=check_ins.FEEDBACK_MAX)])


class ResponseForm(FlaskForm):
    text = TextAreaField("Your words", filters=[crlf_to_lf],
                         validators=[InputRequired(), Length(max=check_ins.FEEDBACK_MAX)])


@bp.app_template_global("check_in_section")
def check_in_section(secondment: Secondment, parts: set[SecondmentParty]) -> dict:
    """What the secondment page's check-in section shows the current user."""
    plan = check_ins.plan(secondment)
    return {
        "plan": plan,
        "may_record": P.HOST_MANAGER in parts and bool(plan.open),  # only a running secondment has open ones
        "may_end": termination.can_end(secondment) and termination.role_to_end(current_user, secondment) is not None,
    }


@bp.route("/check-ins/new", methods=["GET", "POST"])
@login_required
def new(secondment_id: int):
    secondment, parts = visible_or_404(secondment_id)
    if P.HOST_MANAGER not in parts:
        abort(403)
    slots = check_ins.plan(secondment).open
    objectives = check_ins.objectives_of(secondment)
    form = CheckInForm()
    form.due_on.choices = [SelectChoice(s.due_on.isoformat(), _slot_label(s)) for s in slots]
    if request.method == "GET":
        form.held_on.data = today()
        while len(form.objectives) < len(objectives):
            form.objectives.append_entry()
    elif form.validate():
        try:
            check_in = check_ins.record(
                secondment, actor=current_user, due_on=dt.date.fromisoformat(form.due_on.data),
                held_on=form.held_on.data, rating=form.rating.data, host_feedback=form.host_feedback.data,
                progress=[(row.form.status.data, row.form.progress.data) for row in form.objectives],
            )
        except DomainError as error:
            if error.status_code != 400:
                raise
            show_refusal(form, error)
        else:
            flash(f"Check-in of {format_date(check_in.due_on)} recorded. The secondee and their home manager "
                  "are told.", "success")
            return redirect(url_for("check_ins.show", secondment_id=secondment.id, check_in_id=check_in.id))
    status = 400 if form.errors else 200
    return render_template("check_ins/new.html", secondment=secondment, form=form, slots=slots,
                           objectives=objectives, rows=list(zip(objectives, form.objectives))), status


def _slot_label(slot: check_ins.ScheduledCheckIn) -> str:
    overdue = " (overdue)" if slot.state == check_ins.OVERDUE else ""
    return f"Check-in {slot.number}, due {format_date(slot.due_on)}{overdue}"


def _check_in_or_404(secondment_id: int, check_in_id: int) -> tuple[CheckIn, set[SecondmentParty]]:
    secondment, parts = visible_or_404(secondment_id)
    check_in = db.get_or_404(CheckIn, check_in_id)
    if check_in.secondment_id != secondment.id:
        abort(404)
    return check_in, parts


@bp.route("/check-ins/<int:check_in_id>")
@login_required
def show(secondment_id: int, check_in_id: int):
    check_in, parts = _check_in_or_404(secondment_id, check_in_id)
    return render_template("check_ins/show.html", check_in=check_in, secondment=check_in.secondment, parts=parts,
                           form=ResponseForm(), P=P)


def _respond(secondment_id: int, check_in_id: int, party: SecondmentParty, done: str):
    check_in, parts = _check_in_or_404(secondment_id, check_in_id)
    if party not in parts:
        abort(403)
    form = ResponseForm()
    if not form.validate():
        raise DomainError("Write something first; up to 4,000 characters.")
    check_ins.respond(check_in, party, actor=current_user, text=form.text.data)
    flash(done, "success")
    return redirect(url_for("check_ins.show", secondment_id=secondment_id, check_in_id=check_in_id))


@bp.route("/check-ins/<int:check_in_id>/feedback", methods=["POST"])
@login_required
def feedback(secondment_id: int, check_in_id: int):
    """The secondee's own feedback on a check-in the host recorded."""
    return _respond(secondment_id, check_in_id, P.EMPLOYEE, "Your feedback is added; your managers are told.")


@bp.route("/check-ins/<int:check_in_id>/note", methods=["POST"])
@login_required
def note(secondment_id: int, check_in_id: int):
    """The home manager's note on a check-in, keeping their strategic oversight."""
    return _respond(secondment_id, check_in_id, P.HOME_MANAGER, "Your note is added; the secondee and host are told.")


@bp.route("/calendar.ics")
@login_required
def calendar(secondment_id: int):
    """The secondment's dates and check-ins as an .ics file to import into a calendar."""
    secondment, _ = visible_or_404(secondment_id)
    return Response(secondment_calendar(secondment), mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="secondment-{secondment.id}.ics"',
    })
