"""Check-ins while a secondment runs: when they fall due, the host's record, the secondee's feedback.

The schedule follows the secondment's dates and check-in frequency; a check-in is stored once the
host records it. Everything else (due soon, overdue, missed, no longer due after an early end) is
worked out from the dates, so an extension or an early end changes it without any rows to rewrite.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from marketplace.clock import today as utc_today
from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.formatting import format_date
from marketplace.models import (
    CheckIn,
    CheckInFrequency,
    CheckInRating,
    ObjectiveProgress,
    ObjectiveStatus,
    Secondment,
    SecondmentParty,
    SecondmentStatus,
    SkillRequirement,
    User,
)
from marketplace.services import agreements, secondment_records
from marketplace.services.secondments import parties

P = SecondmentParty
MONTHS_APART = {CheckInFrequency.MONTHLY: 1, CheckInFrequency.QUARTERLY: 3}
FEEDBACK_MAX = 4000
PROGRESS_MAX = 2000

# What a scheduled check-in is, seen from today
RECORDED = "recorded"
UPCOMING = "upcoming"
DUE = "due"  # within the reminder window: it may be recorded now
OVERDUE = "overdue"  # its day passed and nobody recorded it while the secondment runs
MISSED = "missed"  # the secondment ended without it
NO_LONGER_DUE = "no_longer_due"  # it fell after the secondment ended early
OPEN = (DUE, OVERDUE)  # the host may record these


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the last day of that month when it is shorter (31 Jan + 1 = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule(start: dt.date, end: dt.date, frequency: CheckInFrequency | str) -> list[dt.date]:
    """The days check-ins fall due: every month (or quarter) after ``start``, strictly before ``end``.

    Each date counts from ``start`` (start + k periods), so a 31 January start gives 28/29 February,
    31 March, 30 April, never drifting to the 28th.
    """
    step = MONTHS_APART[CheckInFrequency(frequency)]
    dates, k = [], 1
    while (due := add_months(start, k * step)) < end:
        dates.append(due)
        k += 1
    return dates


def objectives_of(secondment: Secondment) -> list[str]:
    """The objectives a check-in reports progress on: the signed agreement's, else the skills the opportunity develops."""
    signed = agreements.in_force(secondment)
    if signed is not None and signed.terms.get("objectives"):
        return list(signed.terms["objectives"])
    return [row.skill.name for row in secondment.opportunity.skills_of(SkillRequirement.DEVELOPS)]


@dataclass(frozen=True)
class ScheduledCheckIn:
    """One check-in of the schedule: its number, the day it falls due, what it is today, and the record if held."""

    number: int
    due_on: dt.date
    state: str
    record: CheckIn | None = None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN


@dataclass(frozen=True)
class CheckInPlan:
    """A secondment's check-ins, scheduled and held, in date order."""

    slots: list[ScheduledCheckIn]

    @property
    def next_due(self) -> ScheduledCheckIn | None:
        return next((s for s in self.slots if s.state in (OVERDUE, DUE, UPCOMING)), None)

    @property
    def overdue(self) -> list[ScheduledCheckIn]:
        return [s for s in self.slots if s.state == OVERDUE]

    @property
    def open(self) -> list[ScheduledCheckIn]:
        return [s for s in self.slots if s.is_open]

    @property
    def held(self) -> list[ScheduledCheckIn]:
        return [s for s in self.slots if s.record is not None]


def held_check_ins(secondment: Secondment) -> list[CheckIn]:
    """The check-ins recorded for the secondment, oldest first."""
    return list(db.session.scalars(
        sa.select(CheckIn).where(CheckIn.secondment_id == secondment.id).order_by(CheckIn.due_on)
    ))


def plan(secondment: Secondment, today: dt.date | None = None, *, held: list[CheckIn] | None = None) -> CheckInPlan:
    """Every check-in of the secondment as it stands on ``today``; ``held`` saves a query when already loaded."""
    today = today or utc_today()
    window = current_app.config["CHECK_IN_REMINDER_DAYS"]
    records = {c.due_on: c for c in (held_check_ins(secondment) if held is None else held)}
    days = sorted(set(schedule(secondment.start_date, secondment.end_date, secondment.check_in_frequency))
                  | set(records))
    return CheckInPlan([
        ScheduledCheckIn(number, due_on, _state(secondment, due_on, records.get(due_on), today, window),
                         records.get(due_on))
        for number, due_on in enumerate(days, start=1)
    ])


def _state(secondment: Secondment, due_on: dt.date, record: CheckIn | None, today: dt.date, window: int) -> str:
    if record is not None:
        return RECORDED
    status = SecondmentStatus(secondment.status)
    if status == SecondmentStatus.ENDED:
        # an ended secondment holds no more check-ins: those before its end were missed, the rest fall away
        last_day = secondment.ended_on or secondment.end_date
        return MISSED if due_on <= last_day and due_on < today else NO_LONGER_DUE
    if status != SecondmentStatus.ACTIVE:
        return UPCOMING
    if due_on < today:
        return OVERDUE
    return DUE if due_on <= today + dt.timedelta(days=window) else UPCOMING


def record(
    secondment: Secondment,
    *,
    actor: User,
    due_on: dt.date,
    held_on: dt.date,
    rating: CheckInRating | str,
    host_feedback: str,
    progress: list[tuple[str, str]],
) -> CheckIn:
    """The host records a check-in: its day, a (status, text) per objective, a rating and feedback; commits."""
    if P.HOST_MANAGER not in parties(actor, secondment):
        raise DomainError("Only the host manager records a check-in.", status_code=403)
    if secondment.status != SecondmentStatus.ACTIVE.value:
        raise DomainError("Check-ins are recorded while the secondment runs.", status_code=409)
    today = utc_today()
    slot = next((s for s in plan(secondment, today).slots if s.due_on == due_on), None)
    if slot is None or not slot.is_open:
        raise DomainError(f"There is no check-in to record for {format_date(due_on)}.", field="due_on",
                          status_code=409)
    if not secondment.start_date <= held_on <= min(today, secondment.end_date):
        raise DomainError("The check-in was held between the start of the secondment and today.", field="held_on")
    objectives = objectives_of(secondment)
    check_in = CheckIn(
        secondment=secondment, due_on=due_on, held_on=held_on, rating=_rating(rating),
        host_feedback=_text(host_feedback, "Write the host's feedback.", FEEDBACK_MAX, "host_feedback"),
        recorded_by=actor, recorded_at=utcnow(), objectives=_progress(objectives, progress),
    )
    db.session.add(check_in)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise DomainError("This check-in was recorded by someone else first; reload the page.", status_code=409)
    label = CheckInRating(check_in.rating).label.lower()
    secondment_records.record(
        secondment, "check_in.recorded", actor=actor, role=P.HOST_MANAGER,
        summary=f"Check-in of {format_date(due_on)} recorded: {label}",
        detail={"check_in": check_in.id, "due_on": due_on.isoformat(), "held_on": held_on.isoformat(),
                "rating": check_in.rating, "objectives": [row.status for row in check_in.objectives]},
        tell=(P.EMPLOYEE, P.HOME_MANAGER),
    )
    db.session.commit()
    return check_in


def _rating(rating: CheckInRating | str) -> str:
    if rating not in CheckInRating.values():
        raise DomainError("Rate the secondment overall: on track, at risk or off track.", field="rating")
    return str(rating)


def _text(text: str | None, missing: str, limit: int, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(missing, field=field)
    if len(text) > limit:
        raise DomainError(f"Keep it to {limit:,} characters.", field=field)
    return text


def _progress(objectives: list[str], progress: list[tuple[str, str]]) -> list[ObjectiveProgress]:
    if len(progress) != len(objectives):
        raise DomainError("Report progress on every objective.", field="objectives")
    rows = []
    for position, (objective, (status, text)) in enumerate(zip(objectives, progress), start=1):
        if status not in ObjectiveStatus.values():
            raise DomainError(f"Choose where “{objective}” stands.", field="objectives")
        if len(text or "") > PROGRESS_MAX:
            raise DomainError(f"Keep the progress on “{objective}” to {PROGRESS_MAX:,} characters.", field="objectives")
        rows.append(ObjectiveProgress(position=position, objective=objective[:300], status=status,
                                      progress=(text or "").strip()))
    return rows


# Who adds what to a held check-in: (the column, its timestamp, the step, its label, who is told)
RESPONSES = {
    P.EMPLOYEE: ("secondee_feedback", "secondee_feedback_at", "check_in.secondee_feedback", "Secondee's feedback",
                 (P.HOST_MANAGER, P.HOME_MANAGER)),
    P.HOME_MANAGER: ("home_manager_note", "home_manager_note_at", "check_in.home_manager_note", "Home manager's note",
                     (P.EMPLOYEE, P.HOST_MANAGER)),
}


def respond(check_in: CheckIn, party: SecondmentParty, *, actor: User, text: str) -> CheckIn:
    """The secondee adds their feedback, or the home manager a note, to a held check-in, once; commits."""
    secondment = check_in.secondment
    column, stamp, action, label, tell = RESPONSES[party]
    if party not in parties(actor, secondment):
        raise DomainError(f"Only the {'secondee' if party == P.EMPLOYEE else 'home manager'} adds this.",
                          status_code=403)
    text = _text(text, "Write something first.", FEEDBACK_MAX, column)
    # conditional, so two tabs cannot both write it
    result = db.session.execute(
        sa.update(CheckIn).where(CheckIn.id == check_in.id, getattr(CheckIn, column).is_(None))
        .values({column: text, stamp: utcnow()}).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise DomainError(f"{label} is already on this check-in.", status_code=409)
    secondment_records.record(
        secondment, action, actor=actor, role=party,
        summary=f"{label} added to the check-in of {format_date(check_in.due_on)}",
        detail={"check_in": check_in.id}, tell=tell,
    )
    db.session.commit()
    db.session.refresh(check_in)
    return check_in
