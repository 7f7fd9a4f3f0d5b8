"""Log-in and log-out."""

from __future__ import annotations

import hashlib
import math
import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from marketplace.extensions import limiter
from marketplace.forms import FlaskForm
from marketplace.services import accounts

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField("Work e-mail", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Log in")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _submitted_account() -> str:
    """The per-account limit's key: the e-mail typed, normalised and hashed (the limit store holds no addresses).

    Unknown e-mails are counted the same way, so a lock-out tells nobody whether an account exists.
    """
    email = request.form.get("email", "").strip().lower()
    return "account:" + hashlib.sha256(email.encode()).hexdigest() if email else ""


def _refused(response) -> bool:
    """Only refused log-ins count: people logging in all morning from one office are never limited."""
    return response.status_code == 400


def _wait() -> str:
    """How long until the limit just reached lets the next attempt through, in words."""
    reached = limiter.current_limit
    seconds = reached.reset_at - 1 - time.time() if reached else 60  # reset_at is rounded up past the second
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def _too_many_from_here() -> str:
    return f"Too many log-in attempts from your network. Wait {_wait()} and try again."


def _account_locked() -> str:
    return (
        f"Too many wrong passwords for this e-mail address: it is locked for {_wait()}, and until then even "
        "the right password is refused. Wait and try again. If you have forgotten the password, reset your "
        "password at /password/forgot and log in with the new one when the lock ends."
    )


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a path on this site, never to another host.

    Browsers read a backslash as a slash ("/\\evil.example" is "//evil.example"), so
    backslashes and control characters are refused outright.
    """
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return url_for("main.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("main.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
# While a limit holds, even the right password is refused (and the page says why): a lock that let the
# right password through would tell a guesser which guess was right.
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_refused, error_message=_too_many_from_here)
@limiter.limit(_account_limit, key_func=_submitted_account, methods=["POST"], deduct_when=_refused,
               error_message=_account_locked)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("E-mail or password is not right.")
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:  # a copy of the cookie must not outlive the log-out
        accounts.sign_out_everywhere(current_user._get_current_object())
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
