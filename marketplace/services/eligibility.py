"""Hard eligibility rules, checked before anyone is ranked; each failure gives its reason."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import sqlalchemy as sa

from marketplace.clock import today
from marketplace.models import Employee, Opportunity, OpportunityType
from marketplace.models.employee import whole_months
from marketplace.services import secondments


@dataclass(frozen=True)
class Failure:
    """One broken rule: a short group to count people by, and the sentence shown to them."""

    group: str
    message: str


@dataclass(frozen=True)
class Eligibility:
    """Whether one person may be considered for one secondment, and if not, why."""

    failures: tuple[Failure, ...] = field(default=())

    @property
    def eligible(self) -> bool:
        return not self.failures

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(f.message for f in self.failures)


class PersonFacts(NamedTuple):
    """The columns the rules read, so a whole pool can be checked without loading every Employee."""

    id: int
    department_id: int
    location: str
    grade: str
    start_date: dt.date
    available_from: dt.date | None
    available_until: dt.date | None
    capacity_percent: int

    def months_of_service(self, on: dt.date) -> int:
        return whole_months(self.start_date, on)


FACT_COLUMNS = tuple(getattr(Employee, name) for name in PersonFacts._fields)


def pool_facts(where: Iterable[sa.ColumnElement] = ()) -> list[PersonFacts]:
    """The rule-relevant columns of every employee (narrowed by ``where``), without ORM objects."""
    from marketplace.extensions import db

    return [PersonFacts(*row) for row in db.session.execute(sa.select(*FACT_COLUMNS).where(*where))]


@dataclass(frozen=True)
class _Rules:
    """One opportunity's rules, read once however many people are checked."""

    opportunity: Opportunity
    on: dt.date
    grades: frozenset[str]
    departments: frozenset[int]

    @classmethod
    def of(cls, opportunity: Opportunity, on: dt.date | None) -> _Rules:
        return cls(
            opportunity, on or today(),
            frozenset(g.grade for g in opportunity.eligible_grades),
            frozenset(d.id for d in opportunity.eligible_departments),
        )


def check(
    employee: Employee | PersonFacts, opportunity: Opportunity, *, on: dt.date | None = None,
    seconded: bool | None = None,
) -> Eligibility:
    """Every rule the person fails for this secondment (none means eligible).

    ``seconded`` says whether the person is on a secondment or about to start one; callers checking
    many people use ``check_pool`` instead.
    """
    if seconded is None:
        seconded = secondments.current_secondment(employee.id) is not None
    return Eligibility(tuple(_failures(employee, _Rules.of(opportunity, on), seconded)))


def check_pool(
    people: Iterable[Employee | PersonFacts], opportunity: Opportunity, *, on: dt.date | None = None
) -> tuple[set[int], Counter[str]]:
    """The ids of the eligible people, and how many were left out for each reason (a person may count twice)."""
    rules, seconded = _Rules.of(opportunity, on), secondments.seconded_employee_ids()
    eligible: set[int] = set()
    excluded: Counter[str] = Counter()
    for person in people:
        failures = _failures(person, rules, person.id in seconded)
        if failures:
            excluded.update(failure.group for failure in failures)
        else:
            eligible.add(person.id)
    return eligible, excluded


def _failures(employee: Employee | PersonFacts, rules: _Rules, seconded: bool) -> list[Failure]:
    opportunity = rules.opportunity
    failures = []
    if employee.id == opportunity.host_manager_id:
        failures.append(Failure("hosts it", "Hosts the secondment."))
    if seconded:
        failures.append(Failure("on a secondment", "Already on a secondment, or about to start one."))
    if not _available(employee, opportunity):
        failures.append(Failure(
            "not available in the window",
            f"Not available from {opportunity.start_date:%d %b %Y} to {opportunity.end_date:%d %b %Y}.",
        ))
    if employee.capacity_percent < opportunity.time_commitment_percent:
        failures.append(Failure(
            "not enough capacity",
            f"Capacity {employee.capacity_percent} % is below the {opportunity.time_commitment_percent} % needed.",
        ))
    if employee.months_of_service(rules.on) < opportunity.min_service_months:
        failures.append(Failure("too little service", f"Fewer than {opportunity.min_service_months} months of service."))
    if rules.grades and employee.grade not in rules.grades:
        failures.append(Failure("grade not eligible", f"Grade {employee.grade} is not among the eligible grades."))
    if rules.departments and employee.department_id not in rules.departments:
        failures.append(Failure("department not eligible", "Department is not among the eligible departments."))
    if (
        opportunity.type == OpportunityType.CROSS_DEPARTMENTAL
        and employee.department_id == opportunity.host_department_id
    ):
        failures.append(Failure(
            "already in the host department",
            "Already in the host department (this is a cross-departmental move).",
        ))
    return failures


def _available(employee: Employee | PersonFacts, opportunity: Opportunity) -> bool:
    """The person's availability window overlaps the secondment (an unstated window is open)."""
    starts_in_time = employee.available_from is None or employee.available_from <= opportunity.end_date
    lasts_long_enough = employee.available_until is None or employee.available_until >= opportunity.start_date
    return starts_in_time and lasts_long_enough
