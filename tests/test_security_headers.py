"""Every page and download carries the security headers; nothing in the pages needs the inline script the CSP blocks."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from marketplace.models import Role
from marketplace.services import imports
from matching import HashingEncoder
from tests import factories as f
from tests.test_agreement_amendments import signed

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"


def directives(response) -> dict[str, str]:
    """The Content-Security-Policy header as {directive: sources}."""
    policy = response.headers.get("Content-Security-Policy", "")
    pairs = (part.strip().partition(" ") for part in policy.split(";") if part.strip())
    return {name: sources for name, _, sources in pairs}


def assert_protected(response) -> None:
    """The headers every response with people's data must carry."""
    csp = directives(response)
    assert csp.get("default-src") == "'self'", response.headers
    assert csp.get("script-src") == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no other site
    assert csp.get("frame-ancestors") == "'none'"
    assert csp.get("object-src") == "'none'"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "same-origin"
    assert "no-store" in response.headers.get("Cache-Control", "")


class InlineScript(HTMLParser):
    """Collects what a script-src 'self' policy would block: inline <script>, on...= handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        self._inline_script = tag == "script" and not dict(attrs).get("src")

    def handle_endtag(self, tag):
        self._inline_script = False

    def handle_data(self, data):
        if self._inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}</script>")


def inline_script(html: str) -> list[str]:
    parser = InlineScript()
    parser.feed(html)
    return parser.found


@pytest.fixture
def signed_secondment(app):
    """A secondment whose agreement all three signed, and an HRIS import; the accounts include the talent team's."""
    app.extensions["encoder"] = HashingEncoder()
    secondment, accounts = signed()
    talent = accounts["talent"]
    export = (ROOT / "docs" / "examples" / "employees-with-errors.csv").read_bytes()
    run = imports.store_upload("hris.csv", export, f.organisation("Northwind"))
    return secondment, accounts, talent, run


def _pages(secondment, run) -> dict[str, list[str]]:
    return {
        "person": ["/", "/profile", "/opportunities", "/applications", "/inbox/", f"/secondments/{secondment.id}",
                   f"/secondments/{secondment.id}/agreement/versions/1/print"],
        "talent": ["/", "/talent", "/talent/fairness", "/talent/releases", "/talent/returns", "/jobs/",
                   "/jobs/import-employees", f"/jobs/{run.id}", "/secondments", f"/secondments/{secondment.id}"],
        "host": ["/", "/host/opportunities", "/host/opportunities/new"],
    }


def test_every_page_carries_the_headers_and_no_inline_script(client, signed_secondment):
    secondment, accounts, _, run = signed_secondment
    for path in ["/login", "/no-such-page"]:
        response = client.get(path)
        assert_protected(response)
        assert not inline_script(response.get_data(as_text=True)), path
    problems = []
    for who, paths in _pages(secondment, run).items():
        client.post("/logout")
        f.login(client, accounts[who])
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, f"{who} {path}: {response.status_code}"
            assert_protected(response)
            problems += [f"{who} {path}: {found}" for found in inline_script(response.get_data(as_text=True))]
    assert not problems, "\n".join(problems)


def test_downloads_with_personal_data_carry_the_headers(client, signed_secondment):
    secondment, accounts, talent, run = signed_secondment
    imports.run_import(run.id)
    f.login(client, talent)
    period = {"start": "2026-01-01", "end": "2026-12-31"}
    downloads = {
        f"/secondments/{secondment.id}/agreement/versions/1/agreement.pdf": "application/pdf",
        f"/secondments/{secondment.id}/calendar.ics": "text/calendar",
        "/talent/fairness/report.csv": "text/csv",
        "/talent/fairness/report.json": "application/json",
        f"/jobs/{run.id}/issues.csv": "text/csv",
        f"/jobs/{run.id}/progress": "application/json",
        "/api/skills?q=data": "application/json",
    }
    for path, mimetype in downloads.items():
        response = client.get(path, query_string=period if "fairness" in path else None)
        assert response.status_code == 200 and response.mimetype == mimetype, path
        assert_protected(response)


def test_the_fairness_csv_names_its_charset_once(client):
    f.login(client, f.user(Role.TALENT))
    response = client.get("/talent/fairness/report.csv", query_string={"start": "2026-01-01", "end": "2026-12-31"})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_static_files_stay_cacheable(client):
    for path in ["/static/confirm.js", "/bootstrap/static/js/bootstrap.min.js"]:
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", ""), path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.close()


def test_hsts_is_off_until_set_then_sent_on_every_response(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["HSTS_SECONDS"] = 31536000
    for path in ["/login", "/static/confirm.js"]:
        response = client.get(path)
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        response.close()


def test_no_template_holds_inline_script_or_event_handlers():
    problems = [f"{template.relative_to(TEMPLATES)}: {found}"
                for template in sorted(TEMPLATES.rglob("*.html"))
                for found in inline_script(template.read_text())]
    assert not problems, "\n".join(problems)
