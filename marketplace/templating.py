"""Helpers and globals available in every template."""

from __future__ import annotations

from typing import NamedTuple

from flask import Flask, current_app
from flask_login import current_user

from marketplace import models
from marketplace.formatting import format_date, format_local_time, to_local
from marketplace.forms import level_label
from marketplace.models import Role, reasons
from marketplace.services import notifications


class NavItem(NamedTuple):
    label: str
    endpoint: str
    roles: tuple[Role, ...]


# The main navigation; each item shows only to the roles that may open it.
NAVIGATION = (
    NavItem("Recommended for you", "recommendations.mine", (Role.EMPLOYEE,)),
    NavItem("Opportunities", "opportunities.browse", (Role.EMPLOYEE, Role.TALENT)),
    NavItem("My applications", "applications.mine", (Role.EMPLOYEE,)),
    NavItem("My profile", "profile.edit", (Role.EMPLOYEE,)),
    NavItem("My team", "team.overview", (Role.LINE_MANAGER,)),
    NavItem("Hosting", "host.my_opportunities", (Role.HOST_MANAGER,)),
    NavItem("Secondments", "secondments.index", (Role.EMPLOYEE, Role.LINE_MANAGER, Role.HOST_MANAGER, Role.TALENT)),
    NavItem("Talent overview", "talent.overview", (Role.TALENT,)),
    NavItem("Fairness", "fairness.report", (Role.TALENT,)),
    NavItem("Accounts", "admin.users", (Role.ADMIN,)),
    NavItem("Background jobs", "jobs.index", (Role.TALENT, Role.ADMIN)),
    NavItem("Inbox", "notifications.inbox", tuple(Role)),  # shows the unread count (base.html)
)


def nav_items() -> list[NavItem]:
    """Navigation entries the current user may open (and that exist in this build)."""
    if not current_user.is_authenticated:
        return []
    return [
        item
        for item in NAVIGATION
        if current_user.has_role(*item.roles) and item.endpoint in current_app.view_functions
    ]


def unread_notifications() -> int:
    """The current user's unread notifications, for the badge on the inbox link."""
    return notifications.unread_count(current_user) if current_user.is_authenticated else 0


def local_time(value) -> str:
    """A stored UTC time in the installation's time zone, named: 3 Mar 2027 at 10:00 GMT."""
    return format_local_time(value, current_app.config["TIMEZONE"])


def datetime_local(value) -> str:
    """A stored UTC time as the value of a ``datetime-local`` input in the installation's time zone."""
    return to_local(value, current_app.config["TIMEZONE"]).strftime("%Y-%m-%dT%H:%M") if value else ""


def init_app(app: Flask) -> None:
    """Register filters and globals."""
    app.add_template_filter(format_date, "date")
    app.add_template_filter(level_label, "level")
    app.add_template_filter(local_time)
    app.add_template_filter(datetime_local)
    app.add_template_global(lambda: current_app.config["TIMEZONE"], "time_zone")
    app.add_template_global(nav_items)
    app.add_template_global(unread_notifications)
    app.add_template_global(reasons.codes_for, "reason_codes")
    app.add_template_global(lambda: list(reasons.OverrideCode), "override_codes")
    app.add_template_global(models.AgreementStatus)  # a global, so imported macros see it too

    @app.context_processor
    def domain_vocabulary():
        return {
            "Role": models.Role,
            "OpportunityType": models.OpportunityType,
            "OpportunityStatus": models.OpportunityStatus,
            "RemotePolicy": models.RemotePolicy,
            "Funding": models.Funding,
            "SkillRequirement": models.SkillRequirement,
            "StretchTolerance": models.StretchTolerance,
            "ApplicationStatus": models.ApplicationStatus,
            "OrganisationKind": models.OrganisationKind,
        }
