"""Each role's home: what needs the person first, with the way to act on it.

One user may hold several roles; their home has a section for each, most personal first.
Each section shows only what that user may see: their own applications and secondment, their
own team's releases, their own opportunities, and the whole organisation only to the talent team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from marketplace.clock import today as utc_today
from marketplace.models import Role, User
from marketplace.services.homes.employee import EmployeeHome, employee_home
from marketplace.services.homes.host import HostHome, host_home
from marketplace.services.homes.line_manager import LineManagerHome, line_manager_home
from marketplace.services.homes.listing import count
from marketplace.services.homes.talent import TalentHome, talent_home


@dataclass(frozen=True)
class Home:
    """The sections of one user's home; a section is None when the user does not hold its role."""

    employee: EmployeeHome | None = None
    line_manager: LineManagerHome | None = None
    host: HostHome | None = None
    talent: TalentHome | None = None
    accounts: int | None = None  # for administrators: how many log-ins exist

    @property
    def sections(self) -> list[str]:
        """The names of the sections shown, in page order."""
        return [name for name in ("employee", "line_manager", "host", "talent", "accounts")
                if getattr(self, name) is not None]


def home_for(user: User, today: dt.date | None = None) -> Home:
    """The home of ``user`` as of ``today``: a section per role they hold."""
    today = today or utc_today()
    employee = user.employee
    # the employee, line-manager and host sections are about the user's own employee record
    mine = set() if employee is None else user.roles
    escalation_days = current_app.config["RELEASE_ESCALATION_WORKING_DAYS"]
    return Home(
        employee=employee_home(employee, today) if Role.EMPLOYEE in mine else None,
        line_manager=line_manager_home(employee, today, escalation_days) if Role.LINE_MANAGER in mine else None,
        host=host_home(employee, today) if Role.HOST_MANAGER in mine else None,
        talent=talent_home(today) if user.has_role(Role.TALENT) else None,
        accounts=count(sa.select(User.id)) if user.has_role(Role.ADMIN) else None,
    )
