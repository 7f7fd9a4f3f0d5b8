"""Answers to offers sent at the same moment, over HTTP to a real gunicorn with two worker processes.

Two accepts of two offers: one person never ends up with two secondments. An accept and a decline of
the same offer (two tabs): one wins, the other is told so, and neither is a server error (on
PostgreSQL the pair used to deadlock). Each race runs for several rounds, because one lucky ordering
proves nothing; the server shares the test's database (SQLite file or PostgreSQL).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace.clock import today
from marketplace.extensions import db
from marketplace.models import Application, Opportunity, Role, Secondment
from tests import factories as f
from tests.workers import stop

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 8
STARTUP_SECONDS = 60.0  # a ceiling for a busy machine, not a speed check


@dataclass
class Server:
    """The live marketplace: its address, and its log for failure messages."""

    base_url: str
    log: Path


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory) -> Iterator[Server]:
    """gunicorn with two sync workers on a free port, over the test database, configured as in production."""
    folder = tmp_path_factory.mktemp("gunicorn")
    port = _free_port()
    env = os.environ.copy() | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "AUDIT_CREATE_KEY": "1",  # production shape refuses a missing audit key; this test makes its own
        "MARKETPLACE_INSTANCE_PATH": str(folder / "instance"),
        "EMBEDDING_MODEL": "hashing",
        "MAIL_SERVER": "",  # no e-mail: nothing to queue
        "CELERY_BROKER_URL": "memory://",
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }
    log = folder / "gunicorn.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--preload", "--no-control-socket",
             "--bind", f"127.0.0.1:{port}", "marketplace:create_app()"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        live = Server(f"http://127.0.0.1:{port}", log)
        _wait_until_up(live, proc)
        yield live
    finally:
        stop(proc)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(live: Server, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"gunicorn exited with {proc.returncode}:\n{live.log.read_text()[-4000:]}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(live.base_url + "/login", timeout=5).close()
            return
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer within {STARTUP_SECONDS:g} s:\n{live.log.read_text()[-4000:]}")


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is the answer we want to see, not a page to follow


class Browser:
    """One person's session with the live server: their cookies, and forms posted with the CSRF token."""

    def __init__(self, live: Server):
        self.base_url = live.base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _Stay
        )
        self.token = ""

    def get(self, path: str) -> tuple[int, str]:
        status, body = self._send(urllib.request.Request(self.base_url + path))
        if found := re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body):
            self.token = found.group(1)
        return status, body

    def post(self, path: str, form: dict[str, str]) -> tuple[int, str]:
        data = urllib.parse.urlencode(form | {"csrf_token": self.token}).encode()
        return self._send(urllib.request.Request(self.base_url + path, data=data, method="POST"))

    def log_in(self, email: str) -> None:
        self.get("/login")
        status, body = self.post("/login", {"email": email, "password": f.PASSWORD})
        assert status == 302, body
        self.get("/applications/mine")  # the form token of the logged-in session

    def _send(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:  # 3xx (not followed), 4xx and 5xx
            return answer.code, answer.read().decode()


def at_once(browser: Browser, posts: list[tuple[str, dict[str, str]]]) -> list[tuple[int, str]]:
    """Send the posts at the same moment, each on its own connection; their answers in the same order."""
    start = threading.Barrier(len(posts))

    def send(post: tuple[str, dict[str, str]]) -> tuple[int, str]:
        start.wait()
        return browser.post(*post)

    with ThreadPoolExecutor(len(posts)) as pool:
        return list(pool.map(send, posts))


@dataclass
class Applicant:
    """Someone logged in to the live server, and their employee id."""

    employee_id: int
    browser: Browser


@pytest.fixture
def applicant(app, server) -> Applicant:
    person = f.employee("Dee Double", manager=f.employee("Lena Lead"))
    account = f.user(Role.EMPLOYEE, employee_record=person)
    db.session.commit()
    browser = Browser(server)
    browser.log_in(account.email)
    return Applicant(person.id, browser)


def offer(employee_id: int, title: str, start: dt.date) -> int:
    """An offer to the person for a place from ``start``, committed, so the live server sees it."""
    opportunity = f.opportunity(title=title, start_date=start)
    application = Application(opportunity=opportunity, employee_id=employee_id, statement="Keen.", status="offered")
    db.session.add(application)
    db.session.commit()
    return application.id


def back_from_secondment(employee_id: int) -> None:
    """End the person's secondments, so that the next round starts with them free again."""
    db.session.execute(
        sa.update(Secondment).where(Secondment.employee_id == employee_id, Secondment.status != "ended")
        .values(status="ended", end_reason="returned", ended_on=Secondment.end_date)
    )
    db.session.commit()


def test_two_offers_accepted_at_once_give_one_secondment(applicant, server):
    start = today() + dt.timedelta(days=60)
    for round_ in range(ROUNDS):
        first = offer(applicant.employee_id, f"Harbour survey {round_}", start)
        second = offer(applicant.employee_id, f"Census lead {round_}", start + dt.timedelta(days=30))  # overlapping

        answers = at_once(applicant.browser, [
            (f"/applications/{first}/offer", {"action": "accept_offer"}),
            (f"/applications/{second}/offer", {"action": "accept_offer"}),
        ])

        statuses = sorted(status for status, _ in answers)
        assert statuses == [302, 409], f"round {round_}: {statuses}\n{server.log.read_text()[-3000:]}"
        refusal = next(body for status, body in answers if status == 409)
        assert "You already have a secondment to" in refusal and "you cannot accept another" in refusal
        db.session.expire_all()
        planned = db.session.scalars(sa.select(Secondment).where(Secondment.employee_id == applicant.employee_id,
                                                                 Secondment.status == "planned")).all()
        assert len(planned) == 1, f"round {round_}: {len(planned)} planned secondments"
        statuses_now = {db.session.get(Application, a).status for a in (first, second)}
        assert statuses_now == {"offer_accepted", "offered"}
        filled = db.session.scalars(sa.select(Opportunity.status).join(Application).where(
            Application.id.in_([first, second]))).all()
        assert sorted(filled) == ["filled", "open"]
        back_from_secondment(applicant.employee_id)


def test_an_accept_and_a_decline_of_one_offer_at_once_settle_it_one_way(applicant, server):
    start = today() + dt.timedelta(days=60)
    for round_ in range(ROUNDS):
        offered = offer(applicant.employee_id, f"Harbour survey {round_}", start)

        answers = at_once(applicant.browser, [
            (f"/applications/{offered}/offer", {"action": "accept_offer"}),
            (f"/applications/{offered}/offer", {"action": "decline_offer", "reason": "I took another role."}),
        ])

        statuses = sorted(status for status, _ in answers)
        assert statuses == [302, 409], f"round {round_}: {statuses}\n{server.log.read_text()[-3000:]}"
        refusal = next(body for status, body in answers if status == 409)
        # "Someone else acted first: this application is now offer accepted." while both were in flight,
        # "You cannot decline the offer: the application is offer accepted." when one had already finished
        assert re.search(r"application is (now )?offer (accepted|declined)", refusal), refusal[-2000:]
        db.session.expire_all()
        outcome = db.session.get(Application, offered).status
        secondments = db.session.scalar(sa.select(sa.func.count()).select_from(Secondment).where(
            Secondment.application_id == offered))
        assert (outcome, secondments) in {("offer_accepted", 1), ("offer_declined", 0)}
        back_from_secondment(applicant.employee_id)
