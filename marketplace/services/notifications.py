"""Notifications: an inbox for every account, and e-mails queued once the change they announce is committed.

Any service tells people about an event with ``notify(...)`` inside its own transaction, before it
commits: the event and its notifications are saved together or not at all. After the commit, the
e-mails are queued by task name; if the broker is down they stay pending and the beat sweep
(``notification_email.sweep``) queues them later.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import Flask, current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from marketplace import queue
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import EmailState, Employee, Notification, NotificationKind, User

SEND_TASK = "marketplace.send_notification_email"
_TO_QUEUE = "notification_emails_to_queue"  # Session.info key: ids to queue after this commit

Recipient = User | Employee
# E-mailed even to people who turned notification e-mails off: a reset link must arrive, and a
# password or role change someone did not make must be seen where an intruder cannot hide it.
ALWAYS_EMAILED = frozenset({NotificationKind.ACCOUNT_SECURITY})


def init_app(app: Flask) -> None:
    """Queue the e-mails of committed notifications; forget those of rolled-back ones."""
    if not sa.event.contains(Session, "after_commit", _queue_after_commit):
        sa.event.listen(Session, "after_commit", _queue_after_commit)
        sa.event.listen(Session, "after_rollback", _forget_after_rollback)


def notify(
    recipients: Iterable[Recipient],
    kind: NotificationKind,
    subject: str,
    body: str,
    *,
    link: str | None,
    dedupe_key: str,
) -> list[int]:
    """Add a notification for each recipient to the caller's transaction; returns the ids of the new ones.

    ``recipients`` are accounts or employees (an employee without an active account is skipped).
    ``link`` is a path in the app (see ``app_path``). ``dedupe_key`` names the event: a recipient
    who already has a notification with that key gets nothing new, so callers may repeat themselves.
    """
    if link is not None and not _is_local_path(link):
        raise ValueError(f"A notification links to a path in the app, not {link!r}.")
    accounts = _active_accounts(recipients)
    if not accounts:
        return []
    email_on = bool(current_app.config.get("MAIL_SERVER"))
    now = utcnow()
    rows = [
        {
            "recipient_id": account.id,
            "kind": kind.value,
            "subject": subject[:200],
            "body": body,
            "link": link,
            "dedupe_key": dedupe_key[:200],
            "created_at": now,
            "email_state": (EmailState.PENDING if email_on and (account.email_notifications or kind in ALWAYS_EMAILED)
                            else EmailState.NOT_WANTED).value,
            "email_attempts": 0,
        }
        for account in accounts
    ]
    inserted = db.session.execute(_insert_new(rows).returning(Notification.id, Notification.email_state)).all()
    db.session.info.setdefault(_TO_QUEUE, []).extend(
        notification_id for notification_id, state in inserted if state == EmailState.PENDING
    )
    return [notification_id for notification_id, _ in inserted]


def app_path(endpoint: str, **values) -> str:
    """The path of a page, built without a request (tasks run outside one), for ``notify(link=...)``."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def queue_emails(notification_ids: list[int]) -> int:
    """Queue the e-mail task of each notification; stops at the first broker failure (the sweep retries)."""
    for queued, notification_id in enumerate(notification_ids):
        if queue.enqueue(SEND_TASK, notification_id) is None:
            current_app.logger.warning("%d notification e-mails wait for the sweep.", len(notification_ids) - queued)
            return queued
    return len(notification_ids)


def inbox(user: User, page: int, per_page: int) -> Pagination:
    """The user's notifications: unread first, then newest first."""
    query = (
        sa.select(Notification)
        .where(Notification.recipient_id == user.id)
        .order_by(
            sa.case((Notification.read_at.is_(None), 0), else_=1),
            Notification.created_at.desc(),
            Notification.id.desc(),
        )
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
    )


def open_notification(user: User, notification_id: int) -> Notification | None:
    """The user's own notification, now marked read; None for anyone else's (or none at all)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != user.id:
        return None
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; returns how many were unread."""
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def set_email_preference(user: User, wanted: bool) -> None:
    """Turn the user's notification e-mails on or off; turning off also drops the ones not yet sent."""
    user.email_notifications = wanted
    if not wanted:
        db.session.execute(
            sa.update(Notification)
            .where(Notification.recipient_id == user.id, Notification.email_state == EmailState.PENDING.value,
                   Notification.kind.not_in([kind.value for kind in ALWAYS_EMAILED]))
            .values(email_state=EmailState.NOT_WANTED.value)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def _active_accounts(recipients: Iterable[Recipient]) -> list[User]:
    """The active accounts of ``recipients``, each once; employees are looked up by their account."""
    accounts: dict[int, User] = {}
    employee_ids = set()
    for recipient in recipients:
        if isinstance(recipient, User):
            accounts[recipient.id] = recipient
        else:
            employee_ids.add(recipient.id)
    if employee_ids:
        found = db.session.scalars(sa.select(User).where(User.employee_id.in_(employee_ids)))
        accounts.update((account.id, account) for account in found)
    return [account for account in accounts.values() if account.is_active_account]


def _insert_new(rows: list[dict]):
    """INSERT that skips rows whose (recipient, dedupe key) exists: no error, so the caller's transaction goes on."""
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    return insert(Notification).values(rows).on_conflict_do_nothing(index_elements=["recipient_id", "dedupe_key"])


def _is_local_path(link: str) -> bool:
    return link.startswith("/") and not link.startswith(("//", "/\\"))


def _queue_after_commit(session: Session) -> None:
    notification_ids = session.info.pop(_TO_QUEUE, None)
    if notification_ids:
        queue_emails(notification_ids)


def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_TO_QUEUE, None)
