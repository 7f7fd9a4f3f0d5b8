"""The talent team's view across the whole marketplace: every opportunity and every application."""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationStatus,
    Department,
    Employee,
    Opportunity,
    OpportunityStatus,
    OpportunityType,
    Organisation,
)
from marketplace.models.enums import StrEnum


class StatusCount(NamedTuple):
    status: StrEnum
    count: int


def opportunity_status_counts() -> list[StatusCount]:
    """How many opportunities are in each status, every status listed even when none."""
    return _counts(Opportunity.status, OpportunityStatus)


def application_status_counts() -> list[StatusCount]:
    """How many applications are in each status, every status listed even when none."""
    return _counts(Application.status, ApplicationStatus)


def opportunity_page(
    *,
    status: OpportunityStatus | None = None,
    department_id: int | None = None,
    type: OpportunityType | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Pagination:
    """One page of all opportunities, newest first, narrowed by status, host department and type."""
    query = (
        sa.select(Opportunity)
        .options(
            selectinload(Opportunity.host_department).selectinload(Department.organisation),
            selectinload(Opportunity.host_manager),
        )
        .order_by(Opportunity.created_at.desc(), Opportunity.id.desc())
    )
    if status is not None:
        query = query.where(Opportunity.status == status.value)
    if department_id is not None:
        query = query.where(Opportunity.host_department_id == department_id)
    if type is not None:
        query = query.where(Opportunity.type == type.value)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def application_page(
    *,
    status: ApplicationStatus | None = None,
    opportunity_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Pagination:
    """One page of all applications, newest first, narrowed by status and opportunity."""
    query = (
        sa.select(Application)
        .options(
            selectinload(Application.employee).selectinload(Employee.department),
            selectinload(Application.opportunity),
        )
        .order_by(Application.submitted_at.desc(), Application.id.desc())
    )
    if status is not None:
        query = query.where(Application.status == status.value)
    if opportunity_id is not None:
        query = query.where(Application.opportunity_id == opportunity_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def awaiting_approval() -> list[Opportunity]:
    """Opportunities whose hosts asked to publish them, oldest request first."""
    return list(
        db.session.scalars(
            sa.select(Opportunity)
            .where(Opportunity.status == OpportunityStatus.PENDING_APPROVAL.value)
            .options(selectinload(Opportunity.host_department), selectinload(Opportunity.host_manager))
            .order_by(Opportunity.updated_at, Opportunity.id)
        )
    )


def hosting_departments() -> list[Department]:
    """Departments that host at least one opportunity, by organisation and name."""
    return list(
        db.session.scalars(
            sa.select(Department)
            .join(Organisation)
            .where(sa.exists().where(Opportunity.host_department_id == Department.id))
            .options(selectinload(Department.organisation))
            .order_by(Organisation.name, Department.name)
        )
    )


def opportunities_with_applications() -> list[tuple[int, str]]:
    """(id, title) of every opportunity that has had an application, by title."""
    rows = db.session.execute(
        sa.select(Opportunity.id, Opportunity.title)
        .where(sa.exists().where(Application.opportunity_id == Opportunity.id))
        .order_by(Opportunity.title, Opportunity.id)
    )
    return [(opportunity_id, title) for opportunity_id, title in rows]


def _counts(column: sa.ColumnElement, enum_cls: type[StrEnum]) -> list[StatusCount]:
    rows = {value: count for value, count in db.session.execute(sa.select(column, sa.func.count()).group_by(column))}
    return [StatusCount(member, rows.get(member.value, 0)) for member in enum_cls]
