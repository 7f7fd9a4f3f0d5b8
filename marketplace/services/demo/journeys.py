"""The demo's secondments, each taken from planned to where its story ends through the services.

Signing the agreement (signing.py), starting, check-ins with feedback, an early end, a return with
its plan, review and evaluations (return_steps.py) and an extension all go through the same service
calls people make, in the order they happened, so every step is on the secondment's timeline, in
the audit log and in the inboxes. Each service commits its own step, so this runs after the rest
of the demo is committed. A step is then dated on the timeline to the day it happened in the
story; the audit log keeps the time it was really written, as it does for the demo's selection.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationStatus,
    Employee,
    Opportunity,
    Secondment,
    SecondmentEndReason,
    SecondmentParty,
    SecondmentStatus,
    User,
)
from marketplace.services import check_ins, secondments, termination
from marketplace.services.demo import lifecycle, return_steps, signing
from marketplace.services.demo.stories import SecondmentPlan
from marketplace.services.demo.timeline import at, dated

if TYPE_CHECKING:
    from marketplace.services.demo.plan import DemoPlan

P = SecondmentParty
RATINGS = ("on_track", "at_risk", "on_track", "on_track")
HOST_FEEDBACK = (
    "A strong start: settled into the team quickly and already owns a piece of the work.",
    "Good progress, but the work took longer than planned while access to the systems was sorted out.",
    "Back on track and now leading the weekly review with the team.",
    "Delivering independently; the team will miss the help when the secondment ends.",
)
PROGRESS = (("on_track", "Started with the team; the first piece is under way."),
            ("at_risk", "Slower than planned while access was arranged."),
            ("achieved", "Done and handed over to the team."))
SECONDEE_FEEDBACK = "The team has made me welcome; I would like more time with the people who run it day to day."
HOME_NOTE = "Good to read. We are covering the work at home; keep the monthly update coming."


def advance_secondments(plan: DemoPlan) -> None:
    """Take every demo secondment (planned when its offer was accepted) to the state its story ends in; commits."""
    stories = {(a.employee, o.content.title): a.secondment
               for o in plan.opportunities for a in o.applications if a.secondment}
    accounts = {u.employee_id: u for u in db.session.scalars(sa.select(User).where(User.employee_id.is_not(None)))}
    talent = accounts[_employee_id(plan.accounts["talent"])]
    advanced: set[int] = set()
    for held_back in (False, True):
        if held_back:  # a person's later secondment (an extension), now that their first has ended
            _plan_held_back()
        rows = db.session.execute(
            sa.select(Secondment, Employee.employee_number, Opportunity.title)
            .join(Application, Secondment.application_id == Application.id)
            .join(Employee, Application.employee_id == Employee.id)
            .join(Opportunity, Application.opportunity_id == Opportunity.id)
            .where(Secondment.id.not_in(advanced))
            .order_by(Secondment.start_date, Secondment.id)
        ).all()
        for secondment, number, title in rows:
            advanced.add(secondment.id)
            _advance(secondment, stories[(number, title)], accounts, talent, plan.today)


def _plan_held_back() -> None:
    """Plan the secondment of every accepted offer lifecycle.write_decisions held back; commits."""
    waiting = db.session.scalars(
        sa.select(Application)
        .join(Opportunity, Application.opportunity_id == Opportunity.id)
        .outerjoin(Secondment, Secondment.application_id == Application.id)
        .where(Application.status == ApplicationStatus.OFFER_ACCEPTED.value, Secondment.id.is_(None))
        .order_by(Opportunity.start_date, Application.id)
    ).all()
    for application in waiting:
        lifecycle.plan_secondment(application)
    db.session.commit()


def _advance(secondment: Secondment, story: SecondmentPlan, accounts: dict[int, User], talent: User,
             today: dt.date) -> None:
    start = secondment.start_date
    signing.agree(secondment, story, accounts, min(start - dt.timedelta(days=10), today - dt.timedelta(days=1)))
    if story.status in (SecondmentStatus.PLANNED.value, SecondmentStatus.AGREEMENT_SIGNED.value):
        return
    with dated(secondment, at(start, 9)):
        secondments.move(secondment, SecondmentStatus.ACTIVE)
    last_day = start + dt.timedelta(days=story.ends_after_days) if story.ends_after_days else secondment.end_date
    host = accounts[secondment.host_manager_id]
    held = [day for day in check_ins.schedule(start, secondment.end_date, story.frequency)
            if day < today and day <= last_day][:story.held]
    steps = [(at(due_on, 16), partial(_hold_check_in, secondment, due_on, number, host, accounts))
             for number, due_on in enumerate(held)]
    steps += return_steps.before_end(secondment, story.back, last_day, accounts)
    if story.end_reason is not None:
        steps.append((at(last_day, 17), partial(_end, secondment, story, last_day, host, talent)))
        steps += return_steps.after_end(secondment, story.back, last_day, accounts)
    for when, step in sorted(steps, key=lambda timed: timed[0]):
        if when.date() < today:
            step()


def _hold_check_in(secondment: Secondment, due_on: dt.date, number: int, host: User,
                   accounts: dict[int, User]) -> None:
    """The host records the check-in on its day; on the first, the secondee and home manager answer if they can."""
    progress = [PROGRESS[min(number, len(PROGRESS) - 1)]] * len(check_ins.objectives_of(secondment))
    with dated(secondment, at(due_on, 16)):
        recorded = check_ins.record(
            secondment, actor=host, due_on=due_on, held_on=due_on, rating=RATINGS[number % len(RATINGS)],
            host_feedback=HOST_FEEDBACK[number % len(HOST_FEEDBACK)], progress=progress,
        )
        recorded.recorded_at = at(due_on, 16)
    secondee, home = accounts.get(secondment.employee_id), accounts.get(secondment.home_manager_id)
    for party, account, text, days_later in ((P.EMPLOYEE, secondee, SECONDEE_FEEDBACK, 1),
                                             (P.HOME_MANAGER, home, HOME_NOTE, 2)):
        if number == 0 and account is not None:
            when = at(due_on + dt.timedelta(days=days_later), 10)
            with dated(secondment, when):
                check_ins.respond(recorded, party, actor=account, text=text)
                setattr(recorded, check_ins.RESPONSES[party][1], when)


def _end(secondment: Secondment, story: SecondmentPlan, last_day: dt.date, host: User, talent: User) -> None:
    reason = SecondmentEndReason(story.end_reason)
    with dated(secondment, at(last_day, 17)):
        if reason == SecondmentEndReason.TERMINATED_EARLY:
            termination.terminate(secondment, actor=host, trigger=story.trigger, reason=story.reason,
                                  effective_on=last_day)
        elif reason == SecondmentEndReason.EXTENDED:
            secondments.move(secondment, SecondmentStatus.ENDED, end_reason=reason, on=last_day, actor=talent,
                             role=P.TALENT)
        else:  # a return on the planned end, as the daily run records it
            secondments.move(secondment, SecondmentStatus.ENDED, end_reason=reason, on=last_day)


def _employee_id(number: str) -> int:
    return db.session.scalar(sa.select(Employee.id).where(Employee.employee_number == number))
