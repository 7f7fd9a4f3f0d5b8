"""Notifications: one message to one account, shown in its inbox and, unless turned off, e-mailed once."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.enums import EmailState, check_in


class Notification(db.Model):
    """Something that happened which ``recipient`` should know about.

    ``dedupe_key`` names the event (e.g. ``opportunity.closed:42``); it is unique per recipient,
    so telling someone about the same event twice adds nothing. The ``email_*`` columns record
    the delivery of its e-mail, claimed by one worker at a time so that it is sent once.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("recipient_id", "dedupe_key"),
        sa.CheckConstraint(check_in("email_state", EmailState), name="email_state"),
        sa.CheckConstraint("email_attempts >= 0", name="email_attempts"),
        # The inbox: a recipient's unread first, newest first; and the unread count in the nav.
        sa.Index("ix_notifications_recipient_read", "recipient_id", "read_at", "created_at"),
        # The sweep looks for e-mails still pending or stuck while sending.
        sa.Index("ix_notifications_email_state", "email_state", "email_claimed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # An open vocabulary (NotificationKind): every feature adds its own kinds, so no CHECK constraint.
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[str | None] = mapped_column(sa.String(500))  # a path inside the app, e.g. /applications
    dedupe_key: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None]
    email_state: Mapped[str] = mapped_column(sa.String(20), default=EmailState.PENDING.value)
    email_attempts: Mapped[int] = mapped_column(default=0)
    email_claimed_at: Mapped[dt.datetime | None]  # start of the latest attempt to send
    email_requeued_at: Mapped[dt.datetime | None]  # when the sweep last queued it again
    emailed_at: Mapped[dt.datetime | None]
    email_error: Mapped[str | None] = mapped_column(sa.String(500))  # why the latest attempt failed

    recipient = relationship("User")

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} to user {self.recipient_id}>"
