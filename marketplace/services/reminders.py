"""Reminders nobody has to remember to send: pending releases, and secondments about to start or end.

Each reminder names its event in the dedupe key, so the periodic task may run as often as it likes
and every person is reminded of each thing once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from marketplace.clock import today as utc_today
from marketplace.extensions import db
from marketplace.formatting import format_date
from marketplace.models import Application, ApplicationStatus, NotificationKind, Secondment, SecondmentStatus
from marketplace.services.notifications import app_path, notify
from marketplace.services.releases import release_due

NOT_STARTED = (SecondmentStatus.PLANNED.value, SecondmentStatus.AGREEMENT_SIGNED.value)


def send_due(today: dt.date | None = None) -> dict[str, int]:
    """Add every reminder that is due today and not yet sent; returns how many of each kind went out."""
    today = today or utc_today()
    config = current_app.config
    counts = {
        "release_reminders": _release_reminders(today, config["RELEASE_REMINDER_WORKING_DAYS"],
                                                config["RELEASE_ESCALATION_WORKING_DAYS"]),
        "start_reminders": _start_reminders(today, config["SECONDMENT_START_REMINDER_DAYS"]),
        "end_reminders": _end_reminders(today, config["SECONDMENT_END_REMINDER_DAYS"]),
    }
    db.session.commit()
    return counts


def _release_reminders(today: dt.date, after: int, escalate_after: int) -> int:
    """Remind line managers of release requests undecided for ``after`` working days, before escalation."""
    waiting = db.session.scalars(
        sa.select(Application)
        .where(Application.status == ApplicationStatus.SUBMITTED.value)
        .options(selectinload(Application.employee), selectinload(Application.opportunity))
    )
    sent = 0
    for application in waiting:
        submitted = application.submitted_at.date()
        manager = application.employee.manager
        if manager is None or today < release_due(submitted, after):
            continue
        deadline = format_date(release_due(submitted, escalate_after))
        person, title = application.employee.name, application.opportunity.title
        sent += len(notify(
            [manager], NotificationKind.RELEASE_REMINDER, f"Release decision waiting: {title}",
            f"{person} is waiting for your decision on their release for “{title}”. "
            f"If you have not decided by {deadline}, the request goes to the talent team.",
            link=app_path("team.overview"),
            dedupe_key=f"release-reminder:{application.id}:{application.submitted_at.isoformat()}",
        ))
    return sent


def _start_reminders(today: dt.date, days_before: int) -> int:
    """Tell the secondee and both managers a week (by default) before a secondment starts."""
    starting = db.session.scalars(
        sa.select(Secondment).where(
            Secondment.status.in_(NOT_STARTED),
            Secondment.start_date.between(today, today + dt.timedelta(days=days_before)),
        )
    )
    return sum(
        _tell_all(s, NotificationKind.SECONDMENT_STARTING, f"Starts {format_date(s.start_date)}",
                  f"The secondment to “{s.opportunity.title}” starts on {format_date(s.start_date)}.",
                  f"secondment-starts:{s.id}:{s.start_date.isoformat()}")
        for s in starting
    )


def _end_reminders(today: dt.date, days_before: int) -> int:
    """Tell everyone a month (by default) before a secondment ends: the return plan is due."""
    ending = db.session.scalars(
        sa.select(Secondment).where(
            Secondment.status == SecondmentStatus.ACTIVE.value,
            Secondment.end_date.between(today, today + dt.timedelta(days=days_before)),
        )
    )
    return sum(
        _tell_all(s, NotificationKind.SECONDMENT_ENDING, f"Ends {format_date(s.end_date)}",
                  f"The secondment to “{s.opportunity.title}” ends on {format_date(s.end_date)}. "
                  "Agree the return plan now: back to the original role or an equivalent one, an extension, "
                  "or a conversion.",
                  f"secondment-ends:{s.id}:{s.end_date.isoformat()}")
        for s in ending
    )


def _tell_all(secondment: Secondment, kind: NotificationKind, when: str, body: str, key: str) -> int:
    people: Iterable = [secondment.employee, secondment.host_manager, secondment.home_manager]
    subject = f"{when}: {secondment.opportunity.title}"
    return len(notify([p for p in people if p is not None], kind, subject, body,
                      link=app_path("applications.mine"), dedupe_key=key))
