"""Host managers: post opportunities, publish, close or cancel them, and review applicants."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.forms import FlaskForm, Form, resolved_skill_rows, skill_rows
from marketplace.models import (
    Funding,
    Opportunity,
    OpportunityType,
    RemotePolicy,
    Role,
    SkillRequirement,
    StretchTolerance,
)
from marketplace.models.enums import StrEnum
from marketplace.security import current_employee, roles_required
from marketplace.pagination import ListPagination, page_number
from marketplace.services import audit, explanations, hosting, invitations, matching, secondments, selection, selection_records

bp = Blueprint("host", __name__, url_prefix="/host")

MANAGERS = (Role.HOST_MANAGER, Role.TALENT)
SKILL_LISTS = {
    "required_skills": SkillRequirement.REQUIRED,
    "nice_to_have_skills": SkillRequirement.NICE_TO_HAVE,
    "develops_skills": SkillRequirement.DEVELOPS,
}


def _choices(enum_cls: type[StrEnum]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in enum_cls.choices()]


class OpportunityForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[DataRequired(), Length(max=8000)])
    type = SelectField("Type of secondment", choices=_choices(OpportunityType))
    host_department_id = SelectField("Host department", coerce=int)
    start_date = DateField("Start date", validators=[InputRequired(message="Give a start date.")])
    end_date = DateField("End date", validators=[Optional()])
    duration_months = IntegerField(
        "Duration in months",
        validators=[Optional(), NumberRange(1, 60, message="The duration must be from 1 to 60 months.")],
    )
    time_commitment_percent = IntegerField(
        "Time commitment (%)",
        default=100,
        validators=[InputRequired(), NumberRange(1, 100, message="The time commitment must be from 1 to 100 %%.")],
    )
    location = StringField("Location", validators=[DataRequired(), Length(max=120)])
    remote_policy = SelectField("Remote working", choices=_choices(RemotePolicy), default=RemotePolicy.HYBRID.value)
    openings = IntegerField(
        "Openings",
        default=1,
        validators=[InputRequired(), NumberRange(1, 50, message="Openings must be from 1 to 50.")],
    )
    closing_date = DateField("Applications close on", validators=[Optional()])
    min_service_months = IntegerField(
        "Minimum months of service",
        default=0,
        validators=[InputRequired(), NumberRange(0, 600, message="Months of service must be from 0 to 600.")],
    )
    eligible_grades = SelectMultipleField("Eligible grades")
    eligible_department_ids = SelectMultipleField("Eligible departments", coerce=int)
    requires_release = BooleanField("The line manager must agree to release the person", default=True)
    funding = RadioField("Who pays", choices=_choices(Funding), default=Funding.HOME_PAYS.value)
    stretch = RadioField(
        "How ready must people be?", choices=_choices(StretchTolerance), default=StretchTolerance.SOME_STRETCH.value
    )
    recharge_percent = IntegerField(
        "Share the host recharges (%)",
        validators=[Optional(), NumberRange(1, 100, message="The recharge must be from 1 to 100 %%.")],
    )
    required_skills = skill_rows("Required skills")
    nice_to_have_skills = skill_rows("Nice-to-have skills")
    develops_skills = skill_rows("Skills this secondment develops")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = [
            SelectChoice(d.id, d.name, optgroup=d.organisation.name) for d in hosting.host_department_choices()
        ]
        self.host_department_id.choices = departments
        self.eligible_department_ids.choices = departments
        self.eligible_grades.choices = [SelectChoice(g) for g in hosting.grade_choices()]

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: exactly one of end date and duration."""
        ok = super().validate(extra_validators)
        if self.end_date.errors or self.duration_months.errors:
            return ok
        given = (self.end_date.data is not None, self.duration_months.data is not None)
        if all(given):
            self.end_date.errors.append("Give an end date or a duration, not both.")
        elif not any(given):
            self.end_date.errors.append("Give an end date or a duration in months.")
        return ok and any(given) and not all(given)

    def validated_details(self) -> hosting.OpportunityDetails | None:
        """The parsed details, or None with messages on every wrong field and skill row."""
        fields_ok = self.validate()
        # Rows are looked up even when other fields are wrong, so that every problem shows at once.
        required, nice, develops = (
            None if rows.errors else resolved_skill_rows(rows, level_required=needs_level, level_label="minimum level")
            for rows, needs_level in (
                (self.required_skills, True),
                (self.nice_to_have_skills, False),
                (self.develops_skills, False),
            )
        )
        if not fields_ok or required is None or nice is None or develops is None:
            return None
        end = self.end_date.data or hosting.end_after_months(self.start_date.data, self.duration_months.data)
        return hosting.OpportunityDetails(
            title=self.title.data,
            description=self.description.data,
            type=OpportunityType(self.type.data),
            host_department_id=self.host_department_id.data,
            start_date=self.start_date.data,
            end_date=end,
            time_commitment_percent=self.time_commitment_percent.data,
            location=self.location.data,
            remote_policy=RemotePolicy(self.remote_policy.data),
            openings=self.openings.data,
            closing_date=self.closing_date.data,
            min_service_months=self.min_service_months.data,
            eligible_grades=tuple(self.eligible_grades.data or ()),
            eligible_department_ids=tuple(self.eligible_department_ids.data or ()),
            requires_release=self.requires_release.data,
            funding=Funding(self.funding.data),
            recharge_percent=self.recharge_percent.data,
            stretch=StretchTolerance(self.stretch.data),
            required_skills=tuple(required),
            nice_to_have_skills=tuple(skill for skill, _ in nice),
            develops_skills=tuple(skill for skill, _ in develops),
        )


def _form_data(opportunity: Opportunity) -> dict:
    """Form values of a saved opportunity, for editing."""
    data = {
        name: getattr(opportunity, name)
        for name in (
            "title", "description", "type", "host_department_id", "start_date", "end_date",
            "time_commitment_percent", "location", "remote_policy", "openings", "closing_date",
            "min_service_months", "requires_release", "funding", "recharge_percent", "stretch",
        )
    }
    data["eligible_grades"] = [g.grade for g in opportunity.eligible_grades]
    data["eligible_department_ids"] = [d.id for d in opportunity.eligible_departments]
    for name, kind in SKILL_LISTS.items():
        data[name] = [
            {"skill_id": str(s.skill_id), "skill_name": s.skill.name, "level": str(s.min_level or "")}
            for s in opportunity.skills_of(kind)
        ]
    return data


def _add_blank_rows(form: OpportunityForm, count: int = 2) -> None:
    for name in SKILL_LISTS:
        for _ in range(count):
            getattr(form, name).append_entry()


def _managed(opportunity_id: int) -> Opportunity:
    """The opportunity if the current user may manage it; 404 or 403 otherwise."""
    opportunity = hosting.get_opportunity(opportunity_id)
    if opportunity is None:
        abort(404)
    if not hosting.can_manage(current_user, opportunity):
        abort(403)
    return opportunity


def _back_url() -> str:
    """Hosts go back to their own list; the talent team to its overview."""
    if current_user.has_role(Role.HOST_MANAGER):
        return url_for("host.my_opportunities")
    return url_for("talent.overview")


def _render_form(form: OpportunityForm, opportunity: Opportunity | None, status: int = 200):
    return (
        render_template(
            "host/form.html", form=form, opportunity=opportunity, has_errors=status == 400, back_url=_back_url()
        ),
        status,
    )


def _save(form: OpportunityForm, opportunity: Opportunity | None):
    """Validate and save the form; re-render it with messages next to the fields (400) when wrong."""
    details = form.validated_details()
    if details is not None:
        try:
            if opportunity is None:
                opportunity = hosting.create_opportunity(current_employee(), details)
                flash(f"“{opportunity.title}” is saved as a draft. Publish it when it is ready.", "success")
            else:
                hosting.update_opportunity(opportunity, details)
                flash(f"Changes to “{opportunity.title}” are saved.", "success")
            return redirect(_back_url())
        except hosting.InvalidDetails as error:
            for name, message in error.problems.items():
                getattr(form, name).errors.append(message)
    return _render_form(form, opportunity, 400)


@bp.route("/opportunities")
@roles_required(Role.HOST_MANAGER)
def my_opportunities():
    hosted = hosting.host_opportunities(current_employee())
    return render_template(
        "host/opportunities.html",
        hosted=hosted,
        has_detail_page="opportunities.detail" in current_app.view_functions,
    )


@bp.route("/opportunities/new", methods=["GET", "POST"])
@roles_required(Role.HOST_MANAGER)
def new():
    host = current_employee()
    if request.method == "POST":
        return _save(OpportunityForm(), None)
    form = OpportunityForm(host_department_id=host.department_id)
    return _render_form(form, None)


@bp.route("/opportunities/<int:opportunity_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(opportunity_id: int):
    opportunity = _managed(opportunity_id)
    hosting.ensure_editable(opportunity)
    if request.method == "POST":
        return _save(OpportunityForm(), opportunity)
    form = OpportunityForm(data=_form_data(opportunity))
    _add_blank_rows(form)
    return _render_form(form, opportunity)


@bp.route("/opportunities/<int:opportunity_id>/publish", methods=["POST"])
@roles_required(*MANAGERS)
def publish(opportunity_id: int):
    opportunity = _managed(opportunity_id)
    # The talent team's own publishing is the approval.
    needs_approval = current_app.config["PUBLISH_REQUIRES_APPROVAL"] and not current_user.has_role(Role.TALENT)
    hosting.publish_opportunity(opportunity, needs_approval=needs_approval)
    if needs_approval:
        flash(f"“{opportunity.title}” is sent to the talent team for approval.", "success")
    else:
        flash(f"“{opportunity.title}” is open for applications.", "success")
    return redirect(_back_url())


@bp.route("/opportunities/<int:opportunity_id>/close", methods=["POST"])
@roles_required(*MANAGERS)
def close(opportunity_id: int):
    opportunity = _managed(opportunity_id)
    hosting.close_opportunity(opportunity)
    flash(f"“{opportunity.title}” is closed to new applications.", "success")
    return redirect(_back_url())


@bp.route("/opportunities/<int:opportunity_id>/cancel", methods=["POST"])
@roles_required(*MANAGERS)
def cancel(opportunity_id: int):
    opportunity = _managed(opportunity_id)
    hosting.cancel_opportunity(opportunity)
    flash(f"“{opportunity.title}” is cancelled.", "success")
    return redirect(_back_url())


@bp.route("/opportunities/<int:opportunity_id>/applicants")
@roles_required(*MANAGERS)
def applicants(opportunity_id: int):
    opportunity = _managed(opportunity_id)
    listed = hosting.applicants(opportunity)
    return render_template(
        "host/applicants.html",
        opportunity=opportunity,
        applicants=listed,
        filled=secondments.places_taken(opportunity.id),
        actions_for=lambda application: selection.actions_for(application, current_user),
        overriding=selection_records.overriding(opportunity, [a.application for a in listed]),
        open_explanations=explanations.open_requests(opportunity),
        back_url=_back_url(),
    )


@bp.route("/opportunities/<int:opportunity_id>/candidates")
@roles_required(*MANAGERS)
def candidates(opportunity_id: int):
    """Eligible people ranked for the secondment, each with why they fit and what they lack."""
    opportunity = _managed(opportunity_id)
    form = CandidateFilterForm(request.args)
    if not form.validate():
        return render_template("matches/candidates.html", opportunity=opportunity, form=form,
                               ranking=None, page=None, back_url=_back_url()), 400
    ranking = matching.rank_candidates(
        opportunity, limit=current_app.config["CANDIDATE_LIMIT"], filters=form.filters()
    )
    page = ListPagination(ranking.rows, page_number(), current_app.config["PAGE_SIZE"])
    audit.record_ranking_shown(opportunity, ranking, page, reviewer=current_user, filters=form.data)
    return render_template(
        "matches/candidates.html",
        opportunity=opportunity,
        form=form,
        ranking=ranking,
        page=page,
        back_url=_back_url(),
        invited=invitations.invited_ids(opportunity),
        applied=hosting.applicant_ids(opportunity),
    )


class CandidateFilterForm(Form):
    """Narrow the ranked pool by department and location (a GET form, so no CSRF token)."""

    department = SelectField("Department", default="")
    location = SelectField("Location", default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department.choices = [SelectChoice("", "Any department")] + [
            SelectChoice(str(d.id), d.name, optgroup=d.organisation.name) for d in matching.pool_departments()
        ]
        self.location.choices = [SelectChoice("", "Any location")] + [
            SelectChoice(place, place) for place in matching.pool_locations()
        ]

    def filters(self) -> matching.CandidateFilters:
        return matching.CandidateFilters(
            department_id=int(self.department.data) if self.department.data else None,
            location=self.location.data or None,
        )
