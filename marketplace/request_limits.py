"""How much a request body may hold: little for a form, more for a view that takes a file upload.

Flask applies ``MAX_CONTENT_LENGTH`` (the whole body, refused on its Content-Length before a byte is
read), ``MAX_FORM_MEMORY_SIZE`` (one text field of a multipart form) and ``MAX_FORM_PARTS`` (the
fields of a multipart form). Werkzeug does not count the fields of a url-encoded form, which is what
browsers send for every form but the upload; :class:`FormDataParser` counts them too.
"""

from __future__ import annotations

import io
from typing import IO, Callable

import flask
from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser as _WerkzeugFormDataParser


class FormDataParser(_WerkzeugFormDataParser):
    """Werkzeug's form parser, with ``max_form_parts`` applied to url-encoded forms as well."""

    def parse(self, stream: IO[bytes], mimetype: str, content_length: int | None,
              options: dict[str, str] | None = None):
        if mimetype == "application/x-www-form-urlencoded" and self.max_form_parts is not None:
            body = stream.read()  # already capped at max_content_length, as Werkzeug's own parse reads it whole
            if body.count(b"&") >= self.max_form_parts:  # fields are separated by "&"
                raise RequestEntityTooLarge()
            stream = io.BytesIO(body)
        return super().parse(stream, mimetype, content_length, options)


class Request(flask.Request):
    form_data_parser_class = FormDataParser


def takes_upload(view: Callable) -> Callable:
    """Mark ``view`` as taking a file upload: its body may be up to ``MAX_UPLOAD_BYTES``."""
    view.takes_upload = True
    return view


def is_upload() -> bool:
    """True when the current request goes to a view marked with :func:`takes_upload`."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "takes_upload", False)


def init_app(app: Flask) -> None:
    """Count url-encoded fields, and raise the body limit for upload views before anything reads the body."""
    app.request_class = Request

    # URL value preprocessors run before every before_request function, CSRFProtect's (which reads
    # the form) included, so the upload's own limit is in force when the body is first parsed.
    @app.url_value_preprocessor
    def allow_uploads(endpoint: str | None, values: dict | None) -> None:
        if is_upload():
            request.max_content_length = app.config["MAX_UPLOAD_BYTES"]
