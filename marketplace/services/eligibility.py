"""Hard eligibility rules, checked before anyone is ranked; each failure gives its reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from marketplace.clock import today
from marketplace.models import Employee, Opportunity, OpportunityType
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


def check(
    employee: Employee, opportunity: Opportunity, *, on: dt.date | None = None, seconded: bool | None = None
) -> Eligibility:
    """Every rule the person fails for this secondment (none means eligible).

    ``seconded`` says whether the person is on a secondment or about to start one; callers checking
    many people pass it from secondments.seconded_employee_ids() rather than asking once per person.
    """
    on = on or today()
    failures = []
    if employee.id == opportunity.host_manager_id:
        failures.append(Failure("hosts it", "Hosts the secondment."))
    if seconded is None:
        seconded = secondments.current_secondment(employee.id) is not None
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
    if employee.months_of_service(on) < opportunity.min_service_months:
        failures.append(Failure("too little service", f"Fewer than {opportunity.min_service_months} months of service."))
    grades = {g.grade for g in opportunity.eligible_grades}
    if grades and employee.grade not in grades:
        failures.append(Failure("grade not eligible", f"Grade {employee.grade} is not among the eligible grades."))
    departments = {d.id for d in opportunity.eligible_departments}
    if departments and employee.department_id not in departments:
        failures.append(Failure("department not eligible", "Department is not among the eligible departments."))
    if (
        opportunity.type == OpportunityType.CROSS_DEPARTMENTAL
        and employee.department_id == opportunity.host_department_id
    ):
        failures.append(Failure(
            "already in the host department",
            "Already in the host department (this is a cross-departmental move).",
        ))
    return Eligibility(tuple(failures))


def _available(employee: Employee, opportunity: Opportunity) -> bool:
    """The person's availability window overlaps the secondment (an unstated window is open)."""
    starts_in_time = employee.available_from is None or employee.available_from <= opportunity.end_date
    lasts_long_enough = employee.available_until is None or employee.available_until >= opportunity.start_date
    return starts_in_time and lasts_long_enough
