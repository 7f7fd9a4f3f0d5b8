"""A real worker process e-mails a notification exactly once, through an SMTP outage and a duplicated task."""

from __future__ import annotations

import re

import pytest

from marketplace import queue
from marketplace.extensions import db
from marketplace.models import EmailState, Notification, NotificationKind, Role
from marketplace.services import notifications
from tests import factories as f
from tests.mailbox import free_port, smtp_server, wait_for
from tests.test_worker import running_worker

WORKER_START = 90  # seconds for a cold worker on a busy machine; not a speed check


@pytest.fixture
def worker_setup(app, database_url, tmp_path, monkeypatch) -> int:
    """A worker's environment on the test database and an SQLite broker; returns the SMTP port it uses."""
    port = free_port()
    broker = f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"
    env = {
        "MARKETPLACE_INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "worker-test-secret-0123456789abcdefghijklmnop",  # production shape on PostgreSQL: no weak key
        "AUDIT_CREATE_KEY": "1",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.sqlite'}",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "BASE_URL": "https://talent.example.org",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, CELERY={"broker_url": broker, "task_ignore_result": True})
    app.extensions.pop("celery", None)
    return port


def _state(notification_id: int) -> Notification:
    db.session.expire_all()
    notification = db.session.get(Notification, notification_id)
    db.session.rollback()  # do not hold a read transaction open against the worker's writes
    return notification


def test_worker_retries_while_smtp_is_down_and_sends_one_email_for_two_deliveries(app, worker_setup, tmp_path):
    recipient = f.user(Role.EMPLOYEE)
    db.session.commit()
    log_path = tmp_path / "worker.log"
    with running_worker(log_path):
        [notification_id] = notifications.notify(
            [recipient], NotificationKind.OPPORTUNITY_CLOSED, "Applications closed: Census data lead",
            "“Census data lead” is no longer taking applications.", link="/applications", dedupe_key="closed:1",
        )
        db.session.commit()  # queues the e-mail task
        assert queue.enqueue("marketplace.send_notification_email", notification_id)  # and a duplicate delivery

        failed_once = wait_for(lambda: _state(notification_id).email_error is not None, WORKER_START)
        assert failed_once, log_path.read_text()[-3000:]
        assert _state(notification_id).email_state in (EmailState.PENDING, EmailState.SENDING)

        with smtp_server(worker_setup) as mailbox:  # the mail server is back
            arrived = wait_for(lambda: mailbox.messages, 60)
            assert arrived, log_path.read_text()[-3000:]
            wait_for(lambda: len(mailbox.messages) > 1, 5)  # give a second copy the chance to show up
    assert len(mailbox.messages) == 1
    received = re.findall(r"Task marketplace\.send_notification_email\[([\w-]+)\] received", log_path.read_text())
    assert len(set(received)) == 2  # both deliveries reached the worker
    assert mailbox.messages[0]["To"] == recipient.email
    sent = _state(notification_id)
    assert sent.email_state == EmailState.SENT and sent.email_attempts >= 2
