"""Employees browsing open opportunities and reading one in full."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user
from wtforms import HiddenField, SearchField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.forms import FlaskForm, crlf_to_lf
from marketplace.limits import whole_number
from marketplace.models import Opportunity, OpportunityType, RemotePolicy, Role
from marketplace.pagination import page_number
from marketplace.security import roles_required
from marketplace.services import applications, opportunities
from marketplace.services.catalogue import UnknownSkill, resolve_skill

bp = Blueprint("opportunities", __name__)

ANY = SelectChoice("", "Any")


def _options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Select options led by "Any", which means the filter is off."""
    return [ANY, *(SelectChoice(value, label) for value, label in pairs)]


class BrowseForm(FlaskForm):
    """The filters above the list; sent by GET so that results can be bookmarked."""

    class Meta:
        csrf = False

    q = SearchField("Search", validators=[Optional(), Length(max=200)])
    type = SelectField("Type", choices=_options(OpportunityType.choices()), validators=[Optional()])
    department = SelectField("Host department", coerce=str, validate_choice=False)
    location = SelectField("Location", validate_choice=False)
    remote = SelectField(
        "Remote working",
        choices=_options(
            [(opportunities.REMOTE_POSSIBLE, "Remote possible (hybrid or remote)"), *RemotePolicy.choices()]
        ),
        validators=[Optional()],
    )
    duration = SelectField(
        "Duration",
        choices=_options((band.key, band.label) for band in opportunities.DURATION_BANDS.values()),
        validators=[Optional()],
    )
    skill = StringField("Skill", validators=[Optional(), Length(max=300)])
    skill_id = HiddenField()  # set by links and the picker; a typed name is resolved otherwise

    def filters(self) -> opportunities.BrowseFilters | None:
        """The filters to apply, or None when a value is invalid (errors are then set on the fields)."""
        if not self.validate():
            return None
        skill = None
        if self.skill_id.data or (self.skill.data or "").strip():
            try:
                skill = resolve_skill(self.skill_id.data, self.skill.data)
            except UnknownSkill as error:
                self.skill.errors = [*self.skill.errors, str(error)]
                return None
            self.skill.data = skill.name  # show what an id or an alias resolved to
        return opportunities.BrowseFilters(
            text=(self.q.data or "").strip(),
            type=self.type.data or None,
            department_id=whole_number(self.department.data),
            location=self.location.data or None,
            remote=self.remote.data or None,
            duration=self.duration.data or None,
            skill=skill,
        )


class ApplyForm(FlaskForm):
    statement = TextAreaField(
        "Why you, and what you hope to learn",
        validators=[
            DataRequired(message="Write a statement to apply."),
            Length(max=applications.STATEMENT_MAX, message="Keep the statement to 4,000 characters or fewer."),
        ],
        filters=[crlf_to_lf],
        render_kw={"rows": 8},
    )


@bp.route("/opportunities")
@roles_required(Role.EMPLOYEE, Role.TALENT)
def browse():
    form = BrowseForm(formdata=request.args)
    form.department.choices = _options((str(i), name) for i, name in opportunities.host_department_choices())
    form.location.choices = _options((loc, loc) for loc in opportunities.location_choices())
    filters = form.filters()
    if filters is None:
        return render_template("opportunities/browse.html", form=form, page=None, applied_ids=set()), 400
    page = opportunities.browse(filters, page_number(), current_app.config["PAGE_SIZE"])
    employee = current_user.employee
    applied_ids = (
        applications.active_application_ids(employee, [o.id for o in page.items]) if employee else set()
    )
    return render_template("opportunities/browse.html", form=form, page=page, applied_ids=applied_ids)


@bp.route("/opportunities/<int:opportunity_id>")
@roles_required(Role.EMPLOYEE, Role.TALENT, Role.HOST_MANAGER)
def detail(opportunity_id: int):
    return render_detail(visible_or_404(opportunity_id), ApplyForm())


def visible_or_404(opportunity_id: int) -> Opportunity:
    """The opportunity if the current user may see it; 404 otherwise."""
    opportunity = opportunities.visible_opportunity(opportunity_id, current_user)
    if opportunity is None:
        abort(404)
    return opportunity


def render_detail(
    opportunity: Opportunity, form: ApplyForm, apply_error: str | None = None, status: int = 200
) -> tuple[str, int]:
    """The opportunity page, with the apply section as it stands for the current employee."""
    employee = current_user.employee if current_user.has_role(Role.EMPLOYEE) else None
    context = {
        "opportunity": opportunity,
        "form": form,
        "apply_error": apply_error,
        "application": applications.application_of(employee, opportunity) if employee else None,
        "accepting": opportunities.is_accepting_applications(opportunity),
        "is_host": opportunities.is_host_of(opportunity, current_user.employee),
        "unmet": opportunities.unmet_eligibility(opportunity, employee) if employee else [],
        "can_apply": employee is not None,
    }
    return render_template("opportunities/detail.html", **context), status
