"""The demo's applications at every stage of selection, and the recorded decisions that brought them there.

The documented host sees applicants to shortlist, interview and offer; the documented line manager
has a release to decide; the talent team has an escalated release and an appeal in its queue and
release figures to read; a filled opportunity has its secondment. No random draws happen here, so
the rest of the seeded plan stays exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING

from marketplace.extensions import db
from marketplace.models import Application, ApplicationEvent, Employee, User
from marketplace.services import agreements, secondments, selection_records
from marketplace.services.demo.stories import EVERY, SecondmentPlan

if TYPE_CHECKING:
    from marketplace.services.demo.plan import ApplicationPlan, DemoPlan, OpportunityPlan

HOST_STAGES = ("shortlisted", "interview", "released", "rejected", "offered")
QUEUE_STAGES = ("release_escalated", "release_appealed", "release_declined", *["released"] * 6)
DECLINE = "We are short-staffed until the quarter-end close; I cannot cover the role before then."
APPEAL = "Two new starters join next month and my manager agreed cover with them in my last review."
REJECT = "Another applicant's experience matched what the team needs right now more closely."

# The demo's reason codes (models/reasons.py); its picks never followed a ranking, so they are overrides.
CODES = {
    "decline_release": "business_critical_period", "shortlist": "strong_skills_match", "offer": "best_overall_fit",
    "reject": "stronger_candidates",
}
OVERRIDE = "override_applied_directly"

_RELEASED = (("approve_release", "line_manager", None),)
_SHORTLISTED = (*_RELEASED, ("shortlist", "host", None))
_OFFERED = (*_SHORTLISTED, ("schedule_interview", "host", None), ("offer", "host", None))
# The decisions after "submit" that lead to each status: (action, capacity, reason).
PATHS: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    "submitted": (),
    "withdrawn": (("withdraw", "applicant", None),),
    "release_escalated": (("escalate", "system", None),),
    "release_declined": (("decline_release", "line_manager", DECLINE),),
    "release_appealed": (("decline_release", "line_manager", DECLINE), ("appeal", "applicant", APPEAL)),
    "released": _RELEASED,
    "shortlisted": _SHORTLISTED,
    "interview": (*_SHORTLISTED, ("schedule_interview", "host", None)),
    "offered": _OFFERED,
    "offer_accepted": (*_OFFERED, ("accept_offer", "applicant", None)),
    "rejected": (*_RELEASED, ("reject", "host", REJECT)),
}


def advance_applications(plan: DemoPlan) -> None:
    """Move some submitted applications of ``plan`` on through selection (changes the plan in place)."""
    today = plan.today
    documented = set(plan.accounts.values())
    host_stages = itertools.cycle(HOST_STAGES)
    others = []
    for opportunity in plan.opportunities:
        waiting = [a for a in opportunity.applications if a.status == "submitted" and a.employee not in documented]
        if opportunity.content.status == "filled":
            _fill(opportunity, waiting, today)
        elif opportunity.content.status == "open" and opportunity.host == plan.accounts["host"]:
            for application in waiting:
                application.status = next(host_stages)
        elif opportunity.content.status == "open":
            others += [a for a in waiting if a.submitted_on <= today - dt.timedelta(days=10)]
    for application, status in zip(others, QUEUE_STAGES):
        application.status = status
    for opportunity in plan.opportunities:
        for application in opportunity.applications:
            if application.status == "interview":
                application.interview_on = today + dt.timedelta(days=4)


def _fill(opportunity: OpportunityPlan, waiting: list[ApplicationPlan], today: dt.date) -> None:
    """The first applicants take the openings; the others hear that the places went, by the closing date (so the
    agreement is signed after the offer was accepted)."""
    for n, application in enumerate(waiting):
        application.decided_by = min(opportunity.closing_date, today - dt.timedelta(days=1))
        if n < opportunity.content.openings:
            application.status = "offer_accepted"
            application.secondment = (SecondmentPlan("active", held=EVERY) if opportunity.start_date <= today
                                      else SecondmentPlan("planned", signatures=0))
        else:
            application.status = "rejected"


def write_decisions(plan: DemoPlan, rows: list[tuple[ApplicationPlan, Application]]) -> None:
    """Record the decisions behind every planned application, and plan the secondments accepted offers made."""
    db.session.flush()
    users = {u.employee_id: u for u in db.session.scalars(db.select(User).where(User.employee_id.is_not(None)))}
    midnight = dt.datetime.combine(plan.today, dt.time())
    # The database allows one current secondment per person: a later one (an extension) is planned by
    # journeys.advance_secondments once the person's first has ended.
    first_secondment: dict[int, Application] = {}
    for planned, row in sorted(rows, key=lambda pair: pair[1].opportunity.start_date):
        if planned.secondment:
            first_secondment.setdefault(row.employee_id, row)
    for planned, row in rows:
        employee: Employee = row.employee
        opportunity = row.opportunity
        actors = {
            "applicant": users.get(employee.id),
            "line_manager": users.get(employee.manager_id),
            "host": users.get(opportunity.host_manager_id),
            "system": None,
        }
        path = PATHS[planned.status]
        if not opportunity.requires_release and path[:1] == _RELEASED:
            path = (("skip_release", "system", None), *path[1:])
        decided = midnight if planned.decided_by is None else dt.datetime.combine(planned.decided_by, dt.time(17))
        end = max(row.submitted_at, min(decided, midnight))
        status = "submitted"
        _record(row, ApplicationEvent(
            action="submit", from_status=None, to_status=status, actor=actors["applicant"],
            actor_role="applicant", at=row.submitted_at,
        ))
        for k, (action, capacity, reason) in enumerate(path, start=1):
            to = _TARGETS.get(action, planned.status)
            at = row.submitted_at + (end - row.submitted_at) * k / (len(path) + 1)
            override = OVERRIDE if action in ("shortlist", "offer") and selection_records.is_override(row) else None
            _record(row, ApplicationEvent(
                action=action, from_status=status, to_status=to, actor=actors[capacity], actor_role=capacity,
                reason=reason, reason_code=CODES.get(action), override_code=override, at=at,
            ))
            status, row.updated_at = to, at
        if planned.interview_on:
            row.interview_at = dt.datetime.combine(planned.interview_on, dt.time(10, 0))
            row.interview_notes = "Video call with the host and one of the team; about 45 minutes."
        if planned.secondment and first_secondment[employee.id] is row:
            plan_secondment(row)


def plan_secondment(application: Application) -> None:
    """Plan the accepted offer's secondment with its first draft, as accepting leaves it; journeys.py goes on."""
    draft = agreements.draft_first(secondments.plan(application))
    draft.created_at = draft.updated_at = application.updated_at


def _record(application: Application, event: ApplicationEvent) -> None:
    """Add a demo decision the way real ones are kept: in the audit log, with its notices sent."""
    application.events.append(event)
    selection_records.record(event)


# Where each action leads on the demo's paths (withdraw and reject end the path in the planned status).
_TARGETS = {
    "approve_release": "released", "skip_release": "released", "escalate": "release_escalated",
    "decline_release": "release_declined", "appeal": "release_appealed", "shortlist": "shortlisted",
    "schedule_interview": "interview", "offer": "offered", "accept_offer": "offer_accepted",
}
