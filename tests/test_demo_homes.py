"""Every documented demo log-in finds something in every section of its home, loaded for today."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from marketplace import create_app
from marketplace.clock import today as utc_today
from marketplace.extensions import db
from marketplace.models import EvaluationQuestion, Opportunity, Secondment
from marketplace.services.catalogue import load_catalogue
from marketplace.services.demo import build_plan, seed_demo
from matching import HashingEncoder
from tests.conftest import _empty_all_tables, _test_config
from tests.test_home import section

EMPTY = "text-muted mb-0"  # how every section says it has nothing to show


@pytest.fixture(scope="module")
def demo(database_url, tmp_path_factory):
    """The demo as loaded today (the homes count days from today), with the fake encoder.

    No app context stays pushed, so each request has its own (and its own logged-in user).
    """
    config = _test_config(database_url, tmp_path_factory.mktemp("homes")) | {"LOGIN_RATE_LIMIT": "100 per minute"}
    app = create_app(config)
    app.extensions["encoder"] = HashingEncoder()
    with app.app_context():
        load_catalogue(only=sorted(build_plan(utc_today()).skill_labels()))
        seed_demo(app.config["DEMO_PASSWORD"], today=utc_today())
        db.session.remove()
    yield app
    with app.app_context():
        _empty_all_tables()
        db.engine.dispose()


def client_of(app, account: str):
    client = app.test_client()
    email = f"{account}@northwind.example"
    assert client.post("/login", data={"email": email, "password": app.config["DEMO_PASSWORD"]}).status_code == 302
    return client


def home_of(app, account: str) -> str:
    return client_of(app, account).get("/").get_data(as_text=True)


def filled(html: str, *ids: str) -> list[str]:
    """The text of each section, which must not be its 'nothing to show' sentence."""
    texts = []
    for element_id in ids:
        start = html.index(f'id="{element_id}"')
        body = html[start:html.index("</section>", start)]
        assert f'<p class="{EMPTY}' not in body, f"#{element_id} is empty"
        texts.append(section(html, element_id))
    return texts


def test_the_employee_sees_matches_their_applications_and_their_last_secondment(demo):
    suggestions, applications, secondment = filled(
        home_of(demo, "employee"), "suggestions", "my-applications", "my-secondment")
    assert "It needs" in suggestions or "you would build" in suggestions
    assert "Offered" in applications and "answer the offer" in applications
    assert "Marketing insight analyst" in secondment and "(returned)" in secondment


def test_the_secondee_sees_their_secondment_its_overdue_and_next_check_in(demo):
    html = home_of(demo, "secondee")
    [secondment] = filled(html, "my-secondment")
    assert "Data pipeline reliability with the platform team Active" in secondment
    assert "not recorded yet" in section(html, "my-overdue-check-ins")


def test_the_line_manager_sees_a_release_to_decide_who_is_away_and_who_is_about_to_go(demo):
    releases, away = filled(home_of(demo, "linemanager"), "home-releases", "home-away")
    assert "Priya Shah" in releases and "working day" in releases
    assert "Thomas Khan" in away and "away until" in away
    assert "Sunita Gordon" in away and "goes on" in away


def test_the_host_sees_pipelines_and_candidates_to_review(demo):
    pipelines, to_review = filled(home_of(demo, "host"), "home-pipelines", "home-to-review")
    assert "Ranked candidates" in pipelines and "1 of 1" in pipelines  # the platform secondment Thomas took
    assert "released" in to_review


def test_the_talent_team_sees_every_section_filled(demo):
    html = home_of(demo, "talent")
    pipeline, escalated, appeals, starting, ending, unreviewed = filled(
        html, "home-pipeline", "home-escalated", "home-appeals", "home-starting", "home-ending", "home-unreviewed")
    assert "On secondment" in pipeline
    assert "Sunita Gordon" in starting and "Agreement to sign" in starting  # one signed, one still to sign
    assert "Rhys Chen" in ending
    assert "Muhammad Brennan" in unreviewed  # back from Harbour Logistics 40 days ago


def test_the_talent_teams_returns_page_shows_each_partys_figures_and_the_review_still_missing(demo):
    html = client_of(demo, "talent").get("/talent/returns").get_data(as_text=True)

    for question in EvaluationQuestion:
        table = section(html, f"table-{question.value}")
        assert "not shown" not in table, question
        for party in ("Secondee", "Home manager", "Host manager"):  # its count of ratings, then its mean
            assert re.search(rf"{party} [3-9] [1-5]\.\d\d( \d){{5}}", table), (question, party, table)
    assert section(html, "unreviewed-heading") == "Returns without a review 1"
    assert "Muhammad Brennan" in section(html, "unreviewed-table")


def secondment_page(app, account: str, title: str) -> str:
    """The page of the demo secondment to the opportunity ``title``, as ``account`` sees it."""
    with app.app_context():
        secondment = db.session.scalar(sa.select(Secondment.id).join(Opportunity).where(Opportunity.title == title))
    return client_of(app, account).get(f"/secondments/{secondment}").get_data(as_text=True)


def test_the_line_manager_has_a_return_review_to_hold(demo):
    html = secondment_page(demo, "linemanager", "Demand forecasting at Harbour Logistics")

    assert "still to be held" in section(html, "return-review-missing")
    assert "Record the return review" in html


def test_the_secondment_ending_soon_has_its_return_plan_due_and_the_secondees_wishes(demo):
    html = secondment_page(demo, "talent", "Regulatory reporting analyst: extension")

    assert "Return plan overdue" in section(html, "return-plan-overdue")
    assert "automated checks" in section(html, "secondee-wishes")
