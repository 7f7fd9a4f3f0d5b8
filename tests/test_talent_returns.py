"""The talent team's view of returns: the reviews still missing, the evaluations in aggregate, the response rates."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from marketplace.extensions import db
from marketplace.formatting import format_date
from marketplace.models import Evaluation, EvaluationQuestion, EvaluationRating, Role, Secondment
from marketplace.services import return_figures, returns
from marketplace.services.homes.talent import returns_without_review
from tests import factories as f
from tests.test_home import queries_for, section
from tests.test_returns import DAY, TODAY, ended_days_ago, review_fields

Q = EvaluationQuestion


def returned(name: str, days_ago: int, *, host: f.Employee | None = None, reason: str = "returned",
             home_manager: bool = True) -> Secondment:
    """``name`` back from a 100-day secondment whose last day was ``days_ago`` days ago (straight into the database)."""
    person = f.employee(name, manager=f.employee(f"Manager of {name}") if home_manager else None)
    last_day = TODAY - days_ago * DAY
    planned_end = last_day + 30 * DAY if reason == "terminated_early" else last_day
    row = f.secondment(person, host, start=last_day - 100 * DAY, end=planned_end, status="ended",
                       title=f"Secondment of {name}")
    row.end_reason, row.ended_on = reason, last_day
    db.session.flush()
    return row


def rate(secondment: Secondment, party: str, r: int) -> None:
    """``party``'s evaluation (straight into the database): ``r`` for three statements, ``6 - r`` for the last."""
    ratings = {q: r for q in Q} | {Q.WOULD_RECOMMEND: 6 - r}
    db.session.add(Evaluation(secondment=secondment, party=party, ratings=[
        EvaluationRating(question=q.value, rating=n) for q, n in ratings.items()]))
    db.session.flush()


def talent_page(client, query: str = "", status: int = 200) -> str:
    f.login(client, f.user(Role.TALENT))
    response = client.get(f"/talent/returns{query}")
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def cells(html: str, question: Q) -> dict[str, list[str]]:
    """The figures table of one statement: party -> [ratings, mean, count of 1, ..., count of 5] (or the note)."""
    table = re.search(rf'<table[^>]*id="table-{question.value}".*?</table>', html, re.S).group(0)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S):
        found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        texts = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in found]
        rows[texts[0]] = texts[1:]
    return rows


@pytest.fixture
def evaluated(app):
    """Four returns: the secondees rated 5, 4, 4, 2; the hosts 3, 3, 5; two home managers 1 and 2."""
    rows = [returned(f"Person {n}", 30 + n) for n in range(4)]
    for row, r in zip(rows, (5, 4, 4, 2)):
        rate(row, "employee", r)
    for row, r in zip(rows, (3, 3, 5)):
        rate(row, "host_manager", r)
    for row, r in zip(rows, (1, 2)):
        rate(row, "home_manager", r)
    db.session.commit()
    return rows


# --- evaluations in aggregate -----------------------------------------------------------------------------------------

def test_means_and_distributions_are_worked_out_by_statement_and_party(client, evaluated):
    html = talent_page(client)

    # objectives met: secondees 5, 4, 4, 2 -> mean 15/4; hosts 3, 3, 5 -> 11/3
    objectives = cells(html, Q.OBJECTIVES_MET)
    assert objectives["Secondee"] == ["4", "3.75", "0", "1", "0", "2", "1"]
    assert objectives["Host manager"] == ["3", "3.67", "0", "0", "2", "0", "1"]
    # would recommend is rated 6 - r: secondees 1, 2, 2, 4 -> 9/4; hosts 3, 3, 1 -> 7/3
    recommend = cells(html, Q.WOULD_RECOMMEND)
    assert recommend["Secondee"] == ["4", "2.25", "1", "2", "0", "1", "0"]
    assert recommend["Host manager"] == ["3", "2.33", "1", "0", "2", "0", "0"]
    chart = re.search(r'<svg[^>]*id="chart-objectives_met".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in chart and "<title" in chart
    assert "Secondee: 4 ratings, mean 3.8, 0 at 1, 1 at 2, 0 at 3, 2 at 4, 1 at 5." in chart
    # a bar for each rating given (secondees three, hosts two), the home managers' outline only, the legend
    assert chart.count("<rect") == 3 + 2 + 1 + 5


def test_no_figure_built_from_fewer_ratings_than_the_minimum_is_shown_and_the_page_says_so(client, app, evaluated):
    html = talent_page(client)
    assert "No mean or distribution built from fewer than 3 ratings is shown" in html
    home_managers = cells(html, Q.OBJECTIVES_MET)["Home manager"]
    assert home_managers == ["2", "Fewer than 3 ratings: not shown"]  # their 1 and 2 (mean 1.5) stay hidden
    assert "1.50" not in html and "mean 1.5" not in html
    assert "Home manager: 2 ratings, fewer than 3, not shown." in html

    app.config["RETURN_FEEDBACK_MIN_GROUP"] = 4
    html = talent_page(client)
    assert cells(html, Q.OBJECTIVES_MET)["Host manager"] == ["3", "Fewer than 4 ratings: not shown"]
    assert cells(html, Q.OBJECTIVES_MET)["Secondee"][1] == "3.75"


def test_the_period_and_the_host_department_narrow_every_figure(client, app, evaluated):
    host = f.employee("Hedda Host", dept=f.department("Estates"))
    later = [returned(f"Estates {n}", 200 + n, host=host) for n in range(3)]
    for row in later:
        rate(row, "employee", 1)
    db.session.commit()
    estates = host.department_id

    everything = cells(talent_page(client), Q.OBJECTIVES_MET)["Secondee"]
    assert everything[:2] == ["7", f"{(15 + 3) / 7:.2f}"]
    by_department = talent_page(client, f"?department={estates}")
    assert cells(by_department, Q.OBJECTIVES_MET)["Secondee"] == ["3", "1.00", "3", "0", "0", "0", "0"]
    assert "hosted by Estates" in by_department

    start, end = TODAY - 40 * DAY, TODAY - 30 * DAY
    recent = talent_page(client, f"?start={start.isoformat()}&end={end.isoformat()}")
    assert cells(recent, Q.OBJECTIVES_MET)["Secondee"][:2] == ["4", "3.75"]
    assert "Estates 0" not in recent and "Person 0" in recent  # the list of returns without a review is narrowed too
    assert return_figures.response_rates(TODAY, return_figures.Criteria(start, end, estates)).ended == 0


@pytest.mark.parametrize(("query", "message"), [
    ("?start=2026-02-30", "Enter a date as year-month-day, such as 2026-03-31."),
    ("?end=last+week", "Enter a date as year-month-day, such as 2026-03-31."),
    ("?start=2026-05-01&end=2026-04-01", "The period cannot end before it starts."),
    ("?department=estates", "Choose a host department from the list."),
    ("?department=99999", "Choose a host department from the list."),
])
def test_bad_filter_input_is_a_400_naming_the_problem_on_the_page(client, app, query, message):
    html = talent_page(client, query, status=400)
    assert message in html and "Please correct the highlighted fields." in html
    assert 'aria-invalid="true"' in html and "Evaluations in aggregate" not in html


# --- response rates ---------------------------------------------------------------------------------------------------

def test_response_rates_count_evaluations_per_party_and_reviews_held_against_due(client, app, evaluated):
    no_manager = returned("Nora Nomanager", 20, home_manager=False)
    returned("Fresh Back", 3)  # its review is not due yet
    rate(no_manager, "employee", 3)
    extended = returned("Ed Extended", 50, reason="extended")  # continued, not a return: not counted
    rate(extended, "employee", 5)
    db.session.commit()
    held = evaluated[0]
    manager = f.user(Role.LINE_MANAGER, employee_record=held.home_manager)
    db.session.commit()
    returns.record_review(held, actor=manager, **review_fields())

    rates = return_figures.response_rates(TODAY)
    assert rates.ended == 6
    assert [(p.party.value, p.expected, p.received) for p in rates.parties] == [
        ("employee", 6, 5), ("home_manager", 5, 2), ("host_manager", 6, 3)]
    assert (rates.reviews_held, rates.reviews_overdue, rates.reviews_not_yet_due, rates.reviews_due) == (1, 4, 1, 5)
    html = talent_page(client)
    assert section(html, "evaluation-responses").count("Home manager 5 2 40%") == 1
    assert "Reviews held 1" in section(html, "review-responses")


# --- returns without a review -----------------------------------------------------------------------------------------

def test_returns_without_a_review_are_listed_oldest_first_until_their_review_is_recorded(app):
    recent, accounts = ended_days_ago(20)
    early = returned("Erin Early", 40, reason="terminated_early")
    returned("Fresh Back", 13)  # within the 14 days a review may take
    returned("Ed Extended", 60, reason="extended")  # the secondment goes on: nobody came back
    db.session.commit()

    listing = returns_without_review(TODAY)
    assert [(r.secondment.employee.name, r.days_since) for r in listing.items] == [
        ("Erin Early", 40), ("Sam Secondee", 20)]
    assert listing.items[0].ended_on == early.ended_on < early.end_date  # the day it ended early, not the planned one

    returns.record_review(recent, actor=accounts["home"], **review_fields())
    assert [r.secondment.employee.name for r in returns_without_review(TODAY).items] == ["Erin Early"]


def test_the_days_a_review_may_take_come_from_the_config(app):
    returned("Fresh Back", 5)
    db.session.commit()
    assert returns_without_review(TODAY).total == 0
    app.config["RETURN_REVIEW_DAYS"] = 5
    assert returns_without_review(TODAY).total == 1


def test_the_talent_home_lists_returns_without_a_review_with_their_home_manager_and_links_to_the_page(client, app):
    for n in range(7):
        returned(f"Returner {n}", 20 + n)
    returned("Nora Nomanager", 50, home_manager=False)
    db.session.commit()
    f.login(client, f.user(Role.TALENT))
    html = client.get("/").get_data(as_text=True)

    listed = section(html, "home-unreviewed")
    assert listed.startswith("Returns without a review 8")
    assert "Nora Nomanager Secondment of Nora Nomanager" in listed
    assert "None on record: the talent team holds it" in listed
    assert f"Returner 6 Secondment of Returner 6 {format_date(TODAY - 26 * DAY)} 26 Manager of Returner 6" in listed
    assert listed.index("Nora Nomanager") < listed.index("Returner 6") < listed.index("Returner 3")
    assert "Returner 2" not in listed and "(3 more without a review)" in listed
    assert 'href="/talent/returns"' in html

    page = talent_page(client)
    assert all(f"Returner {n}" in section(page, "unreviewed-table") for n in range(7))
    assert re.search(r'href="/secondments/\d+">Secondment of Returner 0</a>', page)


def test_every_return_reviewed_says_so_on_the_home(client, app):
    f.login(client, f.user(Role.TALENT))
    listed = section(client.get("/").get_data(as_text=True), "home-unreviewed")
    assert "Every return past its first 14 days has its review." in listed


def test_the_overview_links_to_the_returns_page(client, app):
    f.login(client, f.user(Role.TALENT))
    assert 'href="/talent/returns"' in client.get("/talent").get_data(as_text=True)


# --- cost -------------------------------------------------------------------------------------------------------------

def test_the_page_costs_the_same_queries_for_ten_times_the_returns(client, app):
    f.login(client, f.user(Role.TALENT))

    def more(n: int, offset: int) -> None:
        for i in range(n):
            row = returned(f"Returner {offset + i}", 20 + i)
            for party in ("employee", "home_manager", "host_manager"):
                rate(row, party, 1 + i % 5)
        db.session.commit()

    more(3, 0)
    few = queries_for(client, "/talent/returns")
    more(30, 3)
    assert queries_for(client, "/talent/returns") == few
