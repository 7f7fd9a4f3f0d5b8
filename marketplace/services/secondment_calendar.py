"""A secondment's dates and check-ins as an iCalendar file, for the parties' own calendars.

Every event keeps its UID from one export to the next (the secondment's id and the event's place in
it), so importing the file again updates the events instead of adding copies; check-ins that fall
away after an early end are exported as cancelled, which removes them from the calendar.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import icalendar
from flask import current_app

from marketplace.clock import utcnow
from marketplace.models import Secondment
from marketplace.services import check_ins
from marketplace.services.notifications import app_path

PRODID = "-//Secondment marketplace//Secondment calendar//EN"


def secondment_calendar(secondment: Secondment, today: dt.date | None = None) -> bytes:
    """The .ics file: the first day, the last day and each check-in, as all-day events."""
    base_url = current_app.config["BASE_URL"]
    host = urlsplit(base_url).hostname or "localhost"
    title = secondment.opportunity.title
    page = base_url + app_path("secondments.detail", secondment_id=secondment.id)
    # a client updates an event it already holds only when the sequence grows; every step of the secondment adds one
    sequence = len(secondment.events)

    def event(key: str, day: dt.date, summary: str, cancelled: bool = False) -> icalendar.Event:
        row = icalendar.Event()
        row.add("uid", f"secondment-{secondment.id}-{key}@{host}")
        row.add("dtstamp", utcnow().replace(tzinfo=dt.timezone.utc))
        row.add("dtstart", day)
        row.add("dtend", day + dt.timedelta(days=1))
        row.add("summary", f"{summary}: {title}")
        row.add("description", f"{secondment.employee.name}'s secondment. {page}")
        row.add("url", page)
        row.add("sequence", sequence)
        row.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        row.add("transp", "TRANSPARENT")  # a reminder of a date, not time taken
        return row

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Secondment: {title}")
    calendar.add_component(event("start", secondment.start_date, "Secondment starts"))
    last_day = secondment.ended_on or secondment.end_date
    calendar.add_component(event("end", last_day, "Secondment ends"))
    for slot in check_ins.plan(secondment, today).slots:
        calendar.add_component(event(f"check-in-{slot.number}", slot.due_on, f"Check-in {slot.number}",
                                     cancelled=slot.state == check_ins.NO_LONGER_DUE))
    return calendar.to_ical()
