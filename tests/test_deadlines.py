"""Periodic jobs: opportunities past their closing date close by themselves, and people hear about it once."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from celery import Celery

import jobs.tasks  # noqa: F401  (registers every task, as the worker does)
from jobs.periodic import close_expired_opportunities
from marketplace.clock import today
from marketplace.config import from_environment
from marketplace.extensions import db
from marketplace.models import Application, Notification, Opportunity, Role
from tests import factories as f


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    """E-mails are tested elsewhere; here nothing is queued."""
    from marketplace import queue

    monkeypatch.setattr(queue, "enqueue", lambda *args, **kwargs: None)


def _opportunity(host, closing: dt.date | None, status: str = "open", title: str = "Census data lead") -> Opportunity:
    return f.opportunity(host, {f.skill(): 2}, status=status, closing_date=closing, title=title)


def _apply(opportunity: Opportunity, employee, status: str = "submitted") -> Application:
    application = Application(opportunity=opportunity, employee=employee, statement="Pick me.", status=status)
    db.session.add(application)
    db.session.flush()
    return application


def _statuses() -> dict[str, str]:
    db.session.expire_all()
    return dict(db.session.execute(sa.select(Opportunity.title, Opportunity.status)).all())


def _subjects(user) -> list[str]:
    return list(db.session.scalars(sa.select(Notification.subject).where(Notification.recipient_id == user.id)))


def test_only_open_opportunities_past_their_closing_date_close(app):
    host = f.employee()
    yesterday, now = today() - dt.timedelta(days=1), today()
    _opportunity(host, yesterday, title="Past its date")
    _opportunity(host, now, title="Closes tonight")  # the closing date is the last day to apply
    _opportunity(host, now + dt.timedelta(days=5), title="Later")
    _opportunity(host, None, title="No closing date")
    _opportunity(host, yesterday, status="draft", title="Draft past its date")
    _opportunity(host, yesterday, status="cancelled", title="Cancelled past its date")
    db.session.commit()

    assert close_expired_opportunities.run() == 1
    assert _statuses() == {
        "Past its date": "closed",
        "Closes tonight": "open",
        "Later": "open",
        "No closing date": "open",
        "Draft past its date": "draft",
        "Cancelled past its date": "cancelled",
    }


def test_host_and_active_applicants_hear_once_even_when_the_job_runs_twice(app):
    host, applicant, withdrew = f.user(Role.HOST_MANAGER), f.user(Role.EMPLOYEE), f.user(Role.EMPLOYEE)
    opportunity = _opportunity(host.employee, today() - dt.timedelta(days=1))
    _apply(opportunity, applicant.employee)
    _apply(opportunity, withdrew.employee, status="withdrawn")
    db.session.commit()

    assert close_expired_opportunities.run() == 1
    assert close_expired_opportunities.run() == 0  # beat may run it again, or a retry may repeat it
    assert _subjects(host) == ["Applications closed: Census data lead"]
    assert _subjects(applicant) == ["Applications closed: Census data lead"]
    assert _subjects(withdrew) == []
    host_note = db.session.scalar(sa.select(Notification).where(Notification.recipient_id == host.id))
    assert "1 application waits for your review." in host_note.body
    assert host_note.link == f"/host/opportunities/{opportunity.id}/applicants"


def test_the_schedule_runs_the_job_and_the_email_sweep(app):
    celery_app = Celery("check", set_as_current=False)  # shared tasks register on every Celery app
    settings = from_environment(app.instance_path)["CELERY"]  # the tests replace the app's Celery settings
    schedule = {entry["task"] for entry in settings["beat_schedule"].values()}
    assert {"marketplace.close_expired_opportunities", "marketplace.sweep_notification_emails"} <= schedule
    assert schedule <= set(celery_app.tasks)  # each scheduled name is a registered task
    assert celery_app.tasks["marketplace.send_notification_email"].acks_late
