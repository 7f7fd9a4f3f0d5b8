"""Who hears about what: the notifications of application and opportunity events.

Each function is called by the service that makes the change, before it commits, so the change
and its notifications are saved together. Dedupe keys name the event, so repeating a call (a
retried task, a double click that got through) notifies nobody twice.
"""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.formatting import format_date
from marketplace.models import Application, ApplicationStatus, Employee, NotificationKind, Opportunity
from marketplace.models.application import IN_PROGRESS
from marketplace.services.notifications import app_path, notify


def opportunity_closed(opportunity: Opportunity) -> None:
    """Tell the applicants that the host stopped taking applications."""
    notify(
        active_applicants(opportunity),
        NotificationKind.OPPORTUNITY_CLOSED,
        f"Applications closed: {opportunity.title}",
        f"“{opportunity.title}” is no longer taking applications. "
        "Your application stays with the host, who will be in touch about next steps.",
        link=app_path("applications.mine"),
        dedupe_key=f"opportunity.closed:{opportunity.id}",
    )


def opportunity_cancelled(opportunity: Opportunity) -> None:
    """Tell the applicants that the secondment will not go ahead."""
    notify(
        active_applicants(opportunity),
        NotificationKind.OPPORTUNITY_CANCELLED,
        f"Secondment cancelled: {opportunity.title}",
        f"The host cancelled “{opportunity.title}”, so your application will not go further. "
        "Other secondments may suit you just as well.",
        link=app_path("opportunities.browse"),
        dedupe_key=f"opportunity.cancelled:{opportunity.id}",
    )


def opportunity_filled(opportunity: Opportunity, accepted: Application) -> None:
    """Tell everyone still in the running that the last opening went to someone else."""
    still_in = db.session.scalars(
        sa.select(Employee)
        .join(Application, Application.employee_id == Employee.id)
        .where(
            Application.opportunity_id == opportunity.id,
            Application.id != accepted.id,
            Application.status.in_(IN_PROGRESS),
        )
    )
    notify(
        still_in,
        NotificationKind.OPPORTUNITY_CLOSED,
        f"All places filled: {opportunity.title}",
        f"Every opening of “{opportunity.title}” is now taken, so your application will not go further; "
        "an offer you still hold can no longer be accepted. Other secondments may suit you just as well.",
        link=app_path("opportunities.browse"),
        dedupe_key=f"opportunity.filled:{opportunity.id}",
    )


def opportunity_expired(opportunity: Opportunity) -> None:
    """Tell the applicants and the host manager that the closing date passed and applications closed."""
    applicants = active_applicants(opportunity)
    closing = format_date(opportunity.closing_date)
    notify(
        applicants,
        NotificationKind.OPPORTUNITY_CLOSED,
        f"Applications closed: {opportunity.title}",
        f"“{opportunity.title}” stopped taking applications after its closing date, {closing}. "
        "Your application stays with the host, who will be in touch about next steps.",
        link=app_path("applications.mine"),
        dedupe_key=f"opportunity.closed:{opportunity.id}",
    )
    count = len(applicants)
    waiting = f"{count} application{' waits' if count == 1 else 's wait'} for your review." if count else "No one applied."
    notify(
        [opportunity.host_manager],
        NotificationKind.OPPORTUNITY_CLOSED,
        f"Applications closed: {opportunity.title}",
        f"“{opportunity.title}” passed its closing date, {closing}, and stopped taking applications. {waiting}",
        link=app_path("host.applicants", opportunity_id=opportunity.id),
        dedupe_key=f"opportunity.closed:{opportunity.id}",
    )


def active_applicants(opportunity: Opportunity) -> list[Employee]:
    """Employees whose application to the opportunity is not withdrawn."""
    return list(
        db.session.scalars(
            sa.select(Employee)
            .join(Application, Application.employee_id == Employee.id)
            .where(
                Application.opportunity_id == opportunity.id,
                Application.status != ApplicationStatus.WITHDRAWN.value,
            )
        )
    )
