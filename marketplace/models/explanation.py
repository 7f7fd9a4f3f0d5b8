"""An applicant's request to be told why they were not selected, and the written answer."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utcnow
from marketplace.extensions import db

_SEQ = sa.BigInteger().with_variant(sa.Integer, "sqlite")


class ExplanationRequest(db.Model):
    """"Why was I not selected?" (right to an explanation, EU AI Act Art. 86 / GDPR Art. 22).

    The texts live here; the audit log holds their SHA-256 digests, so it proves what was asked and
    answered without holding it. At most one request per application is open at a time.
    """

    __tablename__ = "explanation_requests"
    __table_args__ = (
        sa.Index(
            "uq_explanation_requests_open", "application_id", unique=True,
            sqlite_where=sa.text("answered_at IS NULL"), postgresql_where=sa.text("answered_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(sa.Text)
    asked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    asked_audit_seq: Mapped[int | None] = mapped_column(_SEQ, sa.ForeignKey("audit_log.seq"))
    answer: Mapped[str | None] = mapped_column(sa.Text)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    answered_at: Mapped[dt.datetime | None]
    answered_audit_seq: Mapped[int | None] = mapped_column(_SEQ, sa.ForeignKey("audit_log.seq"))

    application = relationship("Application")
    answered_by = relationship("User")

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
