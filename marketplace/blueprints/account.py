"""One's own password: changing it when signed in, and resetting it by an e-mailed link when forgotten."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from marketplace.errors import DomainError
from marketplace.extensions import limiter
from marketplace.forms import FlaskForm
from marketplace.services import passwords

bp = Blueprint("account", __name__)

POLICY = f"At least {passwords.MIN_LENGTH} characters, and not one of the most common passwords."
SENT = ("If an account signs in with that address, we have e-mailed it a link to choose a new password. "
        f"The link works once, for {passwords.RESET_MAX_AGE // 60} minutes.")


class NewPasswordForm(FlaskForm):
    new_password = PasswordField("New password", validators=[DataRequired(), Length(max=passwords.MAX_LENGTH)])
    confirm = PasswordField("New password again", validators=[
        DataRequired(), EqualTo("new_password", message="The two new passwords differ."),
    ])


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=passwords.MAX_LENGTH)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Work e-mail", validators=[DataRequired(), Email(), Length(max=254)])


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _apply(form: FlaskForm, action) -> bool:
    """Run ``action`` for a valid form; a refusal becomes an error on the field it names."""
    if not form.validate_on_submit():
        return False
    try:
        action()
    except DomainError as error:
        name = {"password": "new_password"}.get(error.field, error.field)
        form[name if name in form else "new_password"].errors.append(error.message)
        return False
    return True


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form, user = ChangePasswordForm(), current_user._get_current_object()  # the account, not the proxy: it is audited
    if _apply(form, lambda: passwords.change(user, form.current_password.data, form.new_password.data)):
        login_user(user)  # the change ended every session of the account; this browser stays signed in
        flash("Your password is changed.", "success")
        return redirect(url_for("main.home"))
    return render_template("account/change_password.html", form=form, policy=POLICY), 400 if form.errors else 200


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], error_message="Too many requests. Wait a minute and try again.")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        passwords.request_reset(form.email.data)
        flash(SENT, "info")  # the same answer whether or not the address has an account
        return redirect(url_for("auth.login"))
    return render_template("account/forgot_password.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], error_message="Too many attempts. Wait a minute and try again.")
def reset_password(token: str):
    passwords.user_for_reset(token)  # an expired or used link is refused before anything is typed
    form = NewPasswordForm()
    if _apply(form, lambda: passwords.reset(token, form.new_password.data)):
        flash("Your password is changed. Log in with it now.", "success")
        return redirect(url_for("auth.login"))
    return render_template("account/reset_password.html", form=form, policy=POLICY), 400 if form.errors else 200
