"""The terms of a secondment agreement: each field, its label and section, and the rules they must meet.

A version's terms are one JSON document (``SecondmentAgreement.terms``): dates as ISO strings,
numbers, lists of lines and enum values. ``clean`` turns what someone typed into that document or
refuses it with a message per field; ``read`` gives it back typed for a form; ``display`` gives it
as people read it, section by section, for the page, the print view and the PDF; ``digest`` is the
SHA-256 a signature is bound to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785

from marketplace.errors import DomainError
from marketplace.formatting import format_date
from marketplace.models import BackfillPlan, CheckInFrequency, ReturnArrangement, SalaryPayer, TerminationTrigger
from marketplace.models.enums import StrEnum

# the kinds of term, each with its own form field and way of being read
TEXT, LONG_TEXT, LINES, DATE = "text", "long_text", "lines", "date"
INTEGER, CHOICE, CHOICES = "integer", "choice", "choices"
LINE_MAX = 300  # one objective or learning goal
LINES_MAX = 20


@dataclass(frozen=True)
class Term:
    """One field of the agreement; ``missing`` is the message when a required one is left empty."""

    name: str
    label: str
    kind: str
    missing: str = ""  # empty: the term is optional
    help: str = ""
    max_length: int = 2000
    choices: type[StrEnum] | None = None
    low: int = 0
    high: int = 100
    unit: str = ""

    @property
    def required(self) -> bool:
        return bool(self.missing)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    terms: tuple[Term, ...]


SECTIONS = (
    Section("purpose", "Purpose, objectives and learning goals", (
        Term("purpose", "Purpose", LONG_TEXT, "Say what the secondment is for.", max_length=4000),
        Term("objectives", "Objectives", LINES, "Give at least one objective.",
             help="One per line. Check-ins report progress on each."),
        Term("learning_goals", "Learning goals", LINES, help="One per line: what the secondee wants to learn."),
    )),
    Section("dates", "Dates, working pattern and location", (
        Term("start_date", "Start date", DATE, "Give the start date."),
        Term("end_date", "Return date", DATE, "Give the return date.",
             help="The last day of the secondment; the secondee is back home the next working day."),
        Term("working_percent", "Share of full time", INTEGER, low=1, high=100, unit="%",
             help="Either this or the hours a week."),
        Term("working_hours", "Hours a week", INTEGER, low=1, high=60, unit="hours a week",
             help="Either this or the share of full time."),
        Term("working_pattern", "Working pattern", TEXT, help="Which days, and where, e.g. Monday to Wednesday "
             "at the host, Thursday and Friday at home.", max_length=300),
        Term("location", "Location", TEXT, "Give the place of work.", max_length=200),
    )),
    Section("reporting", "Reporting lines", (
        Term("host_day_to_day_manager", "Host day-to-day manager", TEXT, "Name the host's day-to-day manager.",
             max_length=200),
        Term("home_manager", "Home manager (strategic oversight)", TEXT, "Name the home manager.", max_length=200),
    )),
    Section("performance", "Performance management", (
        Term("host_performance", "At the host", LONG_TEXT, "Say how the host manages day-to-day performance."),
        Term("home_performance", "At home", LONG_TEXT, "Say how the home organisation keeps the appraisal."),
    )),
    Section("pay", "Pay and recharge", (
        Term("salary_paid_by", "Salary paid by", CHOICE, "Choose who pays the salary.", choices=SalaryPayer),
        Term("recharge_percent", "Recharge to the host", INTEGER, "Give the recharge, from 0 to 100 %.",
             low=0, high=100, unit="%", help="The share of salary costs the host pays back; 0 for none."),
        Term("expenses", "Expenses", LONG_TEXT, "Say who pays expenses, and how they are claimed."),
        Term("overtime_and_bonus", "Overtime and bonus", LONG_TEXT, "Say how overtime and bonus are handled."),
    )),
    Section("leave", "Leave", (
        Term("leave", "Leave", LONG_TEXT, "Say how leave is arranged."),
    )),
    Section("confidentiality", "Confidentiality and intellectual property", (
        Term("confidentiality", "Confidentiality", LONG_TEXT, "Say what stays confidential."),
        Term("intellectual_property", "Intellectual property", LONG_TEXT, "Say who owns the work produced."),
    )),
    Section("insurance", "Insurance and indemnity", (
        Term("insurance_indemnity", "Insurance and indemnity", LONG_TEXT, "Say who insures the secondee, and who "
             "indemnifies whom."),
    )),
    Section("tax", "Tax and immigration", (
        Term("tax_immigration", "Tax and immigration notes", LONG_TEXT,
             help="For international moves: tax residence, social security, visa or work permit."),
    )),
    Section("termination", "Notice and early termination", (
        Term("notice_weeks", "Notice period", INTEGER, "Give the notice period in weeks, from 0 to 26.",
             low=0, high=26, unit="weeks", help="How much notice either side gives to end it early."),
        Term("termination_triggers", "Events that may end it early", CHOICES,
             "Tick at least one event that may end the secondment early.", choices=TerminationTrigger),
        Term("termination_notes", "Early termination: anything else", LONG_TEXT),
    )),
    Section("return", "Return", (
        Term("return_arrangement", "On return the secondee goes back to", CHOICE,
             "Choose what the secondee returns to.", choices=ReturnArrangement),
        Term("return_role", "The other role", TEXT, help="Needed when they return to another role.", max_length=300),
    )),
    Section("backfill", "Backfill for the home team", (
        Term("backfill_plan", "Backfill plan", CHOICE, "Choose how the home team covers the work.",
             choices=BackfillPlan),
        Term("backfill_notes", "Backfill notes", LONG_TEXT, help="Who covers what, or why the role stays vacant."),
    )),
    Section("check_ins", "Check-ins", (
        Term("check_in_frequency", "Check-ins", CHOICE, "Choose how often check-ins are held.",
             choices=CheckInFrequency, help="The host records each one; the secondee and home manager add to it."),
    )),
)
TERMS: dict[str, Term] = {term.name: term for section in SECTIONS for term in section.terms}


class InvalidTerms(DomainError):
    """Terms that break the rules; ``problems`` maps term names to messages."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class Rules:
    """What the rules depend on beyond the terms: an international move, a start that has happened, today."""

    international: bool = False
    started_on: dt.date | None = None  # a running secondment keeps its start date
    ends_after: dt.date | None = None  # ... and runs past today: an early end is a termination, not an edit


def clean(values: Mapping[str, Any], rules: Rules = Rules()) -> dict:
    """The terms document for ``values`` (typed, as a form or ``read`` gives them); raises InvalidTerms."""
    problems: dict[str, str] = {}
    document: dict[str, Any] = {}
    for term in TERMS.values():
        try:
            document[term.name] = _clean_one(term, values.get(term.name))
        except ValueError as problem:
            problems[term.name] = str(problem)
    problems |= {name: message for name, message in _across(document, rules).items() if name not in problems}
    if problems:
        raise InvalidTerms(problems)
    return document


def problems_of(document: Mapping[str, Any], rules: Rules = Rules()) -> dict[str, str]:
    """What a stored document still lacks or breaks (a prefilled draft may be incomplete); empty when fine."""
    try:
        clean(read(document), rules)
    except InvalidTerms as invalid:
        return invalid.problems
    return {}


def _clean_one(term: Term, value: Any) -> Any:
    if term.kind in (TEXT, LONG_TEXT):
        text = (value or "").strip()
        if len(text) > term.max_length:
            raise ValueError(f"Keep it to {term.max_length:,} characters.")
        return _needed(term, text)
    if term.kind == LINES:
        lines = value.splitlines() if isinstance(value, str) else list(value or [])
        lines = [line.strip() for line in lines if line and line.strip()]
        if len(lines) > LINES_MAX:
            raise ValueError(f"Keep it to {LINES_MAX} lines.")
        if any(len(line) > LINE_MAX for line in lines):
            raise ValueError(f"Keep each line to {LINE_MAX} characters.")
        return _needed(term, lines)
    if term.kind == DATE:
        return _needed(term, value.isoformat() if value else None)
    if term.kind == INTEGER:
        if value is None or value == "":
            return _needed(term, None)
        if not term.low <= int(value) <= term.high:
            raise ValueError(f"Give a number from {term.low} to {term.high}.")
        return int(value)
    if term.kind == CHOICE:
        if value in (None, ""):
            return _needed(term, None)
        if value not in term.choices.values():
            raise ValueError(term.missing or "Choose one of the options.")
        return str(value)
    chosen = [str(v) for v in value or []]
    if any(v not in term.choices.values() for v in chosen):
        raise ValueError("Choose from the options listed.")
    return _needed(term, [v for v in term.choices.values() if v in chosen])


def _needed(term: Term, value: Any) -> Any:
    """``value``, unless it is empty and the term is required."""
    if term.required and value in (None, "", []):
        raise ValueError(term.missing)
    return value


def _across(document: dict, rules: Rules) -> dict[str, str]:
    """The rules that span several terms, as term name -> message."""
    problems = {}
    start, end = (dt.date.fromisoformat(document[n]) if document.get(n) else None for n in ("start_date", "end_date"))
    if rules.started_on is not None and start is not None and start != rules.started_on:
        problems["start_date"] = f"The secondment started on {format_date(rules.started_on)}; that stays its start."
    if start and end and end <= start:
        problems["end_date"] = "The return date comes after the start date."
    elif rules.ends_after is not None and end is not None and end <= rules.ends_after:
        problems["end_date"] = (f"The return date comes after {format_date(rules.ends_after)}; to end the "
                                "secondment sooner, end it early.")
    percent, hours = document.get("working_percent"), document.get("working_hours")
    if percent is None and hours is None:
        problems["working_percent"] = "Give the share of full time or the hours a week."
    elif percent is not None and hours is not None:
        problems["working_percent"] = "Give the share of full time or the hours a week, not both."
    if document.get("salary_paid_by") == SalaryPayer.HOST.value and document.get("recharge_percent"):
        problems["recharge_percent"] = "When the host pays the salary there is nothing to recharge: give 0."
    if document.get("return_arrangement") == ReturnArrangement.ANOTHER_ROLE.value and not document.get("return_role"):
        problems["return_role"] = "Name the role the secondee returns to."
    if rules.international and not document.get("tax_immigration"):
        problems["tax_immigration"] = "An international move needs its tax and immigration notes."
    return problems


def read(document: Mapping[str, Any]) -> dict[str, Any]:
    """The stored document typed again (dates as dates), every term present, for a form or ``clean``."""
    values = {}
    for term in TERMS.values():
        value = document.get(term.name)
        if term.kind == DATE:
            value = dt.date.fromisoformat(value) if value else None
        elif term.kind in (LINES, CHOICES):
            value = list(value or [])
        elif term.kind in (TEXT, LONG_TEXT):
            value = value or ""
        values[term.name] = value
    return values


def start_and_end(document: Mapping[str, Any]) -> tuple[dt.date, dt.date]:
    """The start and return dates a (valid) document sets."""
    return dt.date.fromisoformat(document["start_date"]), dt.date.fromisoformat(document["end_date"])


@dataclass(frozen=True)
class Shown:
    """One term as people read it: its label and its words (a list for lines and ticked options)."""

    term: Term
    value: str | list[str]


def display(document: Mapping[str, Any]) -> list[tuple[Section, list[Shown]]]:
    """Every section with its terms in words; an empty optional term reads "—"."""
    return [(section, [Shown(term, _words(term, document.get(term.name))) for term in section.terms])
            for section in SECTIONS]


def _words(term: Term, value: Any) -> str | list[str]:
    if value in (None, "", []):
        return "—"
    if term.kind == DATE:
        return format_date(dt.date.fromisoformat(value))
    if term.kind == INTEGER:
        return f"{value} %" if term.unit == "%" else f"{value} {term.unit}"
    if term.kind == CHOICE:
        return term.choices(value).label
    if term.kind == CHOICES:
        return [term.choices(v).label for v in value]
    return list(value) if term.kind == LINES else str(value)


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Names of the terms whose values differ, in the agreement's order."""
    return [name for name in TERMS if before.get(name) != after.get(name)]


def digest(document: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the RFC 8785 canonical JSON of the terms: what a signature is bound to."""
    return hashlib.sha256(rfc8785.dumps(dict(document))).hexdigest()
