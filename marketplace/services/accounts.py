"""Accounts: authentication and role assignment."""

from __future__ import annotations


from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import Employee, Role, User, UserRole
from marketplace.services import passwords


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None (without saying which part was wrong).

    Every refusal checks one password hash, so how long it takes does not tell whether the e-mail
    belongs to an account.
    """
    user = db.session.scalar(User.with_email(email))
    if user is None:
        User.check_password_of_nobody(password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def sign_out_everywhere(user: User) -> None:
    """End every session of ``user``, on every device and every copy of its cookie (log-out, password change)."""
    user.end_sessions()
    db.session.commit()


def create_user(
    email: str, password: str, roles: set[Role], employee: Employee | None = None
) -> User:
    """Create an account holding ``roles`` (employee-linked accounts always hold the employee role)."""
    if employee is not None:
        roles = roles | {Role.EMPLOYEE}
    email = email.strip().lower()
    passwords.check(password, email=email)
    user = User(email=email, employee=employee)
    user.set_password(password)
    user.role_rows = [UserRole(role=role.value) for role in sorted(roles)]
    db.session.add(user)
    return user
