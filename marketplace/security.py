"""Log-in wiring and the authorisation checks every view goes through."""

from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Flask, abort
from flask_login import current_user, login_required

from marketplace.extensions import db, login_manager
from marketplace.models import Employee, Role, User


def init_app(app: Flask) -> None:
    """Configure Flask-Login."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(session_user_id: str) -> User | None:
    """The active account a session belongs to, unless that session was ended (``User.get_id``)."""
    user_id, _, version = session_user_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # a session from before session versions, or a forged one
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


def roles_required(*roles: Role) -> Callable:
    """Allow the view only to logged-in users holding one of ``roles``; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


def current_employee() -> Employee:
    """The employee record of the logged-in user; 403 for accounts without one."""
    employee = current_user.employee if current_user.is_authenticated else None
    if employee is None:
        abort(403, "This account has no employee profile.")
    return employee


def is_talent() -> bool:
    """True when the current user sees everything as a member of the talent team."""
    return current_user.is_authenticated and current_user.has_role(Role.TALENT)
