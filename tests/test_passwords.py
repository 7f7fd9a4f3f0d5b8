"""Finding 14: one password policy wherever a password is set; changing it; resetting it by an e-mailed link."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
import time_machine
from markupsafe import escape

from marketplace import queue
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import AuditEntry, Notification, Role, User
from marketplace.services import notification_email
from tests import factories as f
from tests.mailbox import free_port, smtp_server

NEW = "plum-orchard-lantern-42"


def account(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def logs_in(client, email: str, password: str) -> bool:
    response = client.post("/login", data={"email": email, "password": password})
    client.post("/logout")
    return response.status_code == 302


@pytest.mark.parametrize(("password", "why"), [
    ("a", "at least 12 characters"),
    ("short-pass1", "at least 12 characters"),  # 11
    ("password1234", "most common passwords"),  # 12 characters, and in every leaked-password list
    ("qwertyuiop123", "most common passwords"),
    ("root@example.com", "your e-mail address"),
])
def test_create_user_refuses_a_password_the_policy_refuses(runner, password, why):
    """The attacker's report: `create-user` accepted a 1-character password."""
    result = runner.invoke(args=["create-user", "root@example.com", "--role", "admin", "--password", password])
    assert result.exit_code != 0
    assert why in result.output
    assert account("root@example.com") is None


def test_create_user_takes_a_long_uncommon_password(runner):
    result = runner.invoke(args=["create-user", "root@example.com", "--role", "admin", "--password", NEW])
    assert result.exit_code == 0, result.output
    assert account("root@example.com").check_password(NEW)


def test_the_demo_password_passes_the_policy(app):
    from marketplace.services import passwords

    assert passwords.problem(app.config["DEMO_PASSWORD"]) is None


def test_a_signed_in_person_changes_their_password_from_the_navigation(client, app):
    person = f.user(Role.EMPLOYEE)
    db.session.commit()
    f.login(client, person)
    assert 'href="/account/password"' in client.get("/").get_data(as_text=True)
    assert client.get("/account/password").status_code == 200

    def change(current: str, new: str, again: str | None = None):
        return client.post("/account/password", data={
            "current_password": current, "new_password": new, "confirm": new if again is None else again})

    refusals = [
        (change("not my password", NEW), "That is not your current password."),
        (change(f.PASSWORD, "tooshort"), "at least 12 characters"),
        (change(f.PASSWORD, "password1234"), "most common passwords"),
        (change(f.PASSWORD, NEW, NEW + "x"), "The two new passwords differ."),
    ]
    for response, message in refusals:
        assert response.status_code == 400 and message in response.get_data(as_text=True), message
        assert account(person.email).check_password(f.PASSWORD)

    assert change(f.PASSWORD, NEW).status_code == 302
    client.post("/logout")
    assert not logs_in(client, person.email, f.PASSWORD)
    assert logs_in(client, person.email, NEW)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.password_changed"))
    assert (entry.subject, entry.actor) == (f"user:{person.id}", f"user:{person.id}")
    notice = db.session.scalar(sa.select(Notification).where(Notification.recipient_id == person.id))
    assert notice.subject == "Your password was changed"


def test_the_change_page_needs_a_log_in(client):
    response = client.get("/account/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.fixture
def mail(app, monkeypatch) -> list[int]:
    """Notification ids queued for e-mail (recorded instead of sent to a broker), with SMTP pointed at a free port."""
    ids: list[int] = []
    monkeypatch.setattr(queue, "enqueue", lambda name, notification_id: ids.append(notification_id) or "task-id")
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=5,
                      BASE_URL="https://talent.example.org")
    return ids


def test_a_forgotten_password_is_reset_by_an_emailed_link_that_works_once(client, app, mail):
    person = f.user(Role.EMPLOYEE)
    person.email_notifications = False  # the reset e-mail comes all the same
    db.session.commit()
    login_page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in login_page and "Forgot your password?" in login_page

    asked = client.post("/password/forgot", data={"email": person.email.upper()}, follow_redirects=True)
    assert asked.status_code == 200 and "we have e-mailed it a link" in asked.get_data(as_text=True)
    with smtp_server(app.config["MAIL_PORT"]) as mailbox:
        for notification_id in mail:
            notification_email.send(notification_id)
    (message,) = mailbox.messages
    assert message["To"] == person.email and message["Subject"] == "Reset your password"
    link = re.search(r"https://talent\.example\.org(/password/reset/\S+)", message.get_content()).group(1)

    assert client.get(link).status_code == 200
    weak = client.post(link, data={"new_password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 400 and "most common passwords" in weak.get_data(as_text=True)
    assert client.post(link, data={"new_password": NEW, "confirm": NEW}).status_code == 302
    assert logs_in(client, person.email, NEW) and not logs_in(client, person.email, f.PASSWORD)

    used = client.post(link, data={"new_password": NEW + "!", "confirm": NEW + "!"})
    assert used.status_code == 400 and "expired or was already used" in used.get_data(as_text=True)
    assert client.get(link).status_code == 400
    assert logs_in(client, person.email, NEW)
    actions = db.session.scalars(sa.select(AuditEntry.payload).where(AuditEntry.action == "account.password_changed"))
    assert list(actions) == ['{"how":"reset"}']


def test_a_reset_link_expires_after_an_hour(client, app, mail):
    person = f.user(Role.EMPLOYEE)
    db.session.commit()
    client.post("/password/forgot", data={"email": person.email})
    body = db.session.scalar(sa.select(Notification.body).where(Notification.recipient_id == person.id))
    link = re.search(r"(/password/reset/\S+)", body).group(1)
    with time_machine.travel(utcnow().timestamp() + 3601, tick=False):
        response = client.post(link, data={"new_password": NEW, "confirm": NEW})
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert client.get("/password/reset/not-a-token").status_code == 400
    assert account(person.email).check_password(f.PASSWORD)


def test_the_reset_form_answers_alike_whether_or_not_the_address_has_an_account(client, mail):
    person = f.user(Role.EMPLOYEE)
    db.session.commit()
    known = client.post("/password/forgot", data={"email": person.email}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    strip = lambda page: page.replace(person.email, "").replace("nobody@example.com", "")  # noqa: E731
    assert strip(known.get_data(as_text=True)) == strip(unknown.get_data(as_text=True))
    assert str(escape("we have e-mailed it a link")) in known.get_data(as_text=True)
    assert len(mail) == 1  # only the real account got an e-mail
