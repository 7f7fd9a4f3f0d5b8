"""Sending a notification's e-mail once over SMTP, and sweeping up e-mails whose task was lost.

A worker claims the notification with one conditional UPDATE (pending -> sending) before it talks
to the SMTP server, so a task delivered twice sends one e-mail. A claim older than ``STALE_CLAIM``
belongs to a worker that died; the sweep queues it again. (A worker that dies after the server
accepted the mail but before it recorded that can cause a second copy: SMTP offers no way to
ask. The stable Message-ID lets mail clients drop that copy.)
"""

from __future__ import annotations

import datetime as dt
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import EmailState, Notification
from marketplace.services.notifications import ALWAYS_EMAILED, queue_emails

# Longer than any SMTP conversation (MAIL_TIMEOUT per step), so a live worker is never overtaken.
STALE_CLAIM = dt.timedelta(minutes=10)
# The send task's own retries (with backoff) are over well before this; later attempts come from the sweep.
RESEND_AFTER = dt.timedelta(minutes=5)
# After a day the e-mail is no longer news; the notification stays in the inbox.
GIVE_UP_AFTER = dt.timedelta(days=1)
SWEEP_BATCH = 500


class EmailNotSent(Exception):
    """The SMTP server could not be reached or refused for now; the task retries with backoff."""


def send(notification_id: int) -> EmailState | None:
    """Send the notification's e-mail unless it was sent, is being sent, or is not wanted.

    Returns the state it leaves the e-mail in, or None when another attempt owns it (or it is done).
    Raises ``EmailNotSent`` on a failure worth retrying.
    """
    claimed_at = _claim(notification_id)
    if claimed_at is None:
        return None
    notification = db.session.get(Notification, notification_id)
    recipient = notification.recipient
    config = current_app.config
    wanted = recipient.email_notifications or notification.kind in ALWAYS_EMAILED
    if not (config.get("MAIL_SERVER") and wanted and recipient.is_active_account):
        return _finish(notification_id, claimed_at, EmailState.NOT_WANTED)
    message, created_at = build_message(notification), notification.created_at
    db.session.rollback()  # hold no transaction open while the SMTP server takes its time
    try:
        _deliver(message)
    except smtplib.SMTPRecipientsRefused as error:  # the address itself is refused: retrying will not help
        return _finish(notification_id, claimed_at, EmailState.FAILED, _describe(error))
    except (smtplib.SMTPException, OSError) as error:
        if utcnow() - created_at > GIVE_UP_AFTER:
            return _finish(notification_id, claimed_at, EmailState.FAILED, _describe(error))
        _finish(notification_id, claimed_at, EmailState.PENDING, _describe(error))
        raise EmailNotSent(f"Notification {notification_id}: {_describe(error)}") from error
    return _finish(notification_id, claimed_at, EmailState.SENT)


def sweep(now: dt.datetime | None = None) -> int:
    """Queue e-mails still pending a while after their last attempt, or claimed by a worker that died.

    Each is queued again at most once per ``RESEND_AFTER``, so a queue that is merely slow (workers
    busy with a long import) does not fill up with copies of the same task.
    """
    now = now or utcnow()
    cutoff = now - RESEND_AFTER
    not_requeued_lately = sa.or_(Notification.email_requeued_at.is_(None), Notification.email_requeued_at < cutoff)
    last_attempt = sa.func.coalesce(Notification.email_claimed_at, Notification.created_at)
    due = (
        sa.select(Notification.id)
        .where(
            not_requeued_lately,
            sa.or_(
                sa.and_(Notification.email_state == EmailState.PENDING.value, last_attempt < cutoff),
                sa.and_(
                    Notification.email_state == EmailState.SENDING.value,
                    Notification.email_claimed_at < now - STALE_CLAIM,
                ),
            ),
        )
        .order_by(Notification.id)
        .limit(SWEEP_BATCH)
    )
    notification_ids = list(db.session.scalars(due))
    if notification_ids:
        db.session.execute(
            sa.update(Notification)
            .where(Notification.id.in_(notification_ids))
            .values(email_requeued_at=now)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return queue_emails(notification_ids)


def build_message(notification: Notification) -> EmailMessage:
    """The plain-text e-mail of a notification, with an absolute link that opens (and marks read) it."""
    config = current_app.config
    base_url = config["BASE_URL"]
    message = EmailMessage()
    message["Subject"] = notification.subject
    message["From"] = config["MAIL_FROM"]
    message["To"] = notification.recipient.email
    message["Date"] = format_datetime(notification.created_at.replace(tzinfo=dt.timezone.utc))
    # Stable across attempts, so a copy sent twice after a crash is recognisably the same message.
    host = urlsplit(base_url).hostname or "localhost"
    message["Message-ID"] = f"<notification-{notification.id}@{host}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    message.set_content(
        f"{notification.body}\n\n"
        f"Open it in the marketplace: {base_url}/inbox/{notification.id}\n\n"
        "--\n"
        "You get this e-mail because you have an account on the secondment marketplace.\n"
        f"To stop these e-mails, untick “E-mail me my notifications” in your inbox: {base_url}/inbox\n"
    )
    return message


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _claim(notification_id: int) -> dt.datetime | None:
    """Take the e-mail for this attempt in one conditional UPDATE; None if someone else has it or it is done."""
    now = utcnow()
    result = db.session.execute(
        sa.update(Notification)
        .where(
            Notification.id == notification_id,
            sa.or_(
                Notification.email_state == EmailState.PENDING.value,
                sa.and_(
                    Notification.email_state == EmailState.SENDING.value,
                    Notification.email_claimed_at < now - STALE_CLAIM,
                ),
            ),
        )
        .values(
            email_state=EmailState.SENDING.value,
            email_claimed_at=now,
            email_attempts=Notification.email_attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # other workers must see the claim before this one talks to the server
    return now if result.rowcount == 1 else None


def _finish(notification_id: int, claimed_at: dt.datetime, state: EmailState, error: str | None = None) -> EmailState:
    """Record the outcome of this attempt, unless its claim went stale and another attempt took over."""
    db.session.execute(
        sa.update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.email_state == EmailState.SENDING.value,
            Notification.email_claimed_at == claimed_at,
        )
        .values(
            email_state=state.value,
            email_error=error[:500] if error else None,
            emailed_at=utcnow() if state == EmailState.SENT else None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return state


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"
