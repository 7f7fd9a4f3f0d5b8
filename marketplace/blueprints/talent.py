"""The talent team's overview of every opportunity and application, and of returns from secondment."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import Optional, ValidationError

from marketplace.clock import today
from marketplace.forms import Form
from marketplace.models import ApplicationStatus, OpportunityStatus, OpportunityType, Role
from marketplace.models.enums import StrEnum
from marketplace.pagination import page_number
from marketplace.security import roles_required
from marketplace.services import hosting, releases, return_figures, talent
from marketplace.services.return_feedback import PARTY_NAMES, RATING_WORDS

bp = Blueprint("talent", __name__, url_prefix="/talent")


def _optional_int(value: object) -> int | None:
    return None if value in (None, "") else int(value)


def _any_of(enum_cls: type[StrEnum], any_label: str) -> list[SelectChoice]:
    return [SelectChoice("", any_label)] + [SelectChoice(v, label) for v, label in enum_cls.choices()]


class OpportunityFilters(Form):
    status = SelectField("Status", choices=_any_of(OpportunityStatus, "Any status"), default="")
    department = SelectField("Host department", coerce=_optional_int, default=None)
    type = SelectField("Type", choices=_any_of(OpportunityType, "Any type"), default="")

    def __init__(self, formdata):
        super().__init__(formdata, prefix="opp")
        self.department.choices = [SelectChoice("", "Any department")] + [
            SelectChoice(d.id, d.name, optgroup=d.organisation.name) for d in talent.hosting_departments()
        ]

    def criteria(self) -> dict:
        """Keyword arguments for talent.opportunity_page; no narrowing when the filters are invalid."""
        if self.errors:
            return {}
        return {
            "status": OpportunityStatus(self.status.data) if self.status.data else None,
            "department_id": self.department.data,
            "type": OpportunityType(self.type.data) if self.type.data else None,
        }


class ApplicationFilters(Form):
    status = SelectField("Status", choices=_any_of(ApplicationStatus, "Any status"), default="")
    opportunity = SelectField("Opportunity", coerce=_optional_int, default=None)

    def __init__(self, formdata):
        super().__init__(formdata, prefix="app")
        self.opportunity.choices = [SelectChoice("", "Any opportunity")] + [
            SelectChoice(opportunity_id, title) for opportunity_id, title in talent.opportunities_with_applications()
        ]

    def criteria(self) -> dict:
        """Keyword arguments for talent.application_page; no narrowing when the filters are invalid."""
        if self.errors:
            return {}
        return {
            "status": ApplicationStatus(self.status.data) if self.status.data else None,
            "opportunity_id": self.opportunity.data,
        }


@bp.route("")
@roles_required(Role.TALENT)
def overview():
    opportunity_filters = OpportunityFilters(request.args)
    application_filters = ApplicationFilters(request.args)
    valid = [opportunity_filters.validate(), application_filters.validate()]
    per_page = current_app.config["PAGE_SIZE"]
    opportunities = talent.opportunity_page(
        **opportunity_filters.criteria(), page=page_number("opp-page"), per_page=per_page
    )
    applications = talent.application_page(
        **application_filters.criteria(), page=page_number("app-page"), per_page=per_page
    )
    page = render_template(
        "talent/overview.html",
        opportunity_counts=talent.opportunity_status_counts(),
        application_counts=talent.application_status_counts(),
        opportunity_filters=opportunity_filters,
        application_filters=application_filters,
        opportunities=opportunities,
        active_counts=hosting.active_application_counts([o.id for o in opportunities.items]),
        applications=applications,
        waiting=releases.queue_size() + len(talent.awaiting_approval()),
        figures=releases.manager_figures(),
        has_detail_page="opportunities.detail" in current_app.view_functions,
    )
    return page, 200 if all(valid) else 400


class Day(DateField):
    """A date typed as year-month-day, refused with an example rather than wtforms' bare "Not a valid date value"."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a date as year-month-day, such as 2026-03-31.") from None


def _department_id(value: object) -> int | str | None:
    # a value that is not a number stays as typed, to be refused below with a message people understand
    if value in (None, ""):
        return None
    return int(value) if str(value).isdigit() else str(value)


class ReturnFilters(Form):
    """Which returns the page counts: the period they ended in and the host department (a GET form)."""

    start = Day("Ended on or after", validators=[Optional()])
    end = Day("Ended on or before", validators=[Optional()])
    department = SelectField("Host department", coerce=_department_id, default=None, validate_choice=False)

    def __init__(self, formdata):
        super().__init__(formdata)
        self.department.choices = [SelectChoice("", "Any department")] + [
            SelectChoice(d.id, d.name, optgroup=d.organisation.name) for d in talent.hosting_departments()
        ]

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError("The period cannot end before it starts.")

    def validate_department(self, field: SelectField) -> None:
        if field.data is not None and field.data not in {c.value for c in field.choices}:
            raise ValidationError("Choose a host department from the list.")

    def criteria(self) -> return_figures.Criteria:
        return return_figures.Criteria(self.start.data, self.end.data, self.department.data)


@bp.route("/returns")
@roles_required(Role.TALENT)
def returns():
    filters = ReturnFilters(request.args)
    if not filters.validate():
        return render_template("talent/returns.html", filters=filters, figures=None), 400
    criteria, on = filters.criteria(), today()
    min_group = current_app.config["RETURN_FEEDBACK_MIN_GROUP"]
    pagination, unreviewed = return_figures.unreviewed_page(
        on, criteria, page=page_number(), per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "talent/returns.html",
        filters=filters,
        pagination=pagination,
        unreviewed=unreviewed,
        figures=return_figures.evaluation_figures(criteria, min_group=min_group),
        responses=return_figures.response_rates(on, criteria),
        min_group=min_group,
        review_days=current_app.config["RETURN_REVIEW_DAYS"],
        party_names=PARTY_NAMES,
        rating_words=RATING_WORDS,
    )
