"""Voluntary equality answers for the demo people, so the fairness report has groups to compare.

Deterministic (its own seeded generator, so the rest of the demo plan is unchanged). About one
person in ten leaves every question unanswered, some answer "prefer not to say", and a few skip
a single question, as real monitoring forms come back.
"""

from __future__ import annotations

import random

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Employee
from marketplace.models.equality import PREFER_NOT_TO_SAY, DemographicSelfId

# (answer, weight) per question; loosely a UK office workforce, with every category present.
WEIGHTS: dict[str, list[tuple[str, float]]] = {
    "sex": [("female", 47), ("male", 46), ("another", 2), (PREFER_NOT_TO_SAY, 5)],
    "race_ethnicity": [("white", 58), ("asian", 13), ("black", 8), ("hispanic_latino", 5), ("two_or_more", 6),
                       ("pacific_islander", 1), ("native_american", 1), (PREFER_NOT_TO_SAY, 8)],
    "age_band": [("under_25", 9), ("25_39", 42), ("40_54", 33), ("55_plus", 12), (PREFER_NOT_TO_SAY, 4)],
    "disability": [("no", 78), ("yes", 12), (PREFER_NOT_TO_SAY, 10)],
}
NEVER_ANSWERED = 0.10
SKIPPED_QUESTION = 0.04


def seed_equality_answers(seed: int) -> int:
    """Add answers for most demo employees (the caller commits); returns how many people answered."""
    rng = random.Random(f"equality-{seed}")
    employees = db.session.scalars(sa.select(Employee.id).order_by(Employee.employee_number)).all()
    answered = 0
    for employee_id in employees:
        if rng.random() < NEVER_ANSWERED:
            continue
        answers = {
            name: None if rng.random() < SKIPPED_QUESTION else rng.choices(*zip(*options))[0]
            for name, options in WEIGHTS.items()
        }
        db.session.add(DemographicSelfId(employee_id=employee_id, **answers))
        answered += 1
    db.session.flush()
    return answered
