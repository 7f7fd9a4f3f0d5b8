"""Task of the employee import: a thin wrapper that resumes the run where it stopped."""

from __future__ import annotations

from celery import shared_task

MAX_RETRIES = 5


@shared_task(name="marketplace.import_employees", bind=True, acks_late=True, reject_on_worker_lost=True,
             max_retries=MAX_RETRIES)
def import_employees(self, run_id: int) -> None:
    """Import the run's stored file; a retry or a redelivery carries on after the last committed chunk."""
    from marketplace.services import imports, jobs

    try:
        imports.run_import(run_id)
    except Exception as error:
        if self.request.retries >= MAX_RETRIES:
            jobs.fail(run_id, f"The import stopped after {MAX_RETRIES + 1} attempts: {error}")
            raise
        # back off 10 s, 20 s, 40 s ... so a database restart or a lock has time to clear
        countdown = 10 * 2 ** self.request.retries
        imports.note_retry(run_id, f"Attempt {self.request.retries + 1} failed ({error}); trying again in {countdown} s.")
        raise self.retry(exc=error, countdown=countdown) from error
