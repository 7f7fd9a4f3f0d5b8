"""The talent team's overview of every opportunity and application."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from wtforms import Form, SelectChoice, SelectField

from marketplace.models import ApplicationStatus, OpportunityStatus, OpportunityType, Role
from marketplace.models.enums import StrEnum
from marketplace.security import roles_required
from marketplace.services import hosting, releases, talent

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


def _page(name: str) -> int:
    return max(request.args.get(name, 1, type=int), 1)


@bp.route("")
@roles_required(Role.TALENT)
def overview():
    opportunity_filters = OpportunityFilters(request.args)
    application_filters = ApplicationFilters(request.args)
    valid = [opportunity_filters.validate(), application_filters.validate()]
    per_page = current_app.config["PAGE_SIZE"]
    opportunities = talent.opportunity_page(
        **opportunity_filters.criteria(), page=_page("opp-page"), per_page=per_page
    )
    applications = talent.application_page(
        **application_filters.criteria(), page=_page("app-page"), per_page=per_page
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
