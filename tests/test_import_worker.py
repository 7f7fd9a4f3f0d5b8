"""Real worker processes import a queued file, and one killed mid-import leaves a run the next one finishes."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace import create_app
from marketplace.cli_imports import import_employees_command
from marketplace.extensions import db
from marketplace.models import Employee, JobRun
from marketplace.services import imports, jobs
from tests import factories as f
from tests.test_worker import running_worker, worker_env  # noqa: F401  (fixture)

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


@pytest.mark.real_model  # the worker embeds with the real model
@pytest.mark.timeout(300)
def test_background_import_is_done_by_a_worker_and_followed_in_the_cli(worker_env, tmp_path):  # noqa: F811
    app = create_app({"TESTING": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        f.organisation("Northwind")
        db.session.commit()
        log_path = tmp_path / "worker.log"
        with running_worker(log_path):
            result = app.test_cli_runner().invoke(
                import_employees_command, [str(EXAMPLES / "employees-with-errors.csv"), "--background"]
            )
        assert result.exit_code == 0, f"{result.output}\n--- worker log ---\n{log_path.read_text()[-3000:]}"
        assert "Read 10 rows: 5 employees created" in result.output


def _wait_for(check, timeout: float, what: str, log_path: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        value = check()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}\n--- worker log ---\n{log_path.read_text()[-3000:]}")


@pytest.mark.real_model
@pytest.mark.timeout(420)
def test_a_worker_killed_mid_import_leaves_a_run_the_next_worker_finishes(worker_env, tmp_path):  # noqa: F811
    header = "employee_number,name,email,job_title,department,manager_number,location,grade,start_date,skills\n"
    rows = "".join(f"E{n},P{n},p{n}@northwind.example,Analyst,Finance,{f'E{n // 5}' if n >= 5 else ''},"
                   f"London,G6,2020-01-01,\n" for n in range(1, 20_001))
    app = create_app({"TESTING": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        org = f.organisation("Northwind")
        db.session.commit()
        run_id = imports.queue_import("big.csv", (header + rows).encode(), org).id

        first_log = tmp_path / "first-worker.log"
        with running_worker(first_log) as proc:
            _wait_for(lambda: db.session.get(JobRun, run_id).processed >= 3000, 180, "the first chunks", first_log)
            os.killpg(proc.pid, signal.SIGKILL)  # the machine dies mid-import: no clean shutdown
            proc.wait(10)
        run = db.session.get(JobRun, run_id)
        assert run.status == "running" and 3000 <= run.processed < 20_000
        stopped_at = db.session.scalar(sa.select(sa.func.count(Employee.id)))
        assert stopped_at == run.processed  # rows and progress were committed together

        jobs.send(run)  # an operator (or a sweep of stuck runs) queues it again
        second_log = tmp_path / "second-worker.log"
        with running_worker(second_log):
            _wait_for(lambda: db.session.get(JobRun, run_id).is_finished, 360, "the resumed run", second_log)
        run = db.session.get(JobRun, run_id)
        assert run.status == "succeeded", run.message
        assert run.attempts == 2
        assert run.result["created"] == 20_000 and run.result["managers_changed"] == 19_996
        assert db.session.scalar(sa.select(sa.func.count(Employee.id))) == 20_000
