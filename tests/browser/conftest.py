"""Browser-test fixtures: a live marketplace on a migrated SQLite file, driven by headless Chromium.

Reuse them in journey tests::

    pytestmark = pytest.mark.browser

    def test_something(page, live_app, log_in):
        email = live_app.run(lambda: f.user(Role.EMPLOYEE).email)   # return plain values
        log_in(email)
        page.goto(live_app.url("/opportunities"))
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from flask import Flask
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.extensions import db
from tests import factories
from tests.conftest import _empty_all_tables

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
T = TypeVar("T")


@dataclass
class LiveApp:
    """The running marketplace: its address, and a way to set up data inside its app context."""

    app: Flask
    base_url: str

    def url(self, path: str = "/") -> str:
        """The absolute address of ``path`` on the live server."""
        return self.base_url + path

    def run(self, build: Callable[[], T]) -> T:
        """Call ``build`` in the app context and commit; return plain values, since ORM objects detach."""
        with self.app.app_context():
            result = build()
            db.session.commit()
            return result


@pytest.fixture(scope="session")
def _live_server(tmp_path_factory) -> Iterator[LiveApp]:
    """One threaded werkzeug server for the whole session, on a free port and a migrated SQLite file."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'marketplace.sqlite'}",
        "SECRET_KEY": "browser-test-secret",
        "LOGIN_RATE_LIMIT": "1000 per minute",  # every test logs in; CSRF stays on, as in production
        "CELERY": {"broker_url": "memory://", "task_ignore_result": True},
    })
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveApp(app, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def live_app(_live_server: LiveApp) -> Iterator[LiveApp]:
    """The live marketplace with empty tables; whatever a test creates is removed afterwards."""
    yield _live_server
    with _live_server.app.app_context():
        db.session.remove()
        _empty_all_tables()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; missing Chromium fails under REQUIRE_BROWSER=1, else skips."""
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # a ceiling for slow CI machines, not a speed check
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context (no cookies) and page; a failing test leaves a screenshot in test-artifacts/."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture
def log_in(page, live_app) -> Callable[..., None]:
    """Log in through the real form: ``log_in(email)`` or ``log_in(email, password)``."""

    def _log_in(email: str, password: str = factories.PASSWORD) -> None:
        page.goto(live_app.url("/login"))
        page.get_by_label("Work e-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    return _log_in


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so `page` can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
