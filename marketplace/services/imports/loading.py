"""Writing valid rows: departments and skills resolved, employees inserted, or updated only when they changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

import sqlalchemy as sa

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import Department, Employee, EmployeeSkill, ImportIssue, IssueSeverity, normalise_label
from marketplace.services.catalogue import skill_by_label
from marketplace.services.imports.logins import follow_email_changes
from marketplace.services.imports.reading import FileScan, Record
from marketplace.services.imports.rows import EmployeeRow, Issue, parse_row

# the columns an import owns; summary, availability and goals stay the employee's own
_FIELDS = ("name", "email", "job_title", "department_id", "location", "grade", "start_date")


@dataclass
class Counts:
    """Running totals of an import, kept in the run's params so a resumed run carries on counting."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: int = 0
    departments_created: int = 0
    managers_changed: int = 0
    logins_changed: int = 0  # sign-in e-mails that followed the HRIS
    new_vectors: int = 0

    @classmethod
    def from_dict(cls, data: dict | None) -> Counts:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class Resolver:
    """Departments of the importing organisation and catalogue skills, each name looked up once per run."""

    def __init__(self, organisation_id: int, created_departments: list[str] | None = None):
        self.organisation_id = organisation_id
        rows = db.session.execute(
            sa.select(Department.name, Department.id).where(Department.organisation_id == organisation_id)
        )
        self._departments = {normalise_label(name): dept_id for name, dept_id in rows}
        self._skills: dict[str, tuple[int, str] | None] = {}
        self.created_departments: list[str] = list(created_departments or [])  # by earlier attempts too

    def department_id(self, name: str) -> int:
        """The department of that name (any case), created when the organisation has none yet."""
        key = normalise_label(name)
        if key not in self._departments:
            department = Department(name=name, organisation_id=self.organisation_id)
            db.session.add(department)
            db.session.flush()
            self._departments[key] = department.id
            self.created_departments.append(name)
        return self._departments[key]

    def skill(self, label: str) -> tuple[int, str] | None:
        """(id, preferred name) of the catalogue skill with that label or alias, or None."""
        key = normalise_label(label)
        if key not in self._skills:
            skill = skill_by_label(label)
            self._skills[key] = (skill.id, skill.name) if skill else None
        return self._skills[key]

    def skill_names(self, row: EmployeeRow) -> list[str]:
        """Preferred names of the row's skills that the catalogue knows."""
        return [found[1] for label, _ in row.skills if (found := self.skill(label))]


def accepted_rows(records: Iterable[Record], scan: FileScan) -> Iterable[tuple[EmployeeRow | None, list[Issue]]]:
    """Each record parsed, with the rows that repeat a number or e-mail of another row refused."""
    for record in records:
        row, issues = parse_row(record)
        if row is None:
            yield None, issues
            continue
        for column, repeats, value in (
            ("employee_number", scan.repeated_numbers, row.employee_number),
            ("email", scan.repeated_emails, row.email),
        ):
            if value in repeats:
                shown = ", ".join(str(n) for n in repeats[value][:5]) + (" …" if len(repeats[value]) > 5 else "")
                issues.append(Issue(row.row_number, row.employee_number, column, IssueSeverity.REJECTED,
                                    f"“{value}” appears on rows {shown}; each must appear once."))
        yield (None if issues else row), issues


def write_chunk(run_id: int, chunk: list[tuple[EmployeeRow | None, list[Issue]]], resolver: Resolver,
                counts: Counts, *, stale_mark: dt.datetime) -> None:
    """Insert new employees, update changed ones, record every issue; the caller commits.

    Rows whose profile texts (job title, skills) change are marked stale with ``stale_mark``, so
    the run that embeds their texts may clear exactly those marks; a row whose earlier change is
    still waiting gets a newer mark instead, so it stays for the sweep, which embeds all its texts.
    """
    issues = [issue for _, row_issues in chunk for issue in row_issues]
    rows = _without_taken_emails([row for row, _ in chunk if row is not None], issues)
    now = utcnow()
    existing = _existing(rows)
    inserts, updates, skill_inserts, skill_updates, new_skills = [], [], [], [], {}
    restale, new_emails = [], {}
    for row in rows:
        skills = _resolved_skills(row, resolver, issues)
        values = {
            "name": row.name, "email": row.email, "job_title": row.job_title,
            "department_id": resolver.department_id(row.department), "location": row.location,
            "grade": row.grade, "start_date": row.start_date,
        }
        current = existing.get(row.employee_number)
        if current is None:
            inserts.append({"employee_number": row.employee_number, "updated_at": now,
                            "embedding_stale_since": stale_mark, **values})
            new_skills[row.employee_number] = skills
            continue
        employee_id, current_values, current_skills = current
        added = [{"employee_id": employee_id, "skill_id": s, "level": lvl} for s, lvl in skills.items()
                 if s not in current_skills]
        changed = [{"employee_id": employee_id, "skill_id": s, "level": lvl} for s, lvl in skills.items()
                   if s in current_skills and current_skills[s] != lvl]
        if current_values == values and not added and not changed:
            counts.unchanged += 1
            continue
        updates.append({"id": employee_id, "updated_at": now, **values})
        if added or current_values["job_title"] != row.job_title:  # levels are not in the texts
            restale.append(employee_id)
        if current_values["email"].lower() != row.email:
            new_emails[employee_id] = row
        skill_inserts += added
        skill_updates += changed
        counts.updated += 1
    if inserts:
        created = db.session.execute(sa.insert(Employee).returning(Employee.id, Employee.employee_number), inserts)
        for employee_id, number in created:
            skill_inserts += [{"employee_id": employee_id, "skill_id": s, "level": lvl}
                              for s, lvl in new_skills[number].items()]
        counts.created += len(inserts)
    if updates:
        db.session.execute(sa.update(Employee), updates)
    if restale:
        _mark_stale(restale, stale_mark, now)
    if new_emails:
        counts.logins_changed += follow_email_changes(new_emails, issues, run_id)
    if skill_inserts:
        db.session.execute(sa.insert(EmployeeSkill), skill_inserts)
    if skill_updates:
        db.session.execute(sa.update(EmployeeSkill), skill_updates)
    record_issues(run_id, issues, counts)
    counts.rows += len(chunk)
    counts.rejected += len(chunk) - len(rows)


def _mark_stale(employee_ids: list[int], stale_mark: dt.datetime, now: dt.datetime) -> None:
    """Mark these employees' texts stale: with the run's mark, or a newer one when a change was already waiting."""
    bumped = max(now, stale_mark + dt.timedelta(microseconds=1))  # never the run's mark: not its to clear
    db.session.execute(
        sa.update(Employee)
        .where(Employee.id.in_(employee_ids))
        .values(embedding_stale_since=sa.case((Employee.embedding_stale_since.is_(None), stale_mark), else_=bumped))
        .execution_options(synchronize_session=False)
    )


def record_issues(run_id: int, issues: list[Issue], counts: Counts) -> None:
    """Store the issues and count the warnings among them; the caller commits."""
    if issues:
        db.session.execute(sa.insert(ImportIssue), [issue.as_row(run_id) for issue in issues])
    counts.warnings += sum(1 for issue in issues if issue.severity == IssueSeverity.WARNING)


def _without_taken_emails(rows: list[EmployeeRow], issues: list[Issue]) -> list[EmployeeRow]:
    """Refuse rows whose e-mail already belongs to another employee (e-mails are unique)."""
    if not rows:
        return rows
    owners = dict(
        db.session.execute(
            sa.select(sa.func.lower(Employee.email), Employee.employee_number).where(
                sa.func.lower(Employee.email).in_([row.email for row in rows])
            )
        ).all()
    )
    kept = []
    for row in rows:
        owner = owners.get(row.email)
        if owner is not None and owner != row.employee_number:
            issues.append(Issue(row.row_number, row.employee_number, "email", IssueSeverity.REJECTED,
                                f"{row.email} already belongs to employee {owner}."))
        else:
            kept.append(row)
    return kept


def _existing(rows: list[EmployeeRow]) -> dict[str, tuple[int, dict, dict[int, int]]]:
    """Stored employees of these rows: number -> (id, imported columns, {skill id: level})."""
    if not rows:
        return {}
    columns = [getattr(Employee, name) for name in _FIELDS]
    found = db.session.execute(
        sa.select(Employee.id, Employee.employee_number, *columns).where(
            Employee.employee_number.in_([row.employee_number for row in rows])
        )
    ).all()
    skills: dict[int, dict[int, int]] = {row.id: {} for row in found}
    if found:
        for employee_id, skill_id, level in db.session.execute(
            sa.select(EmployeeSkill.employee_id, EmployeeSkill.skill_id, EmployeeSkill.level).where(
                EmployeeSkill.employee_id.in_(list(skills))
            )
        ):
            skills[employee_id][skill_id] = level
    return {
        row.employee_number: (row.id, {name: getattr(row, name) for name in _FIELDS}, skills[row.id])
        for row in found
    }


def _resolved_skills(row: EmployeeRow, resolver: Resolver, issues: list[Issue]) -> dict[int, int]:
    """Skill id -> level; an unknown skill is a warning, not a silent loss, and the row still loads."""
    skills: dict[int, int] = {}
    for label, level in row.skills:
        found = resolver.skill(label)
        if found is None:
            issues.append(Issue(row.row_number, row.employee_number, "skills", IssueSeverity.WARNING,
                                f"“{label}” is not a skill or alias in the catalogue; imported without it."))
        elif found[0] in skills:
            kept = max(level, skills[found[0]])
            issues.append(Issue(row.row_number, row.employee_number, "skills", IssueSeverity.WARNING,
                                f"{found[1]} is listed twice (as “{label}” too); kept level {kept}."))
            skills[found[0]] = kept
        else:
            skills[found[0]] = level
    return skills
