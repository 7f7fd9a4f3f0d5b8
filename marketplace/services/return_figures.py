"""What the talent team sees of returns: the reviews still missing, and the three parties' evaluations in aggregate.

Returns are secondments that ended with the secondee coming back: returned, or terminated early (an
extension continues the secondment). Every figure is one GROUP BY query over those returns, narrowed by
the period they ended in and the host department; a cell built from fewer than ``min_group`` ratings
is left out so that no one person's ratings can be read off the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.models import (
    Evaluation,
    EvaluationQuestion,
    EvaluationRating,
    Opportunity,
    ReturnReview,
    Secondment,
    SecondmentParty,
    SecondmentStatus,
)
from marketplace.models.returns import EVALUATING
from marketplace.services.returns import CAME_BACK

RATINGS = (1, 2, 3, 4, 5)
LAST_DAY = sa.func.coalesce(Secondment.ended_on, Secondment.end_date)


@dataclass(frozen=True)
class Criteria:
    """Which returns to count: ended from ``start`` to ``end`` (included; either may be open), by host department."""

    start: dt.date | None = None
    end: dt.date | None = None
    department_id: int | None = None


def returns(criteria: Criteria = Criteria()) -> sa.Select:
    """The returns (ended secondments the secondee came back from) that ``criteria`` takes in."""
    query = sa.select(Secondment).where(Secondment.status == SecondmentStatus.ENDED.value,
                                        Secondment.end_reason.in_(CAME_BACK))
    if criteria.start is not None:
        query = query.where(LAST_DAY >= criteria.start)
    if criteria.end is not None:
        query = query.where(LAST_DAY <= criteria.end)
    if criteria.department_id is not None:
        query = query.join(Opportunity, Secondment.opportunity_id == Opportunity.id).where(
            Opportunity.host_department_id == criteria.department_id)
    return query


# ------------------------------------------------------------------ returns without a review


@dataclass(frozen=True)
class UnreviewedReturn:
    """A return whose review is missing: the secondment, its last day, and how many days ago that was."""

    secondment: Secondment
    ended_on: dt.date
    days_since: int

    @classmethod
    def of(cls, secondment: Secondment, today: dt.date) -> UnreviewedReturn:
        last_day = secondment.ended_on or secondment.end_date
        return cls(secondment, last_day, (today - last_day).days)


def review_due_by(today: dt.date) -> dt.date:
    """The last day a return may have ended on for its review to be due by ``today`` (RETURN_REVIEW_DAYS before)."""
    return today - dt.timedelta(days=current_app.config["RETURN_REVIEW_DAYS"])


def without_review(today: dt.date, criteria: Criteria = Criteria()) -> sa.Select:
    """Returns whose review is due by ``today`` and missing; order by ``OLDEST_FIRST``."""
    reviewed = sa.select(ReturnReview.secondment_id)
    return returns(criteria).where(LAST_DAY <= review_due_by(today), Secondment.id.not_in(reviewed))


OLDEST_FIRST = (LAST_DAY, Secondment.id)
# what a list of them shows: who, the secondment, and the home manager who holds the review
LISTED = (selectinload(Secondment.employee), selectinload(Secondment.opportunity),
          selectinload(Secondment.home_manager))


def unreviewed_page(today: dt.date, criteria: Criteria, *, page: int, per_page: int
                    ) -> tuple[Pagination, list[UnreviewedReturn]]:
    """One page of the returns without a review, oldest first, and its rows."""
    pagination = db.paginate(without_review(today, criteria).options(*LISTED).order_by(*OLDEST_FIRST),
                             page=page, per_page=per_page, error_out=False)
    return pagination, [UnreviewedReturn.of(s, today) for s in pagination.items]


# ------------------------------------------------------------------ evaluations in aggregate


@dataclass(frozen=True)
class Cell:
    """One party's ratings of one statement: how many, and (unless suppressed) the mean and the count at 1..5."""

    party: SecondmentParty
    ratings: int
    suppressed: bool
    mean: float | None
    distribution: tuple[int, ...] | None  # counts of 1, 2, 3, 4, 5

    @classmethod
    def of(cls, party: SecondmentParty, counts: dict[int, int], min_group: int) -> Cell:
        """The cell from ``counts`` (rating -> how many); below ``min_group`` ratings only the fact is kept."""
        n = sum(counts.values())
        if n < min_group:
            return cls(party, n, True, None, None)
        return cls(party, n, False, sum(r * c for r, c in counts.items()) / n, tuple(counts.get(r, 0) for r in RATINGS))


@dataclass(frozen=True)
class StatementFigures:
    question: EvaluationQuestion
    cells: list[Cell]  # one per party, in EVALUATING order


def evaluation_figures(criteria: Criteria = Criteria(), *, min_group: int) -> list[StatementFigures]:
    """Each statement's ratings by party, from one GROUP BY (party, question, rating) over the returns taken in."""
    taken_in = returns(criteria).with_only_columns(Secondment.id)
    rows = db.session.execute(
        sa.select(Evaluation.party, EvaluationRating.question, EvaluationRating.rating, sa.func.count())
        .join(EvaluationRating, EvaluationRating.evaluation_id == Evaluation.id)
        .where(Evaluation.secondment_id.in_(taken_in))
        .group_by(Evaluation.party, EvaluationRating.question, EvaluationRating.rating)
    )
    counts: dict[tuple[str, str], dict[int, int]] = {}
    for party, question, rating, n in rows:
        counts.setdefault((party, question), {})[rating] = n
    return [
        StatementFigures(question, [Cell.of(party, counts.get((party.value, question.value), {}), min_group)
                                    for party in EVALUATING])
        for question in EvaluationQuestion
    ]


# ------------------------------------------------------------------ response rates


@dataclass(frozen=True)
class PartyResponse:
    """How many returns a party could evaluate, and how many evaluations they gave."""

    party: SecondmentParty
    expected: int
    received: int

    @property
    def rate(self) -> float | None:
        return self.received / self.expected if self.expected else None


@dataclass(frozen=True)
class ResponseRates:
    ended: int  # returns taken in
    parties: list[PartyResponse]
    reviews_held: int
    reviews_overdue: int  # missing, RETURN_REVIEW_DAYS or more after the last day
    reviews_not_yet_due: int  # missing, still within RETURN_REVIEW_DAYS

    @property
    def reviews_due(self) -> int:
        """Reviews held, plus those missing past their due day."""
        return self.reviews_held + self.reviews_overdue


def response_rates(today: dt.date, criteria: Criteria = Criteria()) -> ResponseRates:
    """Evaluations received per party and return reviews held, against the returns taken in (two queries)."""
    taken_in = returns(criteria).subquery()
    reviewed = sa.exists().where(ReturnReview.secondment_id == taken_in.c.id)
    last_day = sa.func.coalesce(taken_in.c.ended_on, taken_in.c.end_date)
    ended, with_home_manager, held, overdue = db.session.execute(sa.select(
        sa.func.count(),
        sa.func.count(taken_in.c.home_manager_id),
        sa.func.count().filter(reviewed),
        sa.func.count().filter(~reviewed, last_day <= review_due_by(today)),
    ).select_from(taken_in)).one()
    received = dict(db.session.execute(
        sa.select(Evaluation.party, sa.func.count())
        .where(Evaluation.secondment_id.in_(sa.select(taken_in.c.id)))
        .group_by(Evaluation.party)
    ).all())
    # nobody evaluates as the home manager of a secondment that has none on record
    expected = {SecondmentParty.HOME_MANAGER: with_home_manager}
    return ResponseRates(
        ended=ended,
        parties=[PartyResponse(p, expected.get(p, ended), received.get(p.value, 0)) for p in EVALUATING],
        reviews_held=held, reviews_overdue=overdue, reviews_not_yet_due=ended - held - overdue,
    )
