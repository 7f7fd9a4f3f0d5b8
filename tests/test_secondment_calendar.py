"""The .ics export: a secondment's first and last day and its check-ins, which re-import as updates."""

from __future__ import annotations

import datetime as dt

import icalendar

from marketplace.clock import today as utc_today
from marketplace.services import check_ins, termination
from tests import factories as f
from tests.test_check_ins import held, running_secondment

TODAY = utc_today()


def download(client, secondment) -> tuple[icalendar.Calendar, dict[str, icalendar.Event]]:
    response = client.get(f"/secondments/{secondment.id}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == f'attachment; filename="secondment-{secondment.id}.ics"'
    calendar = icalendar.Calendar.from_ical(response.data)
    return calendar, {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_calendar_holds_the_first_and_last_day_and_each_check_in_as_all_day_events(client, app):
    row, accounts = running_secondment(dt.date(2027, 1, 31), dt.date(2027, 5, 15))
    f.login(client, accounts["person"])
    calendar, events = download(client, row)

    assert calendar["VERSION"] == "2.0" and "Data platform secondment" in str(calendar["X-WR-CALNAME"])
    days = sorted((e.decoded("DTSTART"), str(e["SUMMARY"])) for e in events.values())
    assert days == [
        (dt.date(2027, 1, 31), "Secondment starts: Data platform secondment"),
        (dt.date(2027, 2, 28), "Check-in 1: Data platform secondment"),
        (dt.date(2027, 3, 31), "Check-in 2: Data platform secondment"),
        (dt.date(2027, 4, 30), "Check-in 3: Data platform secondment"),
        (dt.date(2027, 5, 15), "Secondment ends: Data platform secondment"),
    ]
    for event in events.values():  # all-day: a date, not a time, lasting one day
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert not isinstance(start, dt.datetime) and end - start == dt.timedelta(days=1)
        assert str(event["STATUS"]) == "CONFIRMED"
        assert f"/secondments/{row.id}" in str(event["URL"])


def test_uids_stay_the_same_across_exports_and_the_sequence_grows_with_each_step(client, app):
    row, accounts = running_secondment(TODAY - dt.timedelta(days=58), TODAY + dt.timedelta(days=100))
    f.login(client, accounts["host"])
    _, before = download(client, row)
    check_ins.record(row, actor=accounts["host"], due_on=check_ins.plan(row).slots[0].due_on, held_on=TODAY,
                     rating="on_track", host_feedback="Good.", progress=[("on_track", "")])
    _, after = download(client, row)

    assert set(before) == set(after)
    assert all(uid.startswith(f"secondment-{row.id}-") for uid in after)
    assert len(set(after)) == len(after) == 2 + len(check_ins.plan(row).slots)
    assert all(int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"]) for uid in after)


def test_after_an_early_end_the_last_day_moves_and_the_remaining_check_ins_are_cancelled(client, app):
    row, accounts = running_secondment(TODAY - dt.timedelta(days=58), TODAY + dt.timedelta(days=100))
    held(row, check_ins.plan(row).slots[0].due_on)
    f.login(client, accounts["home"])
    _, before = download(client, row)
    termination.terminate(row, actor=accounts["home"], trigger="organisational_change", reason="Team merged.",
                          effective_on=TODAY)
    _, after = download(client, row)

    assert set(before) == set(after)
    end = after[next(uid for uid in after if uid.endswith("-end@localhost"))]
    assert end.decoded("DTSTART") == TODAY
    check_in_status = {e.decoded("DTSTART"): str(e["STATUS"]) for uid, e in after.items() if "-check-in-" in uid}
    assert [status for _, status in sorted(check_in_status.items())] == [
        "CONFIRMED" if day <= TODAY else "CANCELLED" for day in sorted(check_in_status)]
    assert "CANCELLED" in check_in_status.values()
