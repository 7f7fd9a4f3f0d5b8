"""Real worker processes import a queued file, and one killed mid-import leaves a run the sweep hands to the next.

The workers run on the test's database and broker (``tests.workers``): SQLite with the embedded
SQLite broker, PostgreSQL with Redis when TEST_DATABASE_URL and TEST_REDIS_URL are set.
"""

from __future__ import annotations

import time
from pathlib import Path

import sqlalchemy as sa

from marketplace.cli_imports import import_employees_command
from marketplace.extensions import db
from marketplace.models import Employee, JobRun
from marketplace.queue import enqueue
from marketplace.services import imports
from tests import factories as f
from tests.workers import STALE_AFTER_SECONDS, kill, running_worker, stores, wait_until  # noqa: F401  (fixture)

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
ROWS = 20_000


def test_background_import_is_done_by_a_worker_and_followed_in_the_cli(app, stores):  # noqa: F811
    f.organisation("Northwind")
    db.session.commit()
    with running_worker(stores.log("worker")):
        result = app.test_cli_runner().invoke(
            import_employees_command, [str(EXAMPLES / "employees-with-errors.csv"), "--background"]
        )
    assert result.exit_code == 0, f"{result.output}\n--- worker log ---\n{stores.log('worker').read_text()[-3000:]}"
    assert "Read 10 rows: 5 employees created" in result.output


def _run(run_id: int) -> JobRun:
    return db.session.get(JobRun, run_id, populate_existing=True)


def _count(*where) -> int:
    return db.session.scalar(sa.select(sa.func.count(Employee.id)).where(*where))


def test_a_worker_killed_mid_import_leaves_a_run_the_sweep_hands_to_the_next_worker(app, stores):  # noqa: F811
    header = "employee_number,name,email,job_title,department,manager_number,location,grade,start_date,skills\n"
    rows = "".join(f"E{n},P{n},p{n}@northwind.example,Analyst {n % 50},Finance,{f'E{n // 5}' if n >= 5 else ''},"
                   f"London,G6,2020-01-01,\n" for n in range(1, ROWS + 1))
    org = f.organisation("Northwind")
    db.session.commit()
    run_id = imports.queue_import("big.csv", (header + rows).encode(), org).id

    with running_worker(stores.log("first")) as worker:
        wait_until(lambda: _run(run_id).processed >= 3000, "the first worker loaded some chunks", stores.log("first"),
                   timeout=180)
        kill(worker)
    db.session.rollback()
    killed = _run(run_id)
    assert killed.status == "running" and 3000 <= killed.processed < ROWS, (
        f"The run was {killed.status} at {killed.processed}/{ROWS} rows when its worker died; give it more rows."
    )
    assert _count() == killed.processed  # rows and progress were committed together
    assert _count(Employee.embedding_stale_since.is_not(None)) == killed.processed  # waiting for their vectors
    first_task = killed.task_id

    time.sleep(STALE_AFTER_SECONDS + 0.5)  # the dead worker's run now looks crashed
    with running_worker(stores.log("second")):
        assert enqueue("marketplace.embed_stale") is not None  # beat's sweep re-sends the crashed run
        wait_until(lambda: _run(run_id).is_finished, "the second worker finished the import", stores.log("second"),
                   timeout=360)

    run = _run(run_id)
    assert run.status == "succeeded", run.message
    assert run.attempts == 2 and run.task_id != first_task  # resumed by the sweep's re-send
    assert run.result["created"] == ROWS and run.result["managers_changed"] == ROWS - 4
    assert _count() == ROWS
    assert _count(Employee.embedding_stale_since.is_not(None)) == 0  # the sweep and the import embedded every row
