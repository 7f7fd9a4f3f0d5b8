"""Employee imports from an HRIS export: the uploaded file and the problems found in its rows."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.enums import ImportFormat, IssueSeverity, check_in


class ImportFile(db.Model):
    """The uploaded file of one import run, kept in the database so a worker on any host can read it.

    Compressed with zlib (an HRIS export shrinks about fivefold); deleted once the run succeeds.
    """

    __tablename__ = "import_files"
    __table_args__ = (sa.CheckConstraint(check_in("format", ImportFormat), name="format"),)

    run_id: Mapped[int] = mapped_column(sa.ForeignKey("job_runs.id", ondelete="CASCADE"), primary_key=True)
    filename: Mapped[str] = mapped_column(sa.String(300))
    format: Mapped[str] = mapped_column(sa.String(10))
    size: Mapped[int]  # bytes before compression
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ImportIssue(db.Model):
    """A row the import refused (rejected) or loaded with a caveat (warning), and why."""

    __tablename__ = "import_issues"
    __table_args__ = (sa.CheckConstraint(check_in("severity", IssueSeverity), name="severity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("job_runs.id", ondelete="CASCADE"), index=True)
    row_number: Mapped[int]  # as a spreadsheet shows it (header = row 1); JSON: position in the list
    employee_number: Mapped[str | None] = mapped_column(sa.String(40))
    field: Mapped[str | None] = mapped_column(sa.String(40))
    severity: Mapped[str] = mapped_column(sa.String(10))
    reason: Mapped[str] = mapped_column(sa.Text)
