"""Log-in accounts and the roles they hold."""

from __future__ import annotations

import datetime as dt
import functools
import secrets

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.employee import Employee
from marketplace.models.enums import Role, check_in


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    employee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employees.id"), unique=True)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Every account gets its notifications by e-mail too, until its owner turns that off in the inbox.
    email_notifications: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    # Part of every session's user id: raising it (at log-out) ends every session opened before.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    employee: Mapped[Employee | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @staticmethod
    def check_password_of_nobody(password: str) -> None:
        """Take as long as checking a real password, so a log-in as an unknown e-mail takes as long."""
        check_password_hash(_hash_of_no_password(generate_password_hash), password)

    def end_sessions(self) -> None:
        """End every session of this account once the change commits (``get_id`` no longer matches)."""
        self.session_version = User.session_version + 1  # in SQL: two log-outs at once both count

    @classmethod
    def with_email(cls, email: str) -> sa.Select:
        """The account signing in with ``email``, whatever its case and surrounding spaces."""
        return sa.select(cls).where(sa.func.lower(cls.email) == email.strip().lower())

    def get_id(self) -> str:
        """What the session cookie holds: the account and its session version (see ``security.load_user``)."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses log-in for inactive accounts
        return self.is_active_account

    @property
    def roles(self) -> set[Role]:
        return {Role(r.role) for r in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def display_name(self) -> str:
        return self.employee.name if self.employee else self.email


@functools.lru_cache(maxsize=2)
def _hash_of_no_password(hasher) -> str:
    """A hash made the way passwords are hashed now (keyed by ``hasher``, which tests swap for a cheap one)."""
    return hasher(secrets.token_urlsafe(32))


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (sa.CheckConstraint(check_in("role", Role), name="role"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
