"""Checks every request passes before a view sees it: ids in URLs and characters in sent values."""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

from marketplace.limits import INT_MAX, NOT_ALLOWED, NOT_ALLOWED_MESSAGE


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` that matches only ids the database can hold, so a 20-digit id is a 404, not a 500."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = INT_MAX,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Bound every ``int`` URL part (before the blueprints add their routes) and check every request."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.before_request(refuse_characters_not_allowed)


def refuse_characters_not_allowed() -> None:
    """400 for a NUL byte in any query or form value, name or file name: no person types one."""
    sent = [*request.args.lists(), *request.form.lists()]
    sent += [(name, [upload.filename or ""]) for name, upload in request.files.items(multi=True)]
    for name, values in sent:
        if NOT_ALLOWED in name or any(NOT_ALLOWED in value for value in values):
            shown = name.replace(NOT_ALLOWED, "")
            abort(400, f"“{shown}” {NOT_ALLOWED_MESSAGE}. Remove it and send the form again.")
    if NOT_ALLOWED in request.path:
        abort(404)
