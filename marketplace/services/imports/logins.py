"""Keeping login accounts in step with the HRIS: a person's work e-mail is also the address they sign in with."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import IssueSeverity, User
from marketplace.services.imports.rows import EmployeeRow, Issue


def follow_email_changes(changes: dict[int, EmployeeRow], issues: list[Issue]) -> int:
    """Give the login accounts of these employees (id -> row) the row's new e-mail; returns how many changed.

    The HRIS is the source of truth for work e-mail, so a login follows it. An address that already
    signs in another account is not taken from that account: this login keeps its address and the
    row gets a warning for the talent team to settle. The caller commits.
    """
    accounts = db.session.execute(
        sa.select(User.id, User.employee_id, User.email).where(User.employee_id.in_(list(changes)))
    ).all()
    if not accounts:
        return 0
    wanted = [changes[account.employee_id].email for account in accounts]
    holders = dict(db.session.execute(
        sa.select(sa.func.lower(User.email), User.id).where(sa.func.lower(User.email).in_(wanted))
    ).all())
    updates = []
    for account in accounts:
        row = changes[account.employee_id]
        holder = holders.get(row.email)
        if holder is not None and holder != account.id:
            issues.append(Issue(row.row_number, row.employee_number, "email", IssueSeverity.WARNING,
                                f"{row.email} already signs in to another account, so this person still signs in "
                                f"as {account.email}."))
        elif account.email != row.email:
            updates.append({"id": account.id, "email": row.email})
    if updates:
        db.session.execute(sa.update(User), updates)
    return len(updates)
