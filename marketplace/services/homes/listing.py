"""A bounded list for a home page: the first few rows and how many there are in all, in two queries."""

from __future__ import annotations

from typing import Generic, NamedTuple, TypeVar

import sqlalchemy as sa

from marketplace.extensions import db

T = TypeVar("T")


class Listing(NamedTuple, Generic[T]):
    items: list[T]
    total: int

    @property
    def more(self) -> int:
        """How many rows were left out."""
        return self.total - len(self.items)


def count(query: sa.Select) -> int:
    """How many rows ``query`` gives."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0


def first(query: sa.Select, limit: int, *order_by: sa.ColumnElement, options: tuple = ()) -> Listing:
    """The first ``limit`` entities of ``query`` in ``order_by``, with the total (one COUNT, one LIMIT query)."""
    return Listing(list(db.session.scalars(query.options(*options).order_by(*order_by).limit(limit))), count(query))
