"""Log-in, log-out, hashing, CSRF and rate limiting."""

from __future__ import annotations

import pytest

from marketplace.extensions import db
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
