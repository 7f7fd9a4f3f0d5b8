"""Keeping login accounts in step with the HRIS: a person's work e-mail is also the address they sign in with."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from marketplace.extensions import db
from marketplace.models import IssueSeverity, JobRun, User
from marketplace.services.imports.rows import EmployeeRow, Issue


def follow_email_changes(changes: dict[int, EmployeeRow], issues: list[Issue], run_id: int) -> int:
    """Give the login accounts of these employees (id -> row) the row's new e-mail; returns how many changed.

    The HRIS is the source of truth for work e-mail, so a login follows it. An address that already
    signs in another account is not taken from that account: this login keeps its address and the
    row gets a warning for the talent team to settle. Neither is the sign-in of the person running
    the import (a file could otherwise hand their account, and its HR access, to another mailbox),
    nor a move to a domain outside ``ALLOWED_EMAIL_DOMAINS``. The caller commits.
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
    runner = db.session.scalar(sa.select(JobRun.created_by_id).where(JobRun.id == run_id))
    allowed = current_app.config["ALLOWED_EMAIL_DOMAINS"]
    updates = []
    for account in accounts:
        row = changes[account.employee_id]
        holder = holders.get(row.email)
        kept = f"so this person still signs in as {account.email}."
        if holder is not None and holder != account.id:
            issues.append(_warning(row, f"{row.email} already signs in to another account, {kept}"))
        elif account.id == runner and account.email != row.email:
            issues.append(_warning(row, f"An import does not change the sign-in of the person running it, {kept}"))
        elif allowed and row.email.rsplit("@", 1)[-1] not in allowed and account.email != row.email:
            issues.append(_warning(row, f"{row.email} is outside the allowed e-mail domains "
                                        f"({', '.join(sorted(allowed))}), {kept}"))
        elif account.email != row.email:
            updates.append({"id": account.id, "email": row.email})
    if updates:
        db.session.execute(sa.update(User), updates)
    return len(updates)


def _warning(row: EmployeeRow, reason: str) -> Issue:
    return Issue(row.row_number, row.employee_number, "email", IssueSeverity.WARNING, reason)
