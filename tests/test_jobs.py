"""Long jobs: the talent team sees their progress while they run and their outcome afterwards."""

from __future__ import annotations

import datetime as dt

from marketplace.clock import utcnow
from marketplace.cli_jobs import jobs_status_command
from marketplace.extensions import db
from marketplace.models import JobKind, JobRun, Role
from marketplace.services import jobs
from tests import factories as f


def _run(status: str = "running", **fields) -> JobRun:
    run = JobRun(kind=JobKind.IMPORT_EMPLOYEES.value, label="hris-2026-11.csv", status=status, **fields)
    db.session.add(run)
    db.session.commit()
    return run


def test_talent_sees_a_running_import_with_its_progress(client):
    run = _run(total=100_000, processed=25_000, rejected=12, stage="Loading rows")
    f.login(client, f.user(Role.TALENT))
    page = client.get("/jobs/").get_data(as_text=True)
    assert "hris-2026-11.csv" in page
    assert 'value="25"' in page  # the progress element
    assert "25,000 of 100,000 (25%)" in page and "12 rejected" in page
    detail = client.get(f"/jobs/{run.id}").get_data(as_text=True)
    assert "Loading rows" in detail
    assert f'data-poll="/jobs/{run.id}/progress"' in detail


def test_progress_json_follows_the_run(client):
    run = _run(status="queued", total=200)
    run = jobs.claim(run.id, stage="Loading rows", stale_after=dt.timedelta(minutes=5))
    jobs.checkpoint(run, processed=50)
    db.session.commit()
    f.login(client, f.user(Role.ADMIN))
    assert client.get(f"/jobs/{run.id}/progress").json["percent"] == 25
    jobs.checkpoint(run, processed=200, rejected=3, status="succeeded", stage=None, finished_at=utcnow(),
                    message="Imported 197 employees; 3 rows rejected.", result={"created": 197, "rejected": 3})
    db.session.commit()
    body = client.get(f"/jobs/{run.id}/progress").json
    assert body["finished"] and body["percent"] == 100 and body["rejected"] == 3
    assert body["message"] == "Imported 197 employees; 3 rows rejected."


def test_a_finished_run_keeps_its_outcome_and_stops_polling(client):
    run = _run(status="succeeded", total=10, processed=10, message="Done: 10 vectors.", result={"embedded": 10})
    f.login(client, f.user(Role.TALENT))
    page = client.get(f"/jobs/{run.id}").get_data(as_text=True)
    assert "Done: 10 vectors." in page and "Embedded" in page
    assert "data-poll" not in page


def test_unknown_run_is_404(client):
    f.login(client, f.user(Role.TALENT))
    assert client.get("/jobs/999/progress").status_code == 404


def test_failing_a_run_keeps_the_reason_even_after_the_job_rolled_back(app):
    run = _run()
    run.processed = 99  # unsaved work of the failed job
    jobs.fail(run.id, "The file is not UTF-8.")
    db.session.expire_all()
    run = db.session.get(JobRun, run.id)
    assert run.status == "failed" and run.processed == 0 and run.message == "The file is not UTF-8."


def test_status_command_lists_unfinished_and_failed_runs(app, runner):
    _run(status="queued", message=jobs.WAITING_FOR_BROKER)
    _run(status="failed", message="The file is not UTF-8.", finished_at=utcnow())
    _run(status="failed", message="Long ago.", finished_at=utcnow() - dt.timedelta(days=30))
    _run(status="succeeded", finished_at=utcnow())
    result = runner.invoke(jobs_status_command)
    assert result.exit_code == 0, result.output
    assert "1 queued or running, 1 failed in the last 7 days." in result.output
    assert "Waiting for the task broker" in result.output and "not UTF-8" in result.output
    assert "Long ago" not in result.output
