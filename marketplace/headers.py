"""The security headers of every response, written in one place.

Scripts run only from this site's own files (``marketplace/static`` and Bootstrap-Flask's local
copy), so no inline script or ``on...=`` attribute can run. Templates still carry ``style=``
attributes (progress bars, pre-line text), so style attributes stay allowed; ``<style>`` elements
and style sheets from elsewhere do not. Flask-Talisman was not used: no release since 2023-08, and
its defaults (forced HTTPS redirects, secure cookies) would each need turning off here anyway.
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # CSP level 3 browsers read style-src-elem for <style>/<link> and style-src for style= attributes
    "style-src 'self' 'unsafe-inline'",
    "style-src-elem 'self'",
    "img-src 'self' data:",  # Bootstrap draws its icons (toggler, select arrow) as data: SVGs in its CSS
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

STATIC_ENDPOINTS = ("static", "bootstrap.static")  # the same for everyone; browsers may cache them


def security_headers(response: Response, *, hsts_seconds: int = 0) -> Response:
    """Add the security headers to ``response``; no-store on everything that is not a static file."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for browsers without CSP 2
    headers.setdefault("Referrer-Policy", "same-origin")
    if hsts_seconds > 0:
        headers.setdefault("Strict-Transport-Security", f"max-age={hsts_seconds}")
    if request.endpoint not in STATIC_ENDPOINTS:
        # Pages and downloads carry people's data: neither the browser nor a proxy keeps a copy.
        response.cache_control.no_store = True
    return response


def init_app(app: Flask) -> None:
    """Send the security headers on every response, error pages included."""

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        return security_headers(response, hsts_seconds=app.config["HSTS_SECONDS"])
