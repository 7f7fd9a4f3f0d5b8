"""Account administration: finding accounts and deciding which roles they hold."""

from __future__ import annotations

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import selectinload

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import Employee, NotificationKind, Role, User, UserRole
from marketplace.services import audit
from marketplace.services.notifications import notify

# Roles whose pages work on the person's own employee record.
NEEDS_EMPLOYEE_RECORD = frozenset({Role.EMPLOYEE, Role.LINE_MANAGER, Role.HOST_MANAGER})


def search_users(query: str = "", *, page: int = 1, per_page: int = 20) -> Pagination:
    """One page of accounts by e-mail, narrowed to those whose e-mail or name contains ``query``."""
    select = (
        sa.select(User)
        .outerjoin(User.employee)
        .options(selectinload(User.role_rows), selectinload(User.employee))
        .order_by(User.email)
    )
    query = query.strip()
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        select = select.where(
            sa.or_(User.email.ilike(pattern, escape="\\"), Employee.name.ilike(pattern, escape="\\"))
        )
    return db.paginate(select, page=page, per_page=per_page, error_out=False)


def get_user(user_id: int) -> User | None:
    """The account with this id, or None."""
    return db.session.get(User, user_id)


def set_roles(user: User, roles: set[Role], actor: User) -> None:
    """Give ``user`` exactly ``roles``, as ``actor`` decided; never leaves the marketplace without an active admin.

    Nobody grants themself a role, and only a member of the talent team grants the talent role,
    which sees HR data: an admin alone never reaches it. The person and the talent team are told.
    """
    before = user.roles
    added = roles - before
    if added and user.id == actor.id:
        raise DomainError("You cannot give yourself a role: another admin has to.", status_code=403)
    if Role.TALENT in added and not actor.has_role(Role.TALENT):
        raise DomainError(
            "Only a member of the talent team can grant the talent role, because it sees HR data.", status_code=403
        )
    missing_record = sorted(roles & NEEDS_EMPLOYEE_RECORD) if user.employee is None else []
    if missing_record:
        names = ", ".join(r.label.lower() for r in missing_record)
        raise DomainError(f"{user.email} has no employee record, so it cannot hold: {names}.")
    if Role.ADMIN in user.roles and Role.ADMIN not in roles and not _other_active_admins(user):
        raise DomainError(
            f"{user.display_name} is the last admin. Give another account the admin role first.",
            status_code=409,
        )
    kept = [row for row in user.role_rows if Role(row.role) in roles]
    held = {Role(row.role) for row in kept}
    user.role_rows = kept + [UserRole(role=role.value) for role in sorted(roles - held)]
    if roles != before:  # who may see what is a decision about a person: keep it in the audit log
        entry = audit.record("account.roles_changed", audit.reference(user), actor=actor, role=Role.ADMIN, payload={
            "before": sorted(r.value for r in before), "after": sorted(r.value for r in roles),
        })
        _tell_about_roles(user, before, roles, actor, entry.seq)
    db.session.commit()


def _tell_about_roles(user: User, before: set[Role], after: set[Role], actor: User, seq: int) -> None:
    """The person hears of any change to their roles; the talent team also hears when the talent role moves."""
    def named(roles: set[Role]) -> str:
        return ", ".join(r.label for r in sorted(roles)) or "none"

    body = (f"{actor.display_name} changed the roles of {user.display_name} from {named(before)} to {named(after)}. "
            "If this is not expected, tell the talent team.")
    recipients = [user]
    if Role.TALENT in before ^ after:
        recipients += db.session.scalars(
            sa.select(User).join(UserRole).where(UserRole.role == Role.TALENT.value, User.id != user.id)
        ).all()
    notify(recipients, NotificationKind.ACCOUNT_SECURITY, f"Roles changed: {user.display_name}", body,
           link=None, dedupe_key=f"roles-changed:{seq}")


def _other_active_admins(user: User) -> int:
    # Lock the admin rows (on PostgreSQL) so two admins cannot demote each other at the same moment.
    admin_ids = db.session.scalars(
        sa.select(UserRole.user_id).where(UserRole.role == Role.ADMIN.value).with_for_update()
    ).all()
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(User)
        .where(User.id.in_(admin_ids), User.id != user.id, User.is_active_account.is_(True))
    )
