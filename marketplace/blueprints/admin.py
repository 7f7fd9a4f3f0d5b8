"""Admins: accounts and the roles they hold (no HR data unless they also hold those roles)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectMultipleField

from marketplace.errors import DomainError
from marketplace.models import Role
from marketplace.security import roles_required
from marketplace.services import admin

bp = Blueprint("admin", __name__, url_prefix="/admin")


class RolesForm(FlaskForm):
    roles = SelectMultipleField("Roles", choices=[SelectChoice(v, label) for v, label in Role.choices()])
    q = HiddenField()
    page = HiddenField()


def _render_users(query: str, page: int, status: int = 200):
    users = admin.search_users(query, page=page, per_page=current_app.config["PAGE_SIZE"])
    return render_template("admin/users.html", users=users, query=query, roles=list(Role)), status


@bp.route("/users")
@roles_required(Role.ADMIN)
def users():
    query = request.args.get("q", "")[:200]
    return _render_users(query, max(request.args.get("page", 1, type=int), 1))


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@roles_required(Role.ADMIN)
def set_roles(user_id: int):
    user = admin.get_user(user_id)
    if user is None:
        abort(404)
    form = RolesForm()
    query, page = (form.q.data or "")[:200], int(form.page.data) if (form.page.data or "").isdigit() else 1
    if not form.validate():
        flash("Choose roles from the list only.", "danger")
        return _render_users(query, page, 400)
    try:
        admin.set_roles(user, {Role(r) for r in form.roles.data or ()}, current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return _render_users(query, page, error.status_code)
    flash(f"Roles of {user.display_name} are saved.", "success")
    return redirect(url_for("admin.users", q=query or None, page=page if page > 1 else None))
