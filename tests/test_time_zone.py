"""Interview times are typed and read in the installation's time zone (TIMEZONE) and stored as UTC."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace import create_app
from marketplace.extensions import db
from marketplace.models import Application, Notification
from tests import factories as f
from tests.test_selection_pages import hosted, status_of  # noqa: F401  (fixture)

NEXT_JULY = dt.date(dt.date.today().year + 1, 7, 14)  # British Summer Time: UTC+1
NEXT_JANUARY = dt.date(dt.date.today().year + 1, 1, 12)  # Greenwich Mean Time: UTC+0


def _schedule(client, application: Application, on: dt.date, at: str = "10:00"):
    return client.post(f"/applications/{application.id}/decision", data={
        "action": "schedule_interview", "interview_at": f"{on.isoformat()}T{at}", "note": "Room 4.12",
    })


def _stored(application: Application) -> dt.datetime:
    db.session.expire_all()
    return db.session.get(Application, application.id).interview_at


@pytest.fixture
def shortlisted(hosted):  # noqa: F811
    host, opportunity, person, application = hosted
    application.status = "shortlisted"
    db.session.commit()
    return host, opportunity, person, application


def test_a_summer_interview_at_ten_london_time_is_stored_as_nine_utc_and_read_back_as_ten_bst(app, client, shortlisted):
    host, opportunity, person, application = shortlisted
    assert app.config["TIMEZONE"] == "Europe/London"
    f.login(client, host)
    form = client.get(f"/host/opportunities/{opportunity.id}/applicants").get_data(as_text=True)
    assert "Date and time (Europe/London)" in form

    assert _schedule(client, application, NEXT_JULY).status_code == 302
    assert _stored(application) == dt.datetime.combine(NEXT_JULY, dt.time(9, 0))
    page = client.get(f"/host/opportunities/{opportunity.id}/applicants").get_data(as_text=True)
    assert f"{NEXT_JULY.day} Jul {NEXT_JULY.year} at 10:00 BST" in page
    assert f'value="{NEXT_JULY.isoformat()}T10:00"' in page  # rescheduling starts from what was typed

    client.post("/logout")
    f.login(client, person)
    assert "at 10:00 BST" in client.get("/applications").get_data(as_text=True)
    told = db.session.scalars(sa.select(Notification.body).where(Notification.recipient_id == person.id)).all()
    assert any("10:00 BST" in body for body in told), told


def test_a_winter_interview_is_the_same_in_utc_and_named_gmt(client, shortlisted):
    host, opportunity, _, application = shortlisted
    f.login(client, host)
    assert _schedule(client, application, NEXT_JANUARY, "14:30").status_code == 302
    assert _stored(application) == dt.datetime.combine(NEXT_JANUARY, dt.time(14, 30))
    assert "at 14:30 GMT" in client.get(f"/host/opportunities/{opportunity.id}/applicants").get_data(as_text=True)


def test_an_installation_in_utc_stores_what_was_typed(app, client, shortlisted):
    host, opportunity, _, application = shortlisted
    app.config["TIMEZONE"] = "UTC"
    f.login(client, host)
    assert _schedule(client, application, NEXT_JULY).status_code == 302
    assert _stored(application) == dt.datetime.combine(NEXT_JULY, dt.time(10, 0))
    assert "at 10:00 UTC" in client.get(f"/host/opportunities/{opportunity.id}/applicants").get_data(as_text=True)


def test_an_unknown_time_zone_stops_the_app_at_start_up_naming_it(monkeypatch, tmp_path):
    monkeypatch.setenv("TIMEZONE", "Europe/Atlantis")
    monkeypatch.setenv("MARKETPLACE_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="'Europe/Atlantis' is not an IANA time zone"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})
