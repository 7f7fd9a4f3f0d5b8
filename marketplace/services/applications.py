"""Employees applying to opportunities and withdrawing again."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.clock import today, utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import Application, ApplicationStatus, Department, Employee, Opportunity, OpportunityStatus
from marketplace.services import secondments, selection
from marketplace.services.opportunities import is_accepting_applications, is_host_of
from marketplace.formatting import format_date

STATEMENT_MAX = 4000


def application_of(employee: Employee, opportunity: Opportunity) -> Application | None:
    """The employee's application to the opportunity, active or withdrawn, if there is one."""
    return db.session.scalar(
        sa.select(Application).where(
            Application.employee_id == employee.id, Application.opportunity_id == opportunity.id
        )
    )


def active_application_ids(employee: Employee, opportunity_ids: list[int]) -> set[int]:
    """Which of ``opportunity_ids`` the employee has an active application to."""
    if not opportunity_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Application.opportunity_id).where(
                Application.employee_id == employee.id,
                Application.opportunity_id.in_(opportunity_ids),
                Application.status != ApplicationStatus.WITHDRAWN.value,
            )
        )
    )


def applications_of(employee: Employee) -> list[Application]:
    """All of the employee's own applications, newest first."""
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.employee_id == employee.id)
            .options(
                selectinload(Application.opportunity)
                .selectinload(Opportunity.host_department)
                .selectinload(Department.organisation),
                selectinload(Application.events),
            )
            .order_by(Application.submitted_at.desc(), Application.id.desc())
        )
    )


def _check_can_apply(employee: Employee, opportunity: Opportunity, on: dt.date) -> None:
    if is_host_of(opportunity, employee):
        raise DomainError("You host this opportunity, so you cannot apply to it.", status_code=403)
    if opportunity.status != OpportunityStatus.OPEN:
        raise DomainError("This opportunity is not taking applications.", status_code=409)
    if not is_accepting_applications(opportunity, on):
        raise DomainError(
            f"Applications closed on {format_date(opportunity.closing_date)}.", status_code=409
        )
    if secondments.current_secondment(employee.id) is not None:
        raise DomainError(
            "You are on a secondment, or about to start one, so you cannot apply for another.", status_code=409
        )


def apply(employee: Employee, opportunity: Opportunity, statement: str) -> Application:
    """Submit (or, after a withdrawal, re-submit) the employee's application with ``statement``."""
    statement = statement.strip()
    if not 1 <= len(statement) <= STATEMENT_MAX:
        raise DomainError(
            f"Write a statement of 1 to {STATEMENT_MAX:,} characters.", field="statement"
        )
    _check_can_apply(employee, opportunity, today())
    application = application_of(employee, opportunity)
    if application is not None and application.status != ApplicationStatus.WITHDRAWN:
        raise _already_applied(application)
    if application is None:
        application = Application(employee=employee, opportunity=opportunity)
        db.session.add(application)
    application.statement = statement
    application.submitted_at = utcnow()
    try:
        selection.record_submission(application, selection.account_of(employee))
        db.session.commit()
    except IntegrityError:  # a second submit raced this one past the check above
        db.session.rollback()
        raise DomainError("You have already applied to this opportunity.", field="statement", status_code=409)
    return application


def _already_applied(application: Application) -> DomainError:
    return DomainError(
        f"You have already applied to this opportunity (on {format_date(application.submitted_at)}).",
        field="statement",
        status_code=409,
    )


def withdraw(employee: Employee, application: Application) -> Application:
    """Withdraw the employee's own active application."""
    if application.employee_id != employee.id:
        raise DomainError("You can only withdraw your own applications.", status_code=403)
    if application.status == ApplicationStatus.WITHDRAWN:
        raise DomainError(
            f"You already withdrew this application on {format_date(application.updated_at)}.",
            status_code=409,
        )
    selection.transition(application, selection.A.WITHDRAW, selection.account_of(employee))
    return application
