"""An employee import from upload to outcome: load rows in chunks, link managers, embed the profiles.

Each chunk is written in one transaction together with the run's progress, so a run that stops
(a worker lost, a retry) resumes after the last chunk it committed, and a file imported twice
changes nothing the second time.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Callable, Iterator

import sqlalchemy as sa

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import (
    Employee,
    ImportFile,
    ImportFormat,
    ImportIssue,
    IssueSeverity,
    JobKind,
    JobRun,
    JobStatus,
    Organisation,
    User,
)
from marketplace.services import embedding, jobs
from marketplace.services.imports.loading import Counts, Resolver, accepted_rows, record_issues, write_chunk
from marketplace.services.imports.managers import ManagerLink, plan_links
from marketplace.services.imports.reading import FileProblem, FileScan, decode, guess_format, records, scan_file
from marketplace.services.imports.rows import EmployeeRow

CHUNK = 1000
STAGES = {
    "load": "Loading rows (step 1 of 3)",
    "link": "Linking managers (step 2 of 3)",
    "embed": "Embedding profiles (step 3 of 3)",
}

# Called after every committed step with the stage label, items done and items in this stage.
Progress = Callable[[str, int, int | None], None]


def store_upload(filename: str, content: bytes, organisation: Organisation, *, fmt: ImportFormat | None = None,
                 user: User | None = None) -> JobRun:
    """Check the whole file and record a queued run that keeps it in the database; raises FileProblem."""
    fmt = fmt or guess_format(filename, content)
    scan = scan_file(decode(content), fmt)
    run = JobRun(
        kind=JobKind.IMPORT_EMPLOYEES.value, label=filename[:300], total=scan.rows, created_by=user,
        params={"organisation_id": organisation.id, "format": fmt.value},
    )
    db.session.add(run)
    db.session.flush()
    db.session.add(ImportFile(run_id=run.id, filename=filename[:300], format=fmt.value, size=len(content),
                              content=zlib.compress(content, 6)))
    db.session.commit()
    return run


def queue_import(filename: str, content: bytes, organisation: Organisation, *, fmt: ImportFormat | None = None,
                 user: User | None = None) -> JobRun:
    """Store the file and send the run to the workers (it waits, noted on the run, if no broker answers)."""
    run = store_upload(filename, content, organisation, fmt=fmt, user=user)
    jobs.send(run)
    return run


def run_import(run_id: int, *, progress: Progress | None = None) -> JobRun | None:
    """Carry out (or resume) the run; None when it is finished or another worker has it, so a repeat does nothing.

    The run is claimed first, and every step is written with the claim's attempt as a fence: a
    worker presumed dead that wakes up stops at its next chunk instead of writing over its successor.
    """
    run = jobs.claim(run_id, stage=STAGES["load"], stale_after=embedding.stale_after())
    if run is None:
        return None
    try:
        _run(run, progress or (lambda stage, done, total: None))
    except jobs.LostClaim:
        return None
    except Exception as error:  # give the run back for the task's retry (or the sweep's re-send)
        jobs.release(run, str(error) or repr(error))
        raise
    return run


def _run(run: JobRun, report: Progress) -> None:
    """The stages of a claimed run, from the one it stopped in."""
    stored = db.session.get(ImportFile, run.id)
    if stored is None:
        jobs.fail(run.id, "The uploaded file is no longer stored; upload it again.")
        return
    try:
        text = decode(zlib.decompress(stored.content))
        scan = scan_file(text, ImportFormat(stored.format))
    except FileProblem as problem:
        jobs.fail(run.id, str(problem))
        return
    state = dict(run.params.get("progress") or {"stage": "load", "rows_done": 0})
    counts = Counts.from_dict(state.get("counts"))
    resolver = Resolver(run.params["organisation_id"], state.get("new_departments"))
    jobs.checkpoint(run, stage=STAGES[state["stage"]], **({"total": scan.rows} if state["stage"] == "load" else {}))
    db.session.commit()

    texts: list[str] | None = None
    if state["stage"] == "load":
        _load_rows(run, text, scan, state, counts, resolver, report)
    if state["stage"] == "link":
        texts = _link_managers(run, text, scan, state, counts, resolver, report)
    if texts is None:
        texts = _collect(text, scan, run.id, resolver)[1]
    counts.new_vectors += _embed(run, texts, report)
    _finish(run, scan, counts, state)


def _params(run: JobRun, state: dict, counts: Counts, resolver: Resolver) -> dict:
    """The run's params with its resume point (a new dict, so the JSON column is written)."""
    state.update(counts=counts.as_dict(), new_departments=resolver.created_departments)
    return {**run.params, "progress": dict(state)}


def _load_rows(run: JobRun, text: str, scan: FileScan, state: dict, counts: Counts, resolver: Resolver,
               report: Progress) -> None:
    done = state["rows_done"]
    report(STAGES["load"], done, scan.rows)
    todo = itertools.islice(records(text, scan.format), done, None)
    for chunk in _batched(accepted_rows(todo, scan), CHUNK):
        write_chunk(run.id, chunk, resolver, counts, stale_mark=run.started_at)
        done += len(chunk)
        state["rows_done"] = done
        jobs.checkpoint(run, params=_params(run, state, counts, resolver), processed=done, rejected=counts.rejected)
        db.session.commit()
        report(STAGES["load"], done, scan.rows)
    state["stage"] = "link"
    jobs.checkpoint(run, params=_params(run, state, counts, resolver), processed=0, total=None, stage=STAGES["link"])
    db.session.commit()


def _link_managers(run: JobRun, text: str, scan: FileScan, state: dict, counts: Counts, resolver: Resolver,
                   report: Progress) -> list[str]:
    """Apply every manager link of the file in chunks; returns the profile texts to embed."""
    report(STAGES["link"], 0, None)
    links, texts = _collect(text, scan, run.id, resolver)
    changes, issues = plan_links(links)
    # a resumed run plans again: replace the warnings of the earlier attempt rather than repeat them
    db.session.execute(sa.delete(ImportIssue).where(ImportIssue.run_id == run.id,
                                                    ImportIssue.field == "manager_number",
                                                    ImportIssue.severity == IssueSeverity.WARNING.value))
    record_issues(run.id, issues, Counts())
    jobs.checkpoint(run, processed=0, total=len(changes))
    db.session.commit()
    report(STAGES["link"], 0, len(changes))
    items = list(changes.items())
    for start in range(0, len(items), CHUNK):
        now = utcnow()
        part = items[start:start + CHUNK]
        db.session.execute(sa.update(Employee), [{"id": e, "manager_id": m, "updated_at": now} for e, m in part])
        counts.managers_changed += len(part)
        jobs.checkpoint(run, params=_params(run, state, counts, resolver), processed=start + len(part))
        db.session.commit()
        report(STAGES["link"], start + len(part), len(items))
    state["stage"] = "embed"
    jobs.checkpoint(run, params=_params(run, state, counts, resolver))
    db.session.commit()
    return texts


def _collect(text: str, scan: FileScan, run_id: int, resolver: Resolver) -> tuple[list[ManagerLink], list[str]]:
    """Manager links and profile texts (job titles, skill names) of the rows this run imported."""
    refused = set(db.session.scalars(sa.select(ImportIssue.row_number).where(
        ImportIssue.run_id == run_id, ImportIssue.severity == IssueSeverity.REJECTED.value)))
    links, texts = [], {}
    for row in _imported(text, scan, refused):
        links.append(ManagerLink(row.row_number, row.employee_number, row.manager_number))
        texts[row.job_title] = None
        texts.update(dict.fromkeys(resolver.skill_names(row)))
    return links, list(texts)


def _imported(text: str, scan: FileScan, refused: set[int]) -> Iterator[EmployeeRow]:
    for row, _ in accepted_rows(records(text, scan.format), scan):
        if row is not None and row.row_number not in refused:
            yield row


def _embed(run: JobRun, texts: list[str], report: Progress) -> int:
    """Embed the texts not cached yet (none when the same file comes again); returns how many were new.

    Then the stale marks this run set are cleared, so the sweep does not embed its rows a second
    time. A row this run marked carries the run's start as its mark, and only a row that had no
    change waiting marks so (see `write_chunk`): every text of it is now stored. A row edited
    since carries a newer mark, and stays stale for its own task or the sweep.
    """
    jobs.checkpoint(run, processed=0, total=len(texts), stage=STAGES["embed"])
    db.session.commit()
    report(STAGES["embed"], 0, len(texts))
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        jobs.checkpoint(run, processed=done)
        db.session.commit()
        report(STAGES["embed"], done, len(texts))

    new = embedding.embed_texts(texts, progress=step)
    jobs.checkpoint(run)  # still ours: a successor would clear the marks itself
    db.session.execute(
        sa.update(Employee)
        .where(Employee.embedding_stale_since == run.started_at)
        .values(embedding_stale_since=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return new


def _finish(run: JobRun, scan: FileScan, counts: Counts, state: dict) -> None:
    """Record the outcome, counted from what was stored, and drop the file: its rows now live in the tables."""
    counts.rejected = db.session.scalar(sa.select(sa.func.count(sa.distinct(ImportIssue.row_number))).where(
        ImportIssue.run_id == run.id, ImportIssue.severity == IssueSeverity.REJECTED.value)) or 0
    counts.warnings = db.session.scalar(sa.select(sa.func.count(ImportIssue.id)).where(
        ImportIssue.run_id == run.id, ImportIssue.severity == IssueSeverity.WARNING.value)) or 0
    departments = state.get("new_departments") or []
    counts.departments_created = len(departments)
    now = utcnow()
    jobs.checkpoint(
        run, status=JobStatus.SUCCEEDED.value, stage=None, processed=counts.rows, total=counts.rows,
        rejected=counts.rejected, result=counts.as_dict(), finished_at=now, heartbeat_at=now,
        message=_summary(counts, departments, scan.ignored_columns),
    )
    db.session.execute(sa.delete(ImportFile).where(ImportFile.run_id == run.id))
    db.session.commit()


def _summary(counts: Counts, departments: list[str], ignored_columns: list[str]) -> str:
    """The outcome in one paragraph a person can act on."""
    text = (
        f"Read {counts.rows:,} rows: {counts.created:,} employees created, {counts.updated:,} updated, "
        f"{counts.unchanged:,} unchanged, {counts.rejected:,} rejected; {counts.warnings:,} warnings."
    )
    if counts.logins_changed:
        text += f" Sign-in e-mails changed to follow the HRIS: {counts.logins_changed:,}."
    if departments:
        shown = ", ".join(departments[:10]) + (f" and {len(departments) - 10} more" if len(departments) > 10 else "")
        text += f" New departments: {shown}."
    if ignored_columns:
        text += f" Columns ignored: {', '.join(ignored_columns)}."
    return text


def _batched(items, size: int):
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
