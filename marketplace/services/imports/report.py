"""The issues of an import run: the first few for its page, every one as a CSV download."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import ImportIssue, Organisation, OrganisationKind

REPORT_COLUMNS = ("row", "employee_number", "field", "outcome", "reason")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _ordered(run_id: int):
    return sa.select(ImportIssue).where(ImportIssue.run_id == run_id).order_by(ImportIssue.row_number, ImportIssue.id)


def first_issues(run_id: int, limit: int = 20) -> list[ImportIssue]:
    """The issues of the first rows, in file order."""
    return list(db.session.scalars(_ordered(run_id).limit(limit)))


def issue_count(run_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(ImportIssue.id)).where(ImportIssue.run_id == run_id)) or 0


def report_lines(run_id: int) -> Iterator[str]:
    """The CSV report, line by line, so a large one never sits in memory whole."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_safe(v) for v in values])
        return buffer.getvalue()

    yield "\ufeff" + line(REPORT_COLUMNS)  # the byte-order mark makes spreadsheets read UTF-8
    for issue in db.session.scalars(_ordered(run_id).execution_options(yield_per=1000)):
        yield line((issue.row_number, issue.employee_number or "", issue.field or "", issue.severity, issue.reason))


def _safe(value: object) -> object:
    """Keep a spreadsheet from running a cell copied from the uploaded file as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def importing_organisations() -> list[Organisation]:
    """Organisations whose staff an HRIS export can hold: the internal ones."""
    return list(db.session.scalars(
        sa.select(Organisation).where(Organisation.kind == OrganisationKind.INTERNAL.value).order_by(Organisation.name)
    ))
