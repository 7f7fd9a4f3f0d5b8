"""The inbox every account has: notifications, unread first, and whether they also come by e-mail."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import BooleanField

from marketplace.forms import FlaskForm
from marketplace.pagination import page_number
from marketplace.services import notifications

bp = Blueprint("notifications", __name__, url_prefix="/inbox")


class EmailPreferenceForm(FlaskForm):
    email_notifications = BooleanField("E-mail me my notifications")


@bp.route("/")
@login_required
def inbox():
    page = page_number()
    items = notifications.inbox(current_user, page, current_app.config["PAGE_SIZE"])
    form = EmailPreferenceForm(email_notifications=current_user.email_notifications)
    return render_template(
        "notifications/inbox.html",
        items=items,
        unread=notifications.unread_count(current_user),
        form=form,
        email_on=bool(current_app.config.get("MAIL_SERVER")),
    )


@bp.route("/<int:notification_id>")
@login_required
def follow(notification_id: int):
    """Mark the notification read and go where it points (e-mails link here too)."""
    notification = notifications.open_notification(current_user, notification_id) or abort(404)
    return redirect(notification.link or url_for("notifications.inbox"))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    count = notifications.mark_all_read(current_user)
    flash(f"Marked {count} notification{'' if count == 1 else 's'} read." if count else "Nothing was unread.", "success")
    return redirect(url_for("notifications.inbox"))


@bp.route("/email", methods=["POST"])
@login_required
def email_preference():
    form = EmailPreferenceForm()
    if not form.validate():
        abort(400)
    wanted = form.email_notifications.data
    notifications.set_email_preference(current_user, wanted)
    flash("Notifications will also come by e-mail." if wanted else "Notifications now stay in your inbox only.", "success")
    return redirect(url_for("notifications.inbox"))
