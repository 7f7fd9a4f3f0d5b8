"""Selection decisions: releases, appeals, the host's shortlist to offer, answers to offers and invitations.

Every route here is a thin adapter to services.selection.transition, which holds the table of who
may do what from which status; the role checks below only turn away accounts that can never act.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.formatting import from_local
from marketplace.models import Application, ApplicationAction, ApplicationEvent, Invitation, Role
from marketplace.security import current_employee, roles_required
from marketplace.services import explanations, hosting, invitations, releases, selection, talent

bp = Blueprint("selection", __name__)

A = ApplicationAction
RELEASE = {A.APPROVE_RELEASE, A.DECLINE_RELEASE}
APPEAL_DECISION = {A.OVERTURN, A.UPHOLD}
HOST_DECISION = {A.SHORTLIST, A.REJECT, A.SCHEDULE_INTERVIEW, A.OFFER}
OFFER_ANSWER = {A.ACCEPT_OFFER, A.DECLINE_OFFER}


class DecisionForm(FlaskForm):
    """One decision on an application; which fields matter depends on the action."""

    action = StringField("Decision", validators=[InputRequired()])
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=selection.REASON_MAX)])
    reason_code = StringField("Reason code", validators=[Optional(), Length(max=40)])
    override_code = StringField("Override reason", validators=[Optional(), Length(max=40)])
    note = TextAreaField("Notes", validators=[Optional(), Length(max=selection.NOTES_MAX)])
    # typed in the installation's time zone (TIMEZONE); _decide stores it as UTC
    interview_at = DateTimeLocalField("Interview date and time", format="%Y-%m-%dT%H:%M", validators=[Optional()])


class InviteForm(FlaskForm):
    employee_id = IntegerField("Person", validators=[InputRequired()])
    message = TextAreaField("Message", validators=[Optional(), Length(max=invitations.MESSAGE_MAX)])


class InvitationAnswerForm(FlaskForm):
    answer = HiddenField("Answer", validators=[InputRequired()])
    statement = TextAreaField("Why you are interested", validators=[Optional(), Length(max=4000)])


class PublicationForm(FlaskForm):
    decision = HiddenField("Decision", validators=[InputRequired()])


def _valid(form: FlaskForm) -> FlaskForm:
    """The form, or a 400 naming the first problem."""
    if not form.validate():
        problems = [f"{form[name].label.text}: {errors[0]}" for name, errors in form.errors.items()]
        raise DomainError(" ".join(problems) or "The form was incomplete.")
    return form


def _as_utc(typed: dt.datetime | None) -> dt.datetime | None:
    """A wall-clock time typed in the installation's time zone, as stored (naive UTC)."""
    return from_local(typed, current_app.config["TIMEZONE"]) if typed else None


def _decide(application_id: int, allowed: set[ApplicationAction]) -> ApplicationEvent:
    """Take the posted decision on the application, if it is one this route handles."""
    application = db.get_or_404(Application, application_id)
    form = _valid(DecisionForm())
    if form.action.data not in {a.value for a in allowed}:
        raise DomainError("That is not a decision this page can take.")
    event = selection.transition(
        application, form.action.data, current_user,
        reason=form.reason.data, reason_code=form.reason_code.data, override_code=form.override_code.data,
        note=form.note.data, interview_at=_as_utc(form.interview_at.data),
    )
    flash(f"{event.action_label}: {application.employee.name}, “{application.opportunity.title}”.", "success")
    return event


@bp.route("/applications/<int:application_id>/release", methods=["POST"])
@roles_required(Role.LINE_MANAGER, Role.TALENT)
def release(application_id: int):
    """The line manager (or, once escalated, the talent team) releases the person or declines with a reason."""
    event = _decide(application_id, RELEASE)
    if event.actor_role == selection.Party.LINE_MANAGER:
        return redirect(url_for("team.overview"))
    return redirect(url_for("selection.queue"))


@bp.route("/applications/<int:application_id>/appeal", methods=["POST"])
@roles_required(Role.EMPLOYEE)
def appeal(application_id: int):
    """The applicant appeals a declined release to the talent team."""
    _decide(application_id, {A.APPEAL})
    return redirect(url_for("applications.mine"))


@bp.route("/applications/<int:application_id>/appeal/decision", methods=["POST"])
@roles_required(Role.TALENT)
def appeal_decision(application_id: int):
    """The talent team overturns or upholds a declined release."""
    _decide(application_id, APPEAL_DECISION)
    return redirect(url_for("selection.queue"))


@bp.route("/applications/<int:application_id>/decision", methods=["POST"])
@roles_required(Role.HOST_MANAGER, Role.TALENT)
def host_decision(application_id: int):
    """The host shortlists, rejects with a reason, schedules an interview or makes an offer."""
    event = _decide(application_id, HOST_DECISION)
    return redirect(url_for("host.applicants", opportunity_id=event.application.opportunity_id))


@bp.route("/applications/<int:application_id>/offer", methods=["POST"])
@roles_required(Role.EMPLOYEE)
def answer_offer(application_id: int):
    """The applicant accepts or declines an offer."""
    _decide(application_id, OFFER_ANSWER)
    return redirect(url_for("applications.mine"))


@bp.route("/host/opportunities/<int:opportunity_id>/invite", methods=["POST"])
@roles_required(Role.HOST_MANAGER, Role.TALENT)
def invite(opportunity_id: int):
    """Invite someone from the ranked list to apply."""
    opportunity = hosting.get_opportunity(opportunity_id) or abort(404)
    if not hosting.can_manage(current_user, opportunity):
        abort(403)
    form = _valid(InviteForm())
    invitation = invitations.invite(opportunity, form.employee_id.data, current_user, form.message.data)
    flash(f"{invitation.employee.name} is invited to apply for “{opportunity.title}”.", "success")
    return redirect(url_for("host.candidates", opportunity_id=opportunity.id))


@bp.route("/invitations/<int:invitation_id>", methods=["POST"])
@roles_required(Role.EMPLOYEE)
def answer_invitation(invitation_id: int):
    """The invited person accepts (and so applies) or declines."""
    invitation = db.get_or_404(Invitation, invitation_id)
    form = _valid(InvitationAnswerForm())
    title = invitation.opportunity.title
    if form.answer.data == "accept":
        statement = form.statement.data or "I accept the host's invitation to apply."
        invitations.accept(invitation, current_employee(), statement)
        flash(f"You applied for “{title}”. Your line manager is asked to release you.", "success")
    elif form.answer.data == "decline":
        invitations.decline(invitation, current_employee())
        flash(f"You declined the invitation to “{title}”.", "success")
    else:
        raise DomainError("Answer accept or decline.")
    return redirect(url_for("applications.mine"))


@bp.route("/talent/releases")
@roles_required(Role.TALENT)
def queue():
    """What the talent team has to decide, and how each line manager handles releases."""
    return render_template(
        "talent/releases.html",
        queue=releases.talent_queue(),
        figures=releases.manager_figures(),
        awaiting_approval=talent.awaiting_approval(),
        open_explanations=explanations.open_requests(),
    )


@bp.route("/talent/opportunities/<int:opportunity_id>/approval", methods=["POST"])
@roles_required(Role.TALENT)
def publication(opportunity_id: int):
    """The talent team publishes an opportunity awaiting approval, or returns it to its host as a draft."""
    opportunity = hosting.get_opportunity(opportunity_id) or abort(404)
    form = _valid(PublicationForm())
    if form.decision.data == "approve":
        hosting.publish_opportunity(opportunity)
        flash(f"“{opportunity.title}” is approved and open for applications.", "success")
    elif form.decision.data == "return":
        hosting.return_to_draft(opportunity)
        flash(f"“{opportunity.title}” went back to its host as a draft.", "success")
    else:
        raise DomainError("Approve or return the opportunity.")
    return redirect(url_for("selection.queue"))

