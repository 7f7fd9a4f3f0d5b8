"""Pagination: the page number a query string asks for, and pages of lists computed in Python (rankings)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import abort, request
from flask_sqlalchemy.pagination import Pagination

from marketplace.limits import INT_MAX


class ListPagination(Pagination):
    """A page of an in-memory sequence; works with the ``pager`` template macro."""

    def __init__(self, items: Sequence[Any], page: int, per_page: int):
        super().__init__(page=page, per_page=per_page, error_out=False, items_source=items)

    def _query_items(self) -> list[Any]:
        source = self._query_args["items_source"]
        start = self._query_offset
        return list(source[start : start + self.per_page])

    def _query_count(self) -> int:
        return len(self._query_args["items_source"])


def page_number(name: str = "page") -> int:
    """The page a query string asks for: 1 when absent or not a number, 404 past any page there could be."""
    value = request.args.get(name, "")
    try:
        page = int(value)
    except ValueError:
        return 1
    if page > INT_MAX:
        abort(404, "There is no such page.")
    return max(page, 1)
