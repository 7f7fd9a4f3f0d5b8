"""Notification e-mails: one message per notification over SMTP, retried when the server is down, never lost."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from jobs.notifications import send_notification_email, sweep_notification_emails
from marketplace import queue
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import EmailState, Notification, NotificationKind, Role
from marketplace.services import notification_email, notifications
from tests import factories as f
from tests.mailbox import free_port, smtp_server


@pytest.fixture
def smtp_port(app) -> int:
    """The port the app sends e-mail to; nothing listens there until a test starts a server."""
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=5, BASE_URL="https://talent.example.org")
    return port


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Notification ids queued for e-mailing, recorded instead of sent to a broker."""
    ids: list[int] = []
    monkeypatch.setattr(queue, "enqueue", lambda name, notification_id: ids.append(notification_id) or "task-id")
    return ids


def _notification(recipient=None, **fields) -> Notification:
    recipient = recipient or f.user(Role.EMPLOYEE)
    [notification_id] = notifications.notify(
        [recipient],
        NotificationKind.OPPORTUNITY_CLOSED,
        "Applications closed: Census data lead",
        "“Census data lead” is no longer taking applications.",
        link="/applications",
        dedupe_key=f"opportunity.closed:{recipient.id}",
    )
    db.session.commit()
    notification = db.session.get(Notification, notification_id)
    for name, value in fields.items():
        setattr(notification, name, value)
    db.session.commit()
    return notification


def _reload(notification: Notification) -> Notification:
    db.session.expire_all()
    return db.session.get(Notification, notification.id)


def test_the_email_goes_once_even_when_the_task_runs_twice(app, smtp_port, queued):
    notification = _notification()
    with smtp_server(smtp_port) as mailbox:
        assert send_notification_email.run(notification.id) == "sent"
        assert send_notification_email.run(notification.id) is None  # a redelivered task finds it sent
    [message] = mailbox.messages
    assert message["To"] == notification.recipient.email
    assert message["Subject"] == "Applications closed: Census data lead"
    assert message["Message-ID"] == f"<notification-{notification.id}@talent.example.org>"
    text = message.get_content()
    assert "“Census data lead” is no longer taking applications." in text
    assert f"https://talent.example.org/inbox/{notification.id}" in text  # opens it and marks it read
    sent = _reload(notification)
    assert (sent.email_state, sent.email_attempts, sent.email_error) == (EmailState.SENT, 1, None)
    assert sent.emailed_at is not None


def test_two_workers_sending_at_the_same_moment_send_one_email(app, smtp_port, queued):
    notification_id = _notification().id  # each thread works in its own session, by id
    outcomes = []

    def worker():
        with app.app_context():
            outcomes.append(notification_email.send(notification_id))
            db.session.remove()

    with smtp_server(smtp_port) as mailbox:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert sorted(outcomes, key=str) == [None, EmailState.SENT]  # one sent it, the other found it claimed
    assert len(mailbox.messages) == 1


def test_smtp_down_is_retried_and_the_email_arrives_once_it_is_back(app, smtp_port, queued):
    notification = _notification()
    with pytest.raises(notification_email.EmailNotSent):  # Celery retries the task with backoff
        send_notification_email.run(notification.id)
    waiting = _reload(notification)
    assert waiting.email_state == EmailState.PENDING and waiting.email_attempts == 1
    assert "Connection refused" in waiting.email_error

    with smtp_server(smtp_port) as mailbox:
        assert send_notification_email.run(notification.id) == "sent"
    assert len(mailbox.messages) == 1
    assert _reload(notification).email_attempts == 2


def test_a_refused_address_fails_at_once_and_stays_in_the_inbox(app, smtp_port, queued):
    notification = _notification()
    with smtp_server(smtp_port, refuse=(notification.recipient.email,)) as mailbox:
        assert send_notification_email.run(notification.id) == "failed"  # no retry: the address is wrong
    failed = _reload(notification)
    assert failed.email_state == EmailState.FAILED and "550" in failed.email_error
    assert mailbox.messages == []


def test_after_a_day_of_failures_the_email_is_given_up(app, smtp_port, queued):
    notification = _notification(created_at=utcnow() - dt.timedelta(days=2))
    assert send_notification_email.run(notification.id) == "failed"
    assert _reload(notification).email_state == EmailState.FAILED


def test_no_email_when_the_recipient_turned_it_off_before_it_went(app, smtp_port, queued):
    notification = _notification()
    notification.recipient.email_notifications = False  # switched off after it was queued
    db.session.commit()
    with smtp_server(smtp_port) as mailbox:
        assert send_notification_email.run(notification.id) == "not_wanted"
    assert mailbox.messages == []


def test_the_sweep_sends_what_a_broker_outage_left_pending(app, smtp_port, monkeypatch):
    """The broker was down when the event happened; once it is back, the beat sweep sends the e-mail."""
    app.config["CELERY"] = {"broker_url": "redis://127.0.0.1:1/0", "task_ignore_result": True}
    notification = _notification()
    assert _reload(notification).email_state == EmailState.PENDING  # nothing could be queued

    # The broker is back: the worker runs whatever is queued (here: at once, in this process).
    monkeypatch.setattr(queue, "enqueue", lambda name, notification_id: send_notification_email.run(notification_id))
    with smtp_server(smtp_port) as mailbox:
        assert sweep_notification_emails.run() == 0  # too fresh: its own task may still be on the way
        backdate = utcnow() - notification_email.RESEND_AFTER - dt.timedelta(seconds=1)
        db.session.execute(sa.update(Notification).values(created_at=backdate))
        db.session.commit()
        assert sweep_notification_emails.run() == 1
        assert sweep_notification_emails.run() == 0  # sent: nothing more to do
    assert len(mailbox.messages) == 1
    assert _reload(notification).email_state == EmailState.SENT


def test_the_sweep_requeues_only_claims_abandoned_by_a_dead_worker(app, queued):
    now = utcnow()
    abandoned = _notification(email_state="sending", email_claimed_at=now - notification_email.STALE_CLAIM * 2)
    in_progress = _notification(email_state="sending", email_claimed_at=now - dt.timedelta(seconds=30))
    retried_recently = _notification(email_claimed_at=now - dt.timedelta(seconds=30), email_attempts=1)
    sent = _notification(email_state="sent", created_at=now - dt.timedelta(hours=1))
    queued.clear()
    assert notification_email.sweep() == 1
    assert queued == [abandoned.id]
    assert {in_progress.id, retried_recently.id, sent.id}.isdisjoint(queued)
    # Its new task waits behind a long job: the next sweeps leave it alone for a while...
    assert notification_email.sweep(now + dt.timedelta(minutes=1)) == 0
    # ...and queue it again only if it is still not done after that.
    assert notification_email.sweep(now + notification_email.RESEND_AFTER + dt.timedelta(minutes=1)) == 2
    assert queued == [abandoned.id, abandoned.id, retried_recently.id]


def test_an_abandoned_claim_is_sent_by_the_next_attempt(app, smtp_port, queued):
    notification = _notification(email_state="sending", email_claimed_at=utcnow() - dt.timedelta(hours=1))
    with smtp_server(smtp_port) as mailbox:
        assert send_notification_email.run(notification.id) == "sent"
    assert len(mailbox.messages) == 1


def test_without_a_mail_server_notifications_stay_in_the_inbox(app, queued):
    app.config["MAIL_SERVER"] = ""
    notification = _notification()
    assert notification.email_state == EmailState.NOT_WANTED and queued == []


def test_a_line_break_in_a_subject_is_folded_and_the_email_goes(app, smtp_port, queued):
    """An opportunity titled before titles refused line breaks still gets its e-mails out."""
    notification = _notification(subject="Applications closed: Census\r\nBcc: everyone@example.org")
    with smtp_server(smtp_port) as mailbox:
        assert send_notification_email.run(notification.id) == "sent"
    [message] = mailbox.messages
    assert message["Subject"] == "Applications closed: Census Bcc: everyone@example.org"
    assert message["Bcc"] is None
    assert _reload(notification).email_state == EmailState.SENT


def test_an_email_that_can_never_be_written_fails_at_once_instead_of_staying_in_sending(app, smtp_port, queued):
    notification = _notification()
    notification.recipient.email = "ann@example.org\nBcc: everyone@example.org"
    db.session.commit()
    with smtp_server(smtp_port) as mailbox:
        assert send_notification_email.run(notification.id) == "failed"
    failed = _reload(notification)
    assert failed.email_state == EmailState.FAILED and "linefeed" in failed.email_error
    assert mailbox.messages == []
