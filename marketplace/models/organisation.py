"""Organisations (the company and its external partners) and their departments."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.models.enums import OrganisationKind, check_in


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (sa.CheckConstraint(check_in("kind", OrganisationKind), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default=OrganisationKind.INTERNAL.value)

    departments: Mapped[list[Department]] = relationship(
        back_populates="organisation", order_by="Department.name"
    )

    @property
    def is_external(self) -> bool:
        return self.kind != OrganisationKind.INTERNAL

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class Department(db.Model):
    __tablename__ = "departments"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))

    organisation: Mapped[Organisation] = relationship(back_populates="departments")

    @property
    def full_name(self) -> str:
        return f"{self.name}, {self.organisation.name}"

    def __repr__(self) -> str:
        return f"<Department {self.name}>"
