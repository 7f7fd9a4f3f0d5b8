"""Log-in, log-out, hashing, CSRF and rate limiting."""

from __future__ import annotations

import os

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


def _password_checks_during(client, monkeypatch, email: str) -> int:
    """How many password hashes a failed log-in as ``email`` checked."""
    from marketplace.models import user as user_model

    calls = []
    real_check = user_model.check_password_hash
    monkeypatch.setattr(user_model, "check_password_hash", lambda *a: calls.append(a) or real_check(*a))
    assert client.post("/login", data={"email": email, "password": "a guess"}).status_code == 400
    return len(calls)


def test_an_unknown_or_inactive_email_costs_a_password_check_like_a_known_one(client, app, monkeypatch):
    """Otherwise the time of the answer tells whether an account exists (162 ms against 9 ms)."""
    known, inactive = f.user(Role.EMPLOYEE), f.user(Role.EMPLOYEE)
    inactive.is_active_account = False
    db.session.commit()
    assert _password_checks_during(client, monkeypatch, known.email) == 1
    assert _password_checks_during(client, monkeypatch, "nobody@example.com") == 1
    assert _password_checks_during(client, monkeypatch, inactive.email) == 1


@pytest.mark.real_password_hashing
def test_a_wrong_password_answers_as_slowly_for_an_unknown_email(client, app):
    import time

    known = f.user(Role.EMPLOYEE)
    db.session.commit()

    def fastest(email: str) -> float:
        times = []
        for _ in range(2):
            started = time.monotonic()
            client.post("/login", data={"email": email, "password": "a guess"})
            times.append(time.monotonic() - started)
        return min(times)

    assert fastest("nobody@example.com") > 0.5 * fastest(known.email)


def _cookie_jar_copy(web, client):
    """Another client holding a copy of ``client``'s session cookie, as someone who copied it would."""
    thief = web.test_client()
    thief.set_cookie("session", client.get_cookie("session").value, domain="localhost")
    return thief


def test_logging_out_ends_every_copy_of_the_session(app, app_with):
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    web = app_with()
    client = web.test_client()
    f.login(client, u)
    thief = _cookie_jar_copy(web, client)
    assert thief.get("/profile").status_code == 200
    client.post("/logout")
    response = thief.get("/profile")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_signing_out_everywhere_ends_the_sessions_of_that_account_only(app, app_with):
    from marketplace.services import accounts

    u, other = f.user(Role.EMPLOYEE), f.user(Role.EMPLOYEE)
    db.session.commit()
    web = app_with()
    phone, laptop, colleague = web.test_client(), web.test_client(), web.test_client()
    f.login(phone, u)
    f.login(laptop, u)
    f.login(colleague, other)
    accounts.sign_out_everywhere(u)  # e.g. when the password changes or the account is closed
    assert phone.get("/profile").status_code == 302
    assert laptop.get("/profile").status_code == 302
    assert colleague.get("/profile").status_code == 200
    f.login(phone, u)  # a new log-in works
    assert phone.get("/profile").status_code == 200


BROWSER = {"User-Agent": "Mozilla/5.0 (the person's browser)"}


def test_session_protection_ignores_x_forwarded_for_without_a_proxy_fix(app, app_with):
    """Without PROXY_FIX_X_FOR anyone can write that header: a copied cookie must not pass by naming its owner."""
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    web = app_with()
    client = web.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.10"
    client.post("/login", data={"email": u.email, "password": f.PASSWORD}, headers=BROWSER)
    assert client.get("/profile", headers=BROWSER).status_code == 200
    thief = _cookie_jar_copy(web, client)
    thief.environ_base["REMOTE_ADDR"] = "203.0.113.66"
    response = thief.get("/profile", headers=BROWSER | {"X-Forwarded-For": "198.51.100.10"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_behind_one_proxy_the_forwarded_address_is_the_client(app, app_with):
    """PROXY_FIX_X_FOR=1: sessions and log-in limits follow the address the proxy saw, not the proxy's own."""
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    web = app_with(PROXY_FIX_X_FOR=1, LOGIN_RATE_LIMIT="3 per minute")
    proxy = "10.0.0.2"  # every request reaches the app from the proxy
    person, thief, guesser = web.test_client(), web.test_client(), web.test_client()
    for client in (person, thief, guesser):
        client.environ_base["REMOTE_ADDR"] = proxy
    at = {"person": {"X-Forwarded-For": "198.51.100.10"}, "guesser": {"X-Forwarded-For": "203.0.113.66"}}

    for _ in range(3):
        guesser.post("/login", data={"email": "x@example.com", "password": "bad"}, headers=BROWSER | at["guesser"])
    assert guesser.post("/login", data={"email": "y@example.com", "password": "bad"},
                        headers=BROWSER | at["guesser"]).status_code == 429
    # the guesser's limit is not the person's, though both come through the same proxy
    person.post("/login", data={"email": u.email, "password": f.PASSWORD}, headers=BROWSER | at["person"])
    assert person.get("/profile", headers=BROWSER | at["person"]).status_code == 200
    thief = _cookie_jar_copy(web, person)
    thief.environ_base["REMOTE_ADDR"] = proxy
    assert thief.get("/profile", headers=BROWSER | at["guesser"]).status_code == 302


def test_without_a_proxy_fix_a_forged_x_forwarded_for_does_not_escape_the_limit(app):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    for n in range(3):
        client.post("/login", data={"email": "x@example.com", "password": "bad"},
                    headers={"X-Forwarded-For": f"192.0.2.{n}"})
    response = client.post("/login", data={"email": "y@example.com", "password": "bad"},
                           headers={"X-Forwarded-For": "192.0.2.99"})
    assert response.status_code == 429


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_an_account_guessed_at_from_many_addresses_is_locked_and_says_what_to_do(app, app_with):
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    web = app_with(LOGIN_ACCOUNT_RATE_LIMIT="3 per 15 minutes")
    for n in range(3):  # each guess from another address: the per-address limit never trips
        guess = _from(web, f"192.0.2.{n}").post("/login", data={"email": u.email, "password": "guess"})
        assert guess.status_code == 400
    # now even the right password is refused: otherwise the lock would tell a guesser when they got it right
    owner = _from(web, "198.51.100.10")
    response = owner.post("/login", data={"email": u.email.upper(), "password": f.PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "locked" in page and "15 minutes" in page and "reset your password" in page
    assert owner.get("/profile").status_code == 302
    # other accounts are not locked with it
    other = f.user(Role.EMPLOYEE)
    db.session.commit()
    f.login(_from(web, "198.51.100.10"), other)


def test_a_limited_address_is_told_how_long_to_wait(app):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    for n in range(3):
        client.post("/login", data={"email": f"x{n}@example.com", "password": "bad"})
    response = client.post("/login", data={"email": "y@example.com", "password": "bad"})
    assert response.status_code == 429
    assert "Too many log-in attempts" in response.get_data(as_text=True)
    assert "1 minute" in response.get_data(as_text=True)


def test_only_failed_log_ins_count_towards_the_limits(app, app_with):
    """An office behind one address logging in all morning is never limited."""
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    web = app_with(LOGIN_RATE_LIMIT="3 per minute", LOGIN_ACCOUNT_RATE_LIMIT="3 per 15 minutes")
    client = _from(web, "198.51.100.10")
    for _ in range(5):
        f.login(client, u)
        client.post("/logout")


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="set TEST_REDIS_URL to test the limits in Redis")
def test_an_account_lock_in_redis_holds_for_every_web_process(app, app_with, monkeypatch):
    import redis

    store = redis.Redis.from_url(os.environ["TEST_REDIS_URL"], socket_connect_timeout=5)
    store.flushdb()
    monkeypatch.setattr(limiter, "_storage_dead", False)  # an earlier test's app may have found its store dead
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    settings = {"RATELIMIT_STORAGE_URI": os.environ["TEST_REDIS_URL"], "LOGIN_ACCOUNT_RATE_LIMIT": "3 per 15 minutes"}
    first = app_with(**settings)
    for n in range(3):
        _from(first, f"192.0.2.{n}").post("/login", data={"email": u.email, "password": "guess"})
    second = app_with(**settings)  # another gunicorn worker, started afresh
    owner = _from(second, "198.51.100.10").post("/login", data={"email": u.email, "password": f.PASSWORD})
    assert owner.status_code == 429
    assert not any(u.email.encode() in key for key in store.keys("*"))  # the store holds no e-mail addresses
    store.flushdb()


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app, app_with):
    u = f.user(Role.EMPLOYEE)
    db.session.commit()
    web = app_with()
    here, elsewhere = web.test_client(), web.test_client()
    f.login(here, u)
    f.login(elsewhere, u)  # say, someone who had the old password
    new = "plum-orchard-lantern-42"
    response = here.post("/account/password",
                         data={"current_password": f.PASSWORD, "new_password": new, "confirm": new})
    assert response.status_code == 302
    assert here.get("/profile").status_code == 200
    assert elsewhere.get("/profile").status_code == 302
