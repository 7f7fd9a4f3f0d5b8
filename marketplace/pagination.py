"""Pagination of lists computed in Python (rankings), with the same interface as database pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_sqlalchemy.pagination import Pagination


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
