"""Skill suggestions for the skill picker: GET /api/skills?q=…"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user

from marketplace.services.catalogue import search_skills

bp = Blueprint("skills", __name__)

DEFAULT_LIMIT = 10
MAX_LIMIT = 25


@bp.get("/api/skills")
def suggest():
    """Catalogue skills matching ``q`` for any logged-in user, best matches first."""
    if not current_user.is_authenticated:
        abort(401, "Log in to search the skill catalogue.")  # JSON, not a redirect to the log-in page
    try:
        limit = int(request.args.get("limit", DEFAULT_LIMIT))
    except ValueError:
        limit = 0
    if limit < 1:
        abort(400, "limit must be a whole number from 1 to 25.")
    query = request.args.get("q", "").strip()
    results = search_skills(query, min(limit, MAX_LIMIT)) if query else []
    return jsonify(results=results)
