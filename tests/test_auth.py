"""Log-in, log-out, hashing, CSRF and rate limiting."""

from __future__ import annotations

import pytest

from marketplace import create_app
from marketplace.extensions import db, limiter
from marketplace.models import Role
from tests import factories as f


@pytest.mark.real_password_hashing
def test_password_is_stored_hashed_with_scrypt(app):
    u = f.user(Role.EMPLOYEE)
    assert f.PASSWORD not in u.password_hash
    assert u.password_hash.startswith("scrypt:")
    assert u.check_password(f.PASSWORD) and not u.check_password("wrong")


def test_login_and_logout(client, app):
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    assert client.get("/").status_code == 302  # anonymous goes to log-in
    f.login(client, u)
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").headers["Location"].startswith("/login")


def test_wrong_password_is_refused_with_message(client, app):
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    response = client.post("/login", data={"email": u.email, "password": "nope"})
    assert response.status_code == 400
    assert "E-mail or password is not right" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_never_redirects_off_site(client, app):
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    response = client.post(
        "/login?next=https://evil.example/steal", data={"email": u.email, "password": f.PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_login_is_rate_limited(client, app):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    for _ in range(3):
        assert client.post("/login", data={"email": "x@example.com", "password": "bad"}).status_code == 400
    response = client.post("/login", data={"email": "x@example.com", "password": "bad"})
    assert response.status_code == 429
    assert "Too many log-in attempts" in response.get_data(as_text=True)


def test_forms_need_a_csrf_token(client, app):
    app.config["WTF_CSRF_ENABLED"] = True
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    response = client.post("/login", data={"email": u.email, "password": f.PASSWORD})
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)


REDIS_DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused at once


@pytest.fixture
def app_with(app, database_url, tmp_path):
    """Build another app on the test database with some settings changed (those read at start-up).

    Its requests each run in their own app context, as in production (the ``app`` fixture's requests
    share the test's context, so who is logged in would be remembered from one request to the next).
    """
    from tests.conftest import _test_config

    def build(**settings):
        return create_app(_test_config(database_url, tmp_path) | settings)

    return build


def test_login_works_when_the_rate_limit_store_is_down(app, app_with, caplog, monkeypatch):
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    # one limiter per process, as in production: forget that an earlier test's app found its store dead
    monkeypatch.setattr(limiter, "_storage_dead", False)
    redis_down = app_with(RATELIMIT_STORAGE_URI=REDIS_DOWN, LOGIN_RATE_LIMIT="3 per minute")
    client = redis_down.test_client()
    f.login(client, u)
    assert client.get("/").status_code == 200
    # the limit still holds, in this process's memory, while Redis is away
    guesser = redis_down.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    for _ in range(3):
        assert guesser.post("/login", data={"email": "x@example.com", "password": "bad"}).status_code == 400
    assert guesser.post("/login", data={"email": "x@example.com", "password": "bad"}).status_code == 429
    assert "falling back to in-memory storage" in caplog.text
