"""Voluntary equality monitoring: each person's own answers, and aggregates for the talent team.

The only module that reads ``demographic_self_id``. Every read is written to the audit log
(``demographics.read``) with who read, why, and whose answers or which aggregate, so the trail
shows each use; the log never holds the answers themselves.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Employee, Role, User
from marketplace.models.equality import QUESTIONS, DemographicSelfId
from marketplace.services import audit


@dataclasses.dataclass(frozen=True)
class Answers:
    """One person's answers; None is "not answered", ``prefer_not_to_say`` is an answer."""

    sex: str | None = None
    race_ethnicity: str | None = None
    age_band: str | None = None
    disability: str | None = None

    def answered(self) -> list[str]:
        """The questions with an answer (including "prefer not to say")."""
        return [name for name in QUESTIONS if getattr(self, name) is not None]


NOT_ANSWERED = Answers()


class InvalidAnswer(ValueError):
    """An answer outside the question's choices."""


def own_answers(employee: Employee, *, reader: User) -> Answers:
    """The person's own answers, for their own page; the read is logged."""
    audit.record("demographics.read", audit.reference(employee), payload={"scope": "own answers"},
                 actor=reader, role=Role.EMPLOYEE)
    row = db.session.get(DemographicSelfId, employee.id)
    db.session.commit()
    return _answers(row) if row is not None else NOT_ANSWERED


def save_answers(employee: Employee, answers: Answers, *, reader: User) -> None:
    """Store the person's answers (replacing any earlier ones) and log which questions were answered."""
    for name, enum_cls in QUESTIONS.items():
        value = getattr(answers, name)
        if value is not None and value not in enum_cls.values():
            raise InvalidAnswer(f"{value!r} is not an answer to {name}.")
    if not answers.answered():
        clear_answers(employee, reader=reader)
        return
    row = db.session.get(DemographicSelfId, employee.id) or DemographicSelfId(employee_id=employee.id)
    for name in QUESTIONS:
        setattr(row, name, getattr(answers, name))
    db.session.add(row)
    audit.record("demographics.update", audit.reference(employee), payload={"answered": answers.answered()},
                 actor=reader, role=Role.EMPLOYEE)
    db.session.commit()


def clear_answers(employee: Employee, *, reader: User) -> None:
    """Delete every answer the person gave."""
    db.session.execute(sa.delete(DemographicSelfId).where(DemographicSelfId.employee_id == employee.id))
    audit.record("demographics.clear", audit.reference(employee), payload={}, actor=reader, role=Role.EMPLOYEE)
    db.session.commit()


def answers_for(employee_ids: Iterable[int], *, purpose: str, subject: str, reader: User | None,
                details: dict | None = None) -> dict[int, Answers]:
    """Answers of these people for an aggregate report; the caller must publish only aggregates.

    The read is logged and committed before the answers are returned.
    """
    ids = sorted(set(employee_ids))
    rows = {}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):  # keep IN lists short
        query = sa.select(DemographicSelfId).where(DemographicSelfId.employee_id.in_(chunk))
        rows.update({row.employee_id: _answers(row) for row in db.session.scalars(query)})
    _log_aggregate_read(purpose, subject, reader, {"people": len(ids), **(details or {})})
    return {employee_id: rows.get(employee_id, NOT_ANSWERED) for employee_id in ids}


def response_counts(*, reader: User | None) -> dict[str, Counter]:
    """For each question, how many employees gave each answer; ``None`` counts those who did not answer."""
    employees = db.session.scalar(sa.select(sa.func.count(Employee.id))) or 0
    counts: dict[str, Counter] = {}
    for name in QUESTIONS:
        column = getattr(DemographicSelfId, name)
        rows = db.session.execute(sa.select(column, sa.func.count()).group_by(column)).all()
        counts[name] = Counter({value: n for value, n in rows if value is not None})
        counts[name][None] = employees - sum(counts[name].values())
    _log_aggregate_read("response counts", "employees:all", reader, {"people": employees})
    return counts


def _log_aggregate_read(purpose: str, subject: str, reader: User | None, details: dict) -> None:
    audit.record("demographics.read", subject, payload={"scope": "aggregate", "purpose": purpose, **details},
                 actor=reader, role=Role.TALENT if reader is not None else None)
    db.session.commit()


def _answers(row: DemographicSelfId) -> Answers:
    return Answers(**{name: getattr(row, name) for name in QUESTIONS})
