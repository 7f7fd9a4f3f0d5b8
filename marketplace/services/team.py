"""Line managers' view of their direct reports and the secondments those people apply for."""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.models import Application, Employee
from marketplace.models.application import IN_PROGRESS


class ReportSummary(NamedTuple):
    employee: Employee
    active_applications: list[Application]


def direct_reports(manager: Employee) -> list[ReportSummary]:
    """The manager's direct reports by name, each with their applications in progress, newest first."""
    reports = list(
        db.session.scalars(
            sa.select(Employee)
            .where(Employee.manager_id == manager.id)
            .options(selectinload(Employee.department))
            .order_by(Employee.name, Employee.id)
        )
    )
    applications = db.session.scalars(
        sa.select(Application)
        .where(
            Application.employee_id.in_([r.id for r in reports]),
            Application.status.in_(IN_PROGRESS),
        )
        .options(selectinload(Application.opportunity))
        .order_by(Application.submitted_at.desc(), Application.id.desc())
    )
    by_employee: dict[int, list[Application]] = {r.id: [] for r in reports}
    for application in applications:
        by_employee[application.employee_id].append(application)
    return [ReportSummary(r, by_employee[r.id]) for r in reports]
