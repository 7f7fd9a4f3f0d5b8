"""The demo's voluntary equality answers: most people answered, some declined, some never answered."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Employee
from marketplace.models.equality import QUESTIONS, DemographicSelfId
from tests.test_demo import seeded  # noqa: F401  (the demo, seeded once for this module)


def test_most_demo_people_answered_and_every_kind_of_answer_occurs(seeded):  # noqa: F811
    employees = db.session.scalar(sa.select(sa.func.count(Employee.id)))
    rows = db.session.scalars(sa.select(DemographicSelfId)).all()
    assert 0.8 * employees <= len(rows) < employees  # some people never answered
    for name, enum_cls in QUESTIONS.items():
        answers = Counter(getattr(row, name) for row in rows)
        assert answers["prefer_not_to_say"] > 0 and answers[None] > 0, name
        assert len([a for a in answers if a not in (None, "prefer_not_to_say")]) >= 2, name


def test_the_demo_answers_are_the_same_on_every_run(seeded):  # noqa: F811
    from marketplace.services.demo.equality import seed_equality_answers
    from marketplace.services.demo.plan import SEED

    before = {(r.employee_id, r.sex, r.race_ethnicity, r.age_band, r.disability)
              for r in db.session.scalars(sa.select(DemographicSelfId))}
    db.session.execute(sa.delete(DemographicSelfId))
    seed_equality_answers(SEED)
    after = {(r.employee_id, r.sex, r.race_ethnicity, r.age_band, r.disability)
             for r in db.session.scalars(sa.select(DemographicSelfId))}
    db.session.rollback()
    assert before == after
