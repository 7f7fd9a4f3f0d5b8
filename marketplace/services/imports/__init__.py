"""Bulk import of employees from an HRIS export (CSV or JSON), validated row by row.

``reading`` turns the file into records, ``rows`` checks each one, ``loading`` upserts them in
chunks, ``managers`` links managers after every row is in, ``pipeline`` runs the stages with
progress, and ``report`` lists what was refused and why.
"""

from marketplace.services.imports.pipeline import STAGES, queue_import, run_import, store_upload
from marketplace.services.imports.reading import COLUMNS, FileProblem
from marketplace.services.imports.report import first_issues, importing_organisations, issue_count, report_lines

__all__ = [
    "COLUMNS",
    "STAGES",
    "FileProblem",
    "first_issues",
    "importing_organisations",
    "issue_count",
    "queue_import",
    "report_lines",
    "run_import",
    "store_upload",
]
