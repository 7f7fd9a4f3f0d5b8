"""Reading an HRIS export: CSV or JSON records one at a time, and what makes a whole file unreadable."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from marketplace.limits import NOT_ALLOWED, NOT_ALLOWED_MESSAGE
from marketplace.models import ImportFormat, normalise_label

COLUMNS = (
    "employee_number", "name", "email", "job_title", "department",
    "manager_number", "location", "grade", "start_date", "skills",
)
OPTIONAL_COLUMNS = frozenset({"manager_number", "skills"})
REQUIRED_COLUMNS = tuple(c for c in COLUMNS if c not in OPTIONAL_COLUMNS)
_DELIMITERS = ",;\t"  # spreadsheets in some locales save CSV with semicolons
# An employee object (1) holds a skills list (2) of skill objects (3); anything deeper is not an HRIS export.
MAX_JSON_DEPTH = 3


class FileProblem(ValueError):
    """The file as a whole cannot be imported; the message tells the person how to fix it."""


@dataclass(frozen=True)
class Record:
    """One employee as the file gives it: raw values by column, or None when the entry is not an object."""

    row_number: int  # spreadsheet row (the header is row 1); for JSON, the position in the list
    values: dict | None


@dataclass
class FileScan:
    """What one read of the whole file learnt before anything is written."""

    format: ImportFormat
    rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    # employee numbers and e-mails that appear on more than one row -> those rows
    repeated_numbers: dict[str, list[int]] = field(default_factory=dict)
    repeated_emails: dict[str, list[int]] = field(default_factory=dict)


def guess_format(filename: str, content: bytes) -> ImportFormat:
    """The format from the file name's extension, else from the first character of the content."""
    name = filename.lower()
    if name.endswith(".json"):
        return ImportFormat.JSON
    if name.endswith(".csv"):
        return ImportFormat.CSV
    return ImportFormat.JSON if content.lstrip()[:1] in (b"[", b"{") else ImportFormat.CSV


def decode(content: bytes) -> str:
    """The file as text; spreadsheets often add a byte-order mark, which is dropped."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(
            f"The file is not UTF-8 text (unexpected byte at position {error.start:,}). "
            "Save it again as “CSV UTF-8” or as UTF-8 JSON."
        ) from None


def records(text: str, fmt: ImportFormat, scan: FileScan | None = None) -> Iterator[Record]:
    """Every record of the file in order; raises FileProblem where the file stops making sense."""
    if fmt == ImportFormat.CSV:
        return _csv_records(text, scan)
    return _json_records(text)


def scan_file(text: str, fmt: ImportFormat) -> FileScan:
    """Read the whole file once: count rows and find repeated numbers and e-mails (raises FileProblem)."""
    scan = FileScan(format=fmt)
    numbers: dict[str, list[int]] = {}
    emails: dict[str, list[int]] = {}
    for record in records(text, fmt, scan):
        scan.rows += 1
        values = record.values or {}
        number, email = cell(values.get("employee_number")), cell(values.get("email")).lower()
        if number:
            numbers.setdefault(number, []).append(record.row_number)
        if email:
            emails.setdefault(email, []).append(record.row_number)
    if scan.rows == 0:
        raise FileProblem("The file has no employees in it.")
    scan.repeated_numbers = {k: rows for k, rows in numbers.items() if len(rows) > 1}
    scan.repeated_emails = {k: rows for k, rows in emails.items() if len(rows) > 1}
    return scan


def cell(value: object) -> str:
    """A raw value as trimmed text ('' for nothing); JSON numbers such as 1042 become '1042'."""
    if isinstance(value, str):
        return " ".join(value.split())
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return " ".join(str(value).split())


def column_key(header: str) -> str:
    """A header as a column name: “Employee Number” and “employee-number” both mean employee_number."""
    return normalise_label(header).replace(" ", "_").replace("-", "_")


# ------------------------------------------------------------------ CSV


def _csv_records(text: str, scan: FileScan | None) -> Iterator[Record]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=lambda d: sum(column_key(h) in COLUMNS for h in first_line.split(d)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [column_key(h) for h in next(reader)]
    except StopIteration:
        raise FileProblem("The file is empty.") from None
    except csv.Error as error:
        raise FileProblem(f"The CSV header cannot be read: {error}.") from None
    _check_header(header, scan)
    row_number = 1
    try:
        for cells in reader:
            row_number += 1
            if not any(c.strip() for c in cells):
                continue  # blank lines at the end of spreadsheet exports
            yield Record(row_number, dict(zip(header, cells)))
    except csv.Error as error:
        raise FileProblem(f"Row {row_number + 1} of the CSV cannot be read: {error}.") from None


def _check_header(header: list[str], scan: FileScan | None) -> None:
    if any(NOT_ALLOWED in h for h in header):
        raise FileProblem(f"The header row {NOT_ALLOWED_MESSAGE} (a NUL byte); save the file again from the HRIS.")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise FileProblem(
            f"The header row lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}. "
            f"Expected columns: {', '.join(COLUMNS)}."
        )
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise FileProblem(f"The header row names {', '.join(repeated)} more than once.")
    if scan is not None:
        scan.ignored_columns = [h for h in header if h not in COLUMNS]


# ------------------------------------------------------------------ JSON


def _json_records(text: str) -> Iterator[Record]:
    """Objects of a top-level JSON list, decoded one at a time so a large file is never all objects at once."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    if text[pos:pos + 1] != "[":
        raise FileProblem("A JSON import must be a list of employees: [{\"employee_number\": ...}, ...].")
    pos = _skip_space(text, pos + 1)
    position = 0
    if text[pos:pos + 1] == "]":
        pos += 1
    else:
        while True:
            try:
                value, pos = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as error:
                raise FileProblem(_json_error(error)) from None
            except RecursionError:  # nested past Python's own limit, so certainly past ours
                raise FileProblem(_too_deep(position + 1)) from None
            position += 1
            if _depth_over(value, MAX_JSON_DEPTH):
                raise FileProblem(_too_deep(position))
            yield Record(position, {column_key(k): v for k, v in value.items()} if isinstance(value, dict) else None)
            pos = _skip_space(text, pos)
            separator = text[pos:pos + 1]
            pos = _skip_space(text, pos + 1)
            if separator == "]":
                break
            if separator != ",":
                line = text.count("\n", 0, pos) + 1
                raise FileProblem(f"The JSON list is malformed after employee {position} (line {line}): expected “,” or “]”.")
    if _skip_space(text, pos) != len(text):
        raise FileProblem("The JSON file has text after the closing “]” of the list.")


def _too_deep(position: int) -> str:
    return (f"Employee {position} of the JSON list nests lists or objects too deeply: an employee is an object of "
            'fields, and only skills is a list of objects such as {"name": "Python", "level": 4}.')


def _depth_over(value: object, limit: int) -> bool:
    """True when lists and objects nest more than ``limit`` deep (counted without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _json_error(error: json.JSONDecodeError) -> str:
    return f"The JSON is malformed at line {error.lineno}, column {error.colno}: {error.msg}."


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
