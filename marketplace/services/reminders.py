"""Reminders nobody has to remember to send: pending releases, secondments about to start or end, check-ins,
and a return plan that fell due without being recorded.

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
from marketplace.models import (
    Application,
    ApplicationStatus,
    CheckIn,
    NotificationKind,
    Secondment,
    SecondmentParty,
    SecondmentStatus,
)
from marketplace.services import check_ins, returns
from marketplace.services.secondment_records import accounts_of
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
        **_check_in_reminders(today),
        "return_plan_reminders": _return_plan_reminders(today),
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


def _check_in_reminders(today: dt.date) -> dict[str, int]:
    """Remind the secondee and host of a check-in due soon; tell both managers once of one overdue."""
    running = db.session.scalars(
        sa.select(Secondment).where(Secondment.status == SecondmentStatus.ACTIVE.value)
        .options(selectinload(Secondment.opportunity))
    ).all()
    held = _held_by_running_secondment()
    counts = {"check_in_reminders": 0, "overdue_check_ins": 0}
    for secondment in running:
        title, link = secondment.opportunity.title, app_path("secondments.detail", secondment_id=secondment.id)
        for slot in check_ins.plan(secondment, today, held=held.get(secondment.id, [])).open:
            day = format_date(slot.due_on)
            if slot.state == check_ins.DUE:
                counts["check_in_reminders"] += len(notify(
                    [secondment.employee, secondment.host_manager], NotificationKind.CHECK_IN_DUE,
                    f"Check-in due {day}: {title}",
                    f"Check-in {slot.number} of the secondment to “{title}” is due on {day}. Meet, then the host "
                    "records progress on each objective and the secondee adds their feedback.",
                    link=link, dedupe_key=f"check-in-due:{secondment.id}:{slot.due_on.isoformat()}",
                ))
            else:
                managers = [m for m in (secondment.host_manager, secondment.home_manager) if m is not None]
                counts["overdue_check_ins"] += len(notify(
                    managers, NotificationKind.CHECK_IN_OVERDUE, f"Check-in overdue: {title}",
                    f"Check-in {slot.number} of {secondment.employee.name}'s secondment to “{title}” was due on "
                    f"{day} and has not been recorded.",
                    link=link, dedupe_key=f"check-in-overdue:{secondment.id}:{slot.due_on.isoformat()}",
                ))
    return counts


def _return_plan_reminders(today: dt.date) -> int:
    """Remind the home manager (the talent team when there is none), once, of a return plan due and missing."""
    sent = 0
    for secondment in returns.plans_due(today):
        who = (SecondmentParty.HOME_MANAGER,) if secondment.home_manager_id else (SecondmentParty.TALENT,)
        title, due = secondment.opportunity.title, format_date(returns.plan_due_on(secondment))
        sent += len(notify(
            accounts_of(secondment, who), NotificationKind.RETURN_PLAN_DUE, f"Return plan due: {title}",
            f"The return plan for {secondment.employee.name}'s secondment to “{title}” is due by {due} and not yet "
            f"recorded; the secondment ends on {format_date(secondment.end_date)}. Record it on the secondment page: "
            "back to the original role or an equivalent one, an extension, or a conversion to a permanent move.",
            link=app_path("secondments.detail", secondment_id=secondment.id),
            dedupe_key=f"return-plan-due:{secondment.id}:{secondment.end_date.isoformat()}",
        ))
    return sent


def _held_by_running_secondment() -> dict[int, list[CheckIn]]:
    held: dict[int, list[CheckIn]] = {}
    query = sa.select(CheckIn).join(Secondment).where(Secondment.status == SecondmentStatus.ACTIVE.value)
    for row in db.session.scalars(query):
        held.setdefault(row.secondment_id, []).append(row)
    return held


def _tell_all(secondment: Secondment, kind: NotificationKind, when: str, body: str, key: str) -> int:
    people: Iterable = [secondment.employee, secondment.host_manager, secondment.home_manager]
    subject = f"{when}: {secondment.opportunity.title}"
    return len(notify([p for p in people if p is not None], kind, subject, body,
                      link=app_path("applications.mine"), dedupe_key=key))
