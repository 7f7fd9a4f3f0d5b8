"""Task of the employee import: a thin wrapper that resumes the run where it stopped."""

from __future__ import annotations

from celery import shared_task

from jobs.retrying import RETRIED
from marketplace.services import imports


@shared_task(name="marketplace.import_employees", **RETRIED)
def import_employees(run_id: int) -> None:
    """Import the run's stored file; a retry, redelivery or re-send carries on after the last committed chunk.

    The run is claimed first, so a second delivery while a worker has it does nothing; a failed
    attempt gives the run back for the retry, and the claim gives up after `jobs.MAX_ATTEMPTS`.
    """
    imports.run_import(run_id)
