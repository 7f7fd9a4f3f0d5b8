"""Log-in wiring and the authorisation checks every view goes through."""

from __future__ import annotations

import hashlib
from functools import wraps
from typing import Callable

from flask import Flask, abort, request
from flask_login import current_user, login_required
from werkzeug.middleware.proxy_fix import ProxyFix

from marketplace.extensions import db, login_manager
from marketplace.models import Employee, Role, User


def init_app(app: Flask) -> None:
    """Configure Flask-Login."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    # Flask-Login's own identifier believes any X-Forwarded-For header; ours takes the address
    # that ProxyFix vouched for (Flask-Login offers no public hook for this).
    login_manager._session_identifier_generator = _session_identifier
    trust_proxies(app)


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_FIX_X_FOR reverse proxies, take the client's address from their X-Forwarded-For.

    Without it the header is ignored: anyone can write it, so it must not move a rate limit or
    vouch for a session. With it, log-in limits and session protection see the client, not the proxy.
    """
    proxies = app.config.get("PROXY_FIX_X_FOR", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)


def _session_identifier() -> str:
    """What strong session protection ties a session to: the client's address and browser."""
    client = f"{request.remote_addr}|{request.headers.get('User-Agent')}"
    return hashlib.sha512(client.encode()).hexdigest()


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
