"""Applying, refusals, withdrawing, re-applying and the list of one's own applications."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Application, Role
from marketplace.services.accounts import create_user
from tests import factories as f

TODAY = dt.date.today()


def logged_in_employee(client):
    """Log in a fresh employee with a line manager (who releases them) and return the account."""
    u = f.user(Role.EMPLOYEE, employee_record=f.employee(manager=f.employee(name="Lina Lead")))
    db.session.commit()
    f.login(client, u)
    return u


def applications_to(opportunity) -> list[Application]:
    """What the database holds for ``opportunity`` once the request's work is done or undone."""
    db.session.rollback()
    return list(db.session.scalars(sa.select(Application).where(Application.opportunity_id == opportunity.id)))


def apply(client, opportunity, statement="I would bring five years of data work."):
    return client.post(f"/opportunities/{opportunity.id}/apply", data={"statement": statement})


# ---------------------------------------------------------------- applying


def test_apply_sends_the_application_and_lists_it(client, app):
    o = f.opportunity(title="Data engineer")
    u = logged_in_employee(client)
    response = apply(client, o, "  I know pipelines.  ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/applications"
    [application] = applications_to(o)
    assert (application.employee_id, application.statement, application.status) == (
        u.employee.id,
        "I know pipelines.",
        "submitted",
    )
    page = client.get("/applications").get_data(as_text=True)
    assert "Your application to “Data engineer” was sent." in page
    assert "Data engineer" in page and "Submitted" in page
    detail = client.get(f"/opportunities/{o.id}").get_data(as_text=True)
    assert "You applied on" in detail and "Withdraw application" in detail


@pytest.mark.parametrize(
    "statement, message",
    [
        ("", "Write a statement to apply."),
        ("x" * 4001, "Keep the statement to 4,000 characters or fewer."),
    ],
)
def test_statement_must_be_given_and_not_too_long(client, app, statement, message):
    o = f.opportunity()
    logged_in_employee(client)
    response = apply(client, o, statement)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert 'id="statement-error"' in html  # shown next to the field
    assert applications_to(o) == []


def test_a_statement_of_exactly_4000_characters_is_accepted(client, app):
    o = f.opportunity()
    logged_in_employee(client)
    assert apply(client, o, "x" * 4000).status_code == 302
    assert len(applications_to(o)[0].statement) == 4000


def test_line_breaks_count_as_one_character_like_the_browser_counts_them(client, app):
    o = f.opportunity()
    logged_in_employee(client)
    assert apply(client, o, "x" * 3990 + "\r\n" * 10).status_code == 302  # 4,010 bytes posted
    assert len(applications_to(o)[0].statement) == 3990  # trailing breaks stripped


def test_applying_twice_is_refused_and_keeps_the_first_statement(client, app):
    o = f.opportunity()
    logged_in_employee(client)
    apply(client, o, "First statement")
    response = apply(client, o, "Second statement")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "You have already applied to this opportunity" in html
    assert 'id="apply-error"' in html
    [application] = applications_to(o)
    assert application.statement == "First statement"


def test_withdrawn_application_is_reopened_on_reapplying(client, app):
    o = f.opportunity()
    logged_in_employee(client)
    apply(client, o, "First try")
    [first] = applications_to(o)
    assert client.post(f"/applications/{first.id}/withdraw").status_code == 302
    detail = client.get(f"/opportunities/{o.id}").get_data(as_text=True)
    assert "You withdrew your earlier application" in detail and "Send application" in detail
    assert apply(client, o, "Second try").status_code == 302
    [again] = applications_to(o)
    assert (again.id, again.status, again.statement) == (first.id, "submitted", "Second try")


@pytest.mark.parametrize(
    "fields, status, message",
    [
        ({"status": "closed"}, 409, "This opportunity is not taking applications."),
        ({"status": "filled"}, 409, "This opportunity is not taking applications."),
        ({"closing_date": TODAY - dt.timedelta(days=1)}, 409, "Applications closed on"),
        ({"status": "draft"}, 404, None),
        ({"status": "cancelled"}, 404, None),
    ],
)
def test_applying_to_what_is_not_open_is_refused(client, app, fields, status, message):
    o = f.opportunity(**fields)
    logged_in_employee(client)
    response = apply(client, o)
    assert response.status_code == status
    if message:
        assert message in response.get_data(as_text=True)
    assert applications_to(o) == []


def test_applying_to_ones_own_opportunity_is_refused(client, app):
    host = f.user(Role.HOST_MANAGER)
    o = f.opportunity(host=host.employee)
    db.session.commit()
    f.login(client, host)
    response = apply(client, o)
    assert response.status_code == 403
    assert "You host this opportunity, so you cannot apply to it." in response.get_data(as_text=True)
    assert applications_to(o) == []


def test_a_host_manager_can_apply_elsewhere_as_an_employee(client, app):
    host = f.user(Role.HOST_MANAGER)
    o = f.opportunity()
    db.session.commit()
    f.login(client, host)
    assert apply(client, o).status_code == 302
    assert len(applications_to(o)) == 1


def test_a_race_past_the_duplicate_check_is_refused_cleanly(client, app, monkeypatch):
    from marketplace.services import applications as service

    o = f.opportunity()
    u = logged_in_employee(client)
    db.session.add(Application(opportunity_id=o.id, employee_id=u.employee.id, statement="Other tab"))
    db.session.commit()
    monkeypatch.setattr(service, "application_of", lambda employee, opportunity: None)
    response = apply(client, o, "This tab")
    assert response.status_code == 409
    assert "You have already applied" in response.get_data(as_text=True)
    [application] = applications_to(o)
    assert application.statement == "Other tab"


@pytest.mark.parametrize("role", [Role.LINE_MANAGER, Role.HOST_MANAGER, Role.ADMIN, Role.TALENT])
def test_only_employees_apply_withdraw_and_list_applications(client, app, role):
    u = create_user(f"{role.value}-only@example.com", f.PASSWORD, {role})
    o = f.opportunity()
    someone = f.employee()
    application = Application(opportunity=o, employee=someone, statement="Mine")
    db.session.add(application)
    db.session.commit()
    f.login(client, u)
    assert apply(client, o).status_code == 403
    assert client.post(f"/applications/{application.id}/withdraw").status_code == 403
    assert client.get("/applications").status_code == 403
    assert [a.status for a in applications_to(o)] == ["submitted"]


# ---------------------------------------------------------------- withdrawing


def test_only_the_applicant_can_withdraw(client, app):
    o = f.opportunity()
    other = f.employee()
    theirs = Application(opportunity=o, employee=other, statement="Theirs")
    db.session.add(theirs)
    logged_in_employee(client)
    response = client.post(f"/applications/{theirs.id}/withdraw")
    assert response.status_code == 403
    assert "You can only withdraw your own applications." in response.get_data(as_text=True)
    assert applications_to(o)[0].status == "submitted"


def test_withdrawing_twice_says_it_is_already_withdrawn(client, app):
    o = f.opportunity(title="Data engineer")
    logged_in_employee(client)
    apply(client, o)
    [application] = applications_to(o)
    response = client.post(f"/applications/{application.id}/withdraw")
    assert response.status_code == 302
    page = client.get("/applications").get_data(as_text=True)
    assert "You withdrew your application to “Data engineer”." in page
    assert "Withdrawn" in page
    again = client.post(f"/applications/{application.id}/withdraw")
    assert again.status_code == 409
    assert "You already withdrew this application" in again.get_data(as_text=True)


def test_withdrawing_a_missing_application_is_404(client, app):
    logged_in_employee(client)
    assert client.post("/applications/999999/withdraw").status_code == 404


# ---------------------------------------------------------------- my applications


def test_my_applications_shows_only_mine(client, app):
    mine, theirs = f.opportunity(title="My pick"), f.opportunity(title="Their pick")
    db.session.add(Application(opportunity=theirs, employee=f.employee(), statement="Theirs"))
    logged_in_employee(client)
    apply(client, mine)
    html = client.get("/applications").get_data(as_text=True)
    assert "My pick" in html
    assert "Their pick" not in html


def test_my_applications_empty_state_points_to_browsing(client, app):
    logged_in_employee(client)
    html = client.get("/applications").get_data(as_text=True)
    assert "You have not applied to any opportunity yet." in html
    assert 'href="/opportunities"' in html


def test_a_cancelled_opportunity_stays_in_the_list_without_a_dead_link(client, app):
    o = f.opportunity(title="Called off")
    logged_in_employee(client)
    apply(client, o)
    o.status = "cancelled"
    db.session.commit()
    html = client.get("/applications").get_data(as_text=True)
    assert "Called off" in html and "(no longer listed)" in html
    assert f'href="/opportunities/{o.id}"' not in html
