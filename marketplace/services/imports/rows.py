"""Validating one employee row of an HRIS export, before it meets the database."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from marketplace.limits import NOT_ALLOWED, NOT_ALLOWED_MESSAGE
from marketplace.models import IssueSeverity
from marketplace.services.imports.reading import COLUMNS, Record, cell

MAX_LENGTHS = {
    "employee_number": 40, "name": 200, "email": 254, "job_title": 200,
    "department": 200, "manager_number": 40, "location": 120, "grade": 40,
}
LABELS = {
    "employee_number": "employee number", "name": "name", "email": "e-mail", "job_title": "job title",
    "department": "department", "manager_number": "manager number", "location": "location", "grade": "grade",
    "start_date": "start date", "skills": "skills",
}
EARLIEST_START = dt.date(1900, 1, 1)
# Plain ASCII addresses, the usual case, pass this check quickly; anything else goes to email-validator,
# which is exact but costs a third of a millisecond a row (half the import's time on 100,000 rows).
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


@dataclass(frozen=True)
class Issue:
    """One problem of one row: rejected rows were not imported, warnings were imported without the part named."""

    row_number: int
    employee_number: str | None
    field: str | None
    severity: IssueSeverity
    reason: str

    def as_row(self, run_id: int) -> dict:
        # a number too long for its column is itself the reason the row was refused: keep its start
        number = self.employee_number[:MAX_LENGTHS["employee_number"]] if self.employee_number else None
        return {
            "run_id": run_id, "row_number": self.row_number, "employee_number": number,
            "field": self.field, "severity": self.severity.value, "reason": self.reason,
        }


@dataclass
class EmployeeRow:
    """A row whose every value is well formed; departments, skills and managers are resolved later."""

    row_number: int
    employee_number: str
    name: str
    email: str
    job_title: str
    department: str
    location: str
    grade: str
    start_date: dt.date
    manager_number: str | None
    skills: list[tuple[str, int]] = field(default_factory=list)  # (label as written, level)


def parse_row(record: Record) -> tuple[EmployeeRow | None, list[Issue]]:
    """The row's values checked one by one; None with every reason when any value is wrong."""
    values = record.values
    if values is None:
        return None, [_reject(record, None, None, "The entry is not an object of employee fields.")]
    number = cell(values.get("employee_number"))
    unstorable = [column for column in COLUMNS if _holds_nul(values.get(column))]
    if unstorable:  # the database cannot hold the row, so nothing of it is read further
        shown = number.replace(NOT_ALLOWED, "") or None
        return None, [_reject(record, shown, column, f"The {LABELS[column]} cell {NOT_ALLOWED_MESSAGE} (a NUL byte).")
                      for column in unstorable]
    issues: list[Issue] = []

    def reject(column: str, reason: str) -> None:
        issues.append(_reject(record, number or None, column, reason))

    text = {}
    for column, limit in MAX_LENGTHS.items():
        text[column] = cell(values.get(column))
        if not text[column] and column != "manager_number":
            reject(column, f"The {LABELS[column]} is missing.")
        elif len(text[column]) > limit:
            reject(column, f"The {LABELS[column]} is longer than {limit} characters.")
    email = _email(text["email"], reject) if text["email"] else ""
    start = _date(cell(values.get("start_date")), reject)
    skills = _skills(values.get("skills"), reject)
    if issues:
        return None, issues
    return EmployeeRow(
        row_number=record.row_number,
        employee_number=number,
        name=text["name"],
        email=email,
        job_title=text["job_title"],
        department=text["department"],
        location=text["location"],
        grade=text["grade"],
        start_date=start,
        manager_number=text["manager_number"] or None,
        skills=skills,
    ), []


def _holds_nul(value: object) -> bool:
    """True when a cell, or any text inside a JSON list or object of one, has a NUL byte."""
    if isinstance(value, str):
        return NOT_ALLOWED in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _reject(record: Record, number: str | None, column: str | None, reason: str) -> Issue:
    return Issue(record.row_number, number, column, IssueSeverity.REJECTED, reason)


def _email(value: str, reject) -> str:
    if _PLAIN_EMAIL.fullmatch(value):
        return value.lower()
    try:
        # deliverability would mean a DNS query per row; HR's own addresses need none
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        reject("email", f"“{value}” is not an e-mail address: {error}")
        return ""


def _date(value: str, reject) -> dt.date | None:
    if not value:
        reject("start_date", "The start date is missing.")
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        reject("start_date", f"“{value}” is not a date written as YYYY-MM-DD.")
        return None
    if day < EARLIEST_START:
        reject("start_date", f"The start date {value} is before {EARLIEST_START.year}.")
        return None
    return day


def _skills(value: object, reject) -> list[tuple[str, int]]:
    """Skills as “Python:4; Data analysis:3” (CSV) or [{"name": "Python", "level": 4}, ...] (JSON)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        pairs = [tuple(part.rsplit(":", 1)) if ":" in part else (part, "") for part in value.split(";") if part.strip()]
    elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
        pairs = [(cell(item.get("name") or item.get("skill")), item.get("level")) for item in value]
    else:
        reject("skills", 'Skills must be written as "Python:4; Data analysis:3", or in JSON as a list of {"name", "level"}.')
        return []
    skills = []
    for label, level in pairs:
        label = cell(label)
        if not label:
            reject("skills", "A skill has no name.")
        elif len(label) > 300:
            reject("skills", f"The skill “{label[:40]}…” is longer than 300 characters.")
        elif (parsed := _level(level)) is None:
            shown = cell(level)
            reject("skills", f"The level of {label} must be a whole number from 1 to 5"
                   + (f", not “{shown}”." if shown else "; write it as " + f"{label}:3."))
        else:
            skills.append((label, parsed))
    return skills


def _level(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        level = value
    else:
        text = cell(value)
        if not text.isdigit():
            return None
        level = int(text)
    return level if 1 <= level <= 5 else None
