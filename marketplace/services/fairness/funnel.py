"""The selection funnel as the audit log recorded it: scored, shown, shortlisted, selected.

Reading the figures from the hash-chained log (not from the live tables) makes the report
verifiable: anyone holding the log can recompute it, and ``flask audit verify`` proves the log
was not rewritten. Units are (opportunity, person) pairs: someone considered for three
secondments counts three times, once for each decision.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.limits import EARLIEST_DATE, LATEST_DATE
from marketplace.models import AuditEntry, Opportunity, OpportunityStatus

Pair = tuple[int, int]  # (opportunity id, employee id)

SHORTLISTED = {"application.shortlist", "application.offer", "application.accept_offer"}  # later stages imply it
SELECTED = {"application.offer", "application.accept_offer"}


class PeriodError(ValueError):
    """A period the user typed that is not START:END in ISO dates."""


@dataclass(frozen=True)
class Period:
    """Whole UTC days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}"

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The half-open range [start 00:00, day after end 00:00) of ``recorded_at``."""
        return (dt.datetime.combine(self.start, dt.time()),
                dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()))


def parse_period(text: str) -> Period:
    """``2026-01-01:2026-12-31`` -> Period; a clear PeriodError otherwise."""
    start_text, sep, end_text = (text or "").strip().partition(":")
    if not sep:
        raise PeriodError("Give the period as START:END, for example 2026-01-01:2026-12-31.")
    try:
        start, end = dt.date.fromisoformat(start_text.strip()), dt.date.fromisoformat(end_text.strip())
    except ValueError:
        raise PeriodError(f"“{text}” has a date that is not YYYY-MM-DD.") from None
    if end < start:
        raise PeriodError("The period ends before it starts.")
    if start < EARLIEST_DATE or end > LATEST_DATE:
        raise PeriodError(f"Give a period from {EARLIEST_DATE.year} to {LATEST_DATE.year}.")
    return Period(start, end)


@dataclass
class Funnel:
    """Who reached each stage in a period, from the audit entries that recorded it."""

    scores: dict[Pair, float] = field(default_factory=dict)  # the latest score of each scored pair
    shown: set[Pair] = field(default_factory=set)
    impressions: list[tuple[int, int]] = field(default_factory=list)  # (employee id, rank) per row shown
    views: int = 0
    views_without_ranked: int = 0  # logged before the full ranking was recorded
    applicants: set[Pair] = field(default_factory=set)
    shortlisted: set[Pair] = field(default_factory=set)
    selected: set[Pair] = field(default_factory=set)
    entries: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    unreadable: int = 0  # entries whose references could not be parsed (counted, never silently lost)

    def outcomes(self, stage: str) -> list[tuple[Pair, bool]]:
        """Each assessed pair of ``stage`` with whether it passed (see DEFINITIONS in report.py)."""
        if stage == "scored":
            medians = self._medians()
            return [(pair, score > medians[pair[0]]) for pair, score in self.scores.items()]
        if stage == "shown":
            return [(pair, pair in self.shown) for pair in self.scores.keys() | self.shown]
        passed = {"shortlisted": self.shortlisted, "selected": self.selected}[stage]
        return [(pair, pair in passed) for pair in self.applicants]

    def people(self) -> set[int]:
        """Every employee the funnel mentions."""
        pairs = self.scores.keys() | self.shown | self.applicants
        return {employee for _, employee in pairs} | {employee for employee, _ in self.impressions}

    def _medians(self) -> dict[int, float]:
        by_opportunity: dict[int, list[float]] = {}
        for (opportunity, _), score in self.scores.items():
            by_opportunity.setdefault(opportunity, []).append(score)
        return {opportunity: statistics.median(scores) for opportunity, scores in by_opportunity.items()}


def read_funnel(period: Period, opportunity_id: int | None = None) -> Funnel:
    """Replay the period's ranking and application entries, oldest first, into a Funnel."""
    funnel = Funnel()
    for entry in _entries(period, opportunity_id):
        funnel.entries += 1
        funnel.first_seq = entry.seq if funnel.first_seq is None else funnel.first_seq
        funnel.last_seq = entry.seq
        payload = json.loads(entry.payload)
        try:
            if entry.action == "ranking.shown":
                _add_view(funnel, _id(entry.subject, "opportunity"), payload)
            else:
                opportunity = _id(payload["opportunity"], "opportunity")
                if opportunity_id is None or opportunity == opportunity_id:
                    _add_application(funnel, entry.action, (opportunity, _id(payload["candidate"], "employee")))
        except (KeyError, TypeError, ValueError):
            funnel.unreadable += 1
    return funnel


def _entries(period: Period, opportunity_id: int | None) -> Iterator[AuditEntry]:
    start, end = period.bounds()
    views = AuditEntry.action == "ranking.shown"
    if opportunity_id is not None:
        views = sa.and_(views, AuditEntry.subject == f"opportunity:{opportunity_id}")
    query = (
        sa.select(AuditEntry)
        .where(AuditEntry.recorded_at >= start, AuditEntry.recorded_at < end)
        .where(sa.or_(views, AuditEntry.action.like("application.%")))
        .order_by(AuditEntry.seq)
        .execution_options(yield_per=1000)
    )
    yield from db.session.scalars(query)


def _add_view(funnel: Funnel, opportunity: int, payload: dict) -> None:
    funnel.views += 1
    ranked = payload.get("ranked")
    if not isinstance(ranked, list):  # an entry from before the full ranking was logged: only the page is known
        funnel.views_without_ranked += 1
        ranked = [[row["candidate"], row["score"]] for row in payload["shown"]]
    for candidate, score in ranked:
        funnel.scores[(opportunity, _id(candidate, "employee"))] = float(score)
    for row in payload["shown"]:
        employee = _id(row["candidate"], "employee")
        funnel.shown.add((opportunity, employee))
        funnel.impressions.append((employee, int(row["rank"])))


def _add_application(funnel: Funnel, action: str, pair: Pair) -> None:
    funnel.applicants.add(pair)
    if action in SHORTLISTED:
        funnel.shortlisted.add(pair)
    if action in SELECTED:
        funnel.selected.add(pair)


def _id(reference: str, kind: str) -> int:
    """``employee:17`` -> 17, checking the kind."""
    prefix, _, number = reference.partition(":")
    if prefix != kind:
        raise ValueError(f"{reference!r} is not a {kind} reference")
    return int(number)


def opportunity_choices() -> list[tuple[int, str]]:
    """(id, title) of every published opportunity, for choosing one report."""
    query = (sa.select(Opportunity.id, Opportunity.title)
             .where(Opportunity.status != OpportunityStatus.DRAFT.value)
             .order_by(Opportunity.title, Opportunity.id))
    return [(opportunity_id, title) for opportunity_id, title in db.session.execute(query)]
