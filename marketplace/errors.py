"""One handler renders every error page; user errors never show a stack trace."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from marketplace import request_limits
from marketplace.extensions import db


class DomainError(Exception):
    """A rule of the domain was broken by the user's request; shown as a 4xx."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status_code is not None:
            self.status_code = status_code


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or best == "application/json"


def render_error(status: int, title: str, message: str):
    """Render an error as JSON for API callers and as a page for people."""
    if _wants_json():
        return jsonify(error=title, message=message), status
    return render_template(
        "errors/error.html", status=status, title=title, message=message, back=_page_they_came_from()
    ), status


def _page_they_came_from() -> str | None:
    """The path of this site's page that sent a refused form, so people can go back and correct it."""
    referrer = request.referrer
    if request.method != "POST" or not referrer:
        return None
    parts = urlsplit(referrer)
    if f"{parts.scheme}://{parts.netloc}/" != request.host_url or parts.path == request.path:
        return None  # another site's page, or this very address: nothing to go back to
    return parts.path + (f"?{parts.query}" if parts.query else "")


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        return render_error(error.code or 500, error.name, error.description or "")

    @app.errorhandler(RequestEntityTooLarge)
    def handle_too_large(error: RequestEntityTooLarge):
        if request_limits.is_upload():
            limit = app.config["MAX_UPLOAD_BYTES"]
            return render_error(
                413, "File too large", f"Uploads are limited to {limit / (1024 * 1024):g} MB. Split the file, or "
                "import it on the server with: flask --app marketplace import-employees FILE"
            )
        return render_error(
            413, "Form too large", f"A form may hold at most {app.config['MAX_CONTENT_LENGTH'] // 1024:,} KB and "
            f"at most {app.config['MAX_FORM_PARTS']:,} fields. Shorten what you wrote and send it again."
        )

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        return render_error(
            400, "Form expired", "The form was open too long or came from elsewhere. Reload the page and try again."
        )

    @app.errorhandler(DomainError)
    def handle_domain(error: DomainError):
        db.session.rollback()
        return render_error(error.status_code, "Request refused", error.message)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        db.session.rollback()
        if app.testing:  # let tests see the real traceback
            raise error
        app.logger.exception("Unhandled error on %s", request.path)
        return render_error(500, "Something went wrong", InternalServerError.description)
