"""Passwords: the policy every new password passes (in one place), changing one, and resetting it by e-mail."""

from __future__ import annotations

import functools
import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import NotificationKind, User
from marketplace.services import audit
from marketplace.services.notifications import notify

MIN_LENGTH = 12
MAX_LENGTH = 200  # the log-in form's limit: a longer password could be set but never typed in


@functools.cache
def _common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of leaked-password corpora, as zxcvbn ships them (lower case)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def problem(password: str, *, email: str | None = None) -> str | None:
    """What is wrong with ``password`` under the policy, in words for the person choosing it; None when it passes."""
    if len(password) < MIN_LENGTH:
        return f"Choose a password of at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Choose a password of at most {MAX_LENGTH} characters."
    folded = password.lower()
    if folded in _common_passwords() or (email and folded.strip() in {email.lower(), email.lower().split("@")[0]}):
        return "That password is one of the most common passwords, or your e-mail address. Choose another."
    return None


def check(password: str, *, email: str | None = None) -> None:
    """Raise a DomainError on the ``password`` field when the password breaks the policy."""
    found = problem(password, email=email)
    if found:
        raise DomainError(found, field="password")


RESET_SALT = "password-reset"
RESET_MAX_AGE = 3600  # seconds a reset link works


def change(user: User, current: str, new: str) -> None:
    """The signed-in ``user`` replaces their password, knowing the current one."""
    if not user.check_password(current):
        raise DomainError("That is not your current password.", field="current_password")
    _set(user, new, how="changed")


def request_reset(email: str) -> None:
    """E-mail a single-use reset link to the active account with this address; do nothing, silently, for any other.

    The caller shows one answer either way, so the page never tells whether an address has an account.
    """
    user = db.session.scalar(User.with_email(email))
    if user is None or not user.is_active_account:
        return
    token = _serializer().dumps({"user": user.id, "fingerprint": _fingerprint(user)})
    link = f"{current_app.config['BASE_URL']}/password/reset/{token}"
    body = (f"Someone asked to reset the password of {user.email} on the secondment marketplace. "
            f"To choose a new password, open this link within {RESET_MAX_AGE // 60} minutes; it works once:\n\n"
            f"{link}\n\nIf it was not you, ignore this e-mail: your password stays as it is.")
    notify([user], NotificationKind.ACCOUNT_SECURITY, "Reset your password", body, link=None,
           dedupe_key=f"password-reset:{hashlib.sha256(token.encode()).hexdigest()}")
    db.session.commit()


def user_for_reset(token: str) -> User:
    """The account a reset link was sent to, while the link is fresh and unused; else a DomainError."""
    try:
        data = _serializer().loads(token, max_age=RESET_MAX_AGE)
        user = db.session.get(User, int(data["user"]))
    except (BadSignature, KeyError, TypeError, ValueError, OverflowError):
        user, data = None, {}
    # The link carries a fingerprint of the password hash it was sent with: once a new password is
    # set (by this link or any other way), the fingerprint no longer matches, so the link works once.
    if user is None or not user.is_active_account or data.get("fingerprint") != _fingerprint(user):
        raise DomainError("This reset link has expired or was already used. Ask for a new one.", status_code=400)
    return user


def reset(token: str, new: str) -> User:
    """Set a new password through a reset link; the link stops working."""
    user = user_for_reset(token)
    _set(user, new, how="reset")
    return user


def _set(user: User, new: str, *, how: str) -> None:
    check(new, email=user.email)
    user.set_password(new)
    audit.record("account.password_changed", audit.reference(user), actor=user, payload={"how": how})
    notify([user], NotificationKind.ACCOUNT_SECURITY, "Your password was changed",
           f"The password of {user.email} was {how} just now. If it was not you, tell the talent team at once.",
           link=None, dedupe_key=f"password-{how}:{user.id}:{utcnow().isoformat()}")
    user.end_sessions()  # sessions signed in with the old password end with it (the change page signs in again)
    db.session.commit()


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)
