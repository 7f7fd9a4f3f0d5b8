"""Reminders go out once, on time, to the people concerned: pending releases, secondments starting and ending,
check-ins due and overdue."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from jobs import periodic
from marketplace.extensions import db
from marketplace.models import Application, Notification, Role, SecondmentStatus, User
from marketplace.services import reminders, secondments
from tests import factories as f
from tests.test_check_ins import held, running_secondment

MONDAY = dt.date(2026, 11, 23)
NO_CHECK_INS = {"check_in_reminders": 0, "overdue_check_ins": 0}


def _subjects(user: User) -> list[str]:
    query = sa.select(Notification.subject).where(Notification.recipient_id == user.id).order_by(Notification.id)
    return list(db.session.scalars(query))


def test_line_manager_is_reminded_once_after_two_working_days(app):
    manager, applicant = f.user(Role.LINE_MANAGER), f.user(Role.EMPLOYEE)
    applicant.employee.manager = manager.employee
    opportunity = f.opportunity(title="Harbour survey lead")
    application = Application(opportunity=opportunity, employee=applicant.employee, statement="x",
                              submitted_at=dt.datetime(2026, 11, 20, 9, 0))  # a Friday
    db.session.add(application)
    db.session.commit()

    assert reminders.send_due(MONDAY)["release_reminders"] == 0  # one working day: not yet
    assert reminders.send_due(MONDAY + dt.timedelta(days=1))["release_reminders"] == 1
    assert reminders.send_due(MONDAY + dt.timedelta(days=2))["release_reminders"] == 0  # once only
    [subject] = _subjects(manager)
    assert subject == "Release decision waiting: Harbour survey lead"
    body = db.session.scalar(sa.select(Notification.body).where(Notification.recipient_id == manager.id))
    assert "goes to the talent team" in body and "27 Nov 2026" in body  # five working days after Friday
    assert _subjects(applicant) == []


def test_decided_releases_are_not_reminded(app):
    manager, applicant = f.user(Role.LINE_MANAGER), f.user(Role.EMPLOYEE)
    applicant.employee.manager = manager.employee
    db.session.add(Application(opportunity=f.opportunity(), employee=applicant.employee, statement="x",
                               status="released", submitted_at=dt.datetime(2026, 11, 16, 9, 0)))
    db.session.commit()
    assert reminders.send_due(MONDAY)["release_reminders"] == 0


def _secondment(start: dt.date, end: dt.date, status: SecondmentStatus):
    host, person, home = f.user(Role.HOST_MANAGER), f.user(Role.EMPLOYEE), f.user(Role.LINE_MANAGER)
    person.employee.manager = home.employee
    opportunity = f.opportunity(host.employee, title=f"Secondment from {start}", start_date=start, end_date=end,
                                closing_date=start - dt.timedelta(days=1))
    application = Application(opportunity=opportunity, employee=person.employee, statement="x",
                              status="offer_accepted")
    db.session.add(application)
    db.session.flush()
    row = secondments.plan(application)
    row.status = status.value
    if status == SecondmentStatus.ENDED:
        row.end_reason, row.ended_on = "returned", MONDAY
    db.session.commit()
    return row, (person, host, home)


def test_everyone_hears_a_week_before_the_start_and_a_month_before_the_end(app):
    soon, soon_people = _secondment(MONDAY + dt.timedelta(days=5), MONDAY + dt.timedelta(days=200),
                                    SecondmentStatus.AGREEMENT_SIGNED)
    _secondment(MONDAY + dt.timedelta(days=10), MONDAY + dt.timedelta(days=200), SecondmentStatus.PLANNED)
    ending, ending_people = _secondment(MONDAY - dt.timedelta(days=150), MONDAY + dt.timedelta(days=20),
                                        SecondmentStatus.ACTIVE)
    _secondment(MONDAY - dt.timedelta(days=150), MONDAY + dt.timedelta(days=20), SecondmentStatus.ENDED)

    counts = periodic.send_reminders.run(MONDAY.isoformat())
    del counts["check_in_reminders"], counts["overdue_check_ins"]  # the running one's check-ins: tested below
    # the ending one's return plan is due and missing too: its home manager hears (tested in test_returns)
    assert counts == {"release_reminders": 0, "start_reminders": 3, "end_reminders": 3, "return_plan_reminders": 1}
    for user in soon_people:
        assert _subjects(user) == [f"Starts 28 Nov 2026: {soon.opportunity.title}"]
    for user in ending_people:
        assert [s for s in _subjects(user) if not s.startswith(("Check-in", "Return plan"))] == [
            f"Ends 13 Dec 2026: {ending.opportunity.title}"]
    assert periodic.send_reminders.run(MONDAY.isoformat()) == {
        "release_reminders": 0, "start_reminders": 0, "end_reminders": 0, "return_plan_reminders": 0, **NO_CHECK_INS}


def _check_in_counts(day: dt.date) -> tuple[int, int]:
    counts = periodic.send_reminders.run(day.isoformat())
    return counts["check_in_reminders"], counts["overdue_check_ins"]


def test_secondee_and_host_hear_five_days_before_a_check_in_and_both_managers_once_when_it_is_overdue(app):
    row, accounts = running_secondment(dt.date(2027, 1, 1), dt.date(2027, 7, 1))  # check-ins on the 1st
    person, host, home = accounts["person"], accounts["host"], accounts["home"]
    title = row.opportunity.title

    assert _check_in_counts(dt.date(2027, 1, 26)) == (0, 0)  # six days before
    assert _check_in_counts(dt.date(2027, 1, 27)) == (2, 0)
    assert _check_in_counts(dt.date(2027, 1, 28)) == (0, 0)  # once only
    assert _check_in_counts(dt.date(2027, 2, 1)) == (0, 0)  # the day itself: not overdue yet
    assert _check_in_counts(dt.date(2027, 2, 2)) == (0, 2)
    assert _check_in_counts(dt.date(2027, 2, 20)) == (0, 0)  # flagged once

    assert _subjects(person) == [f"Check-in due 1 Feb 2027: {title}"]
    assert _subjects(host) == [f"Check-in due 1 Feb 2027: {title}", f"Check-in overdue: {title}"]
    assert _subjects(home) == [f"Check-in overdue: {title}"]
    body = db.session.scalar(sa.select(Notification.body).where(Notification.recipient_id == home.id))
    assert "Check-in 1 of Sam Secondee's secondment" in body and "was due on 1 Feb 2027" in body

    held(row, dt.date(2027, 3, 1), held_on=dt.date(2027, 2, 28))  # the next one is held early: no reminders of it
    assert _check_in_counts(dt.date(2027, 2, 25)) == (0, 0)
    assert _check_in_counts(dt.date(2027, 3, 2)) == (0, 0)


def test_the_reminder_window_follows_the_configuration(app):
    app.config["CHECK_IN_REMINDER_DAYS"] = 2
    running_secondment(dt.date(2027, 1, 1), dt.date(2027, 7, 1))
    assert _check_in_counts(dt.date(2027, 1, 27)) == (0, 0)
    assert _check_in_counts(dt.date(2027, 1, 30)) == (2, 0)


@pytest.mark.parametrize("status", [SecondmentStatus.AGREEMENT_SIGNED, SecondmentStatus.ENDED])
def test_no_check_in_reminders_for_a_secondment_that_is_not_running(app, status):
    row, _ = running_secondment(dt.date(2027, 1, 1), dt.date(2027, 7, 1))
    row.status = status.value
    if status == SecondmentStatus.ENDED:
        row.end_reason, row.ended_on = "terminated_early", dt.date(2027, 1, 20)
    db.session.commit()
    assert _check_in_counts(dt.date(2027, 1, 27)) == (0, 0)
    assert _check_in_counts(dt.date(2027, 2, 2)) == (0, 0)
