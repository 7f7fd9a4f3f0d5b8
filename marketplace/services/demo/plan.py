"""The whole demo organisation as plain data, built deterministically before anything is written."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from marketplace.services.demo import content as c
from marketplace.services.demo.lifecycle import advance_applications
from marketplace.services.demo.people import PeopleBuilder, PersonPlan, describe_ambitions, describe_work, with_article
from marketplace.services.demo.postings import EMPLOYEE_APPLICATIONS, HOST_ACCOUNT, OPPORTUNITIES, OpportunityContent
from marketplace.services.demo.stories import EMPLOYEE_ACCOUNT, STORIES, SecondmentPlan

SEED = 20240917


@dataclass
class ApplicationPlan:
    """One application, by employee number."""

    employee: str
    status: str
    statement: str
    submitted_on: dt.date
    interview_on: dt.date | None = None
    secondment: SecondmentPlan | None = None  # what became of the secondment an accepted offer created
    decided_by: dt.date | None = None  # when the last decision was taken, if before the day the demo is built


@dataclass
class OpportunityPlan:
    """One opportunity with its host, dates and applicants resolved."""

    content: OpportunityContent
    host: str  # employee number
    organisation: str
    department: str
    location: str
    start_date: dt.date
    end_date: dt.date
    closing_date: dt.date
    published_on: dt.date | None
    applications: list[ApplicationPlan] = field(default_factory=list)


@dataclass
class DemoPlan:
    """Everything the seeder will write, in the order it writes it."""

    people: list[PersonPlan]
    opportunities: list[OpportunityPlan]
    accounts: dict[str, str]  # demo log-in key -> employee number
    today: dt.date | None = None  # the day the demo is built for; decisions are dated before it

    def skill_labels(self) -> set[str]:
        """Every skill label the plan uses; each must exist in the catalogue."""
        labels = {label for p in self.people for label in (*p.skills, *p.goal_skills)}
        for o in self.opportunities:
            labels |= {label for label, _ in o.content.required} | set(o.content.nice) | set(o.content.develops)
            labels |= {label for a in o.applications if a.secondment and a.secondment.back
                       for label, _ in a.secondment.back.skills}
        return labels

    def secondees(self) -> set[str]:
        """Employee numbers of everyone with a secondment (each has a log-in, to sign the agreement)."""
        return {a.employee for o in self.opportunities for a in o.applications if a.secondment}

    def hosts(self) -> set[str]:
        """Employee numbers of everyone hosting an opportunity."""
        return {o.host for o in self.opportunities}


def build_plan(today: dt.date, seed: int = SEED) -> DemoPlan:
    """The demo organisation for ``today``; the same inputs always give the same plan."""
    rng = random.Random(seed)
    builder = PeopleBuilder(rng, today)
    people = builder.build()
    by_number = {p.number: p for p in people}
    opportunities = [
        _plan_opportunity(content, _host(content, people, builder.accounts, rng), by_number, today, rng)
        for content in OPPORTUNITIES
    ]
    for opportunity in opportunities:
        _plan_applications(opportunity, people, builder.accounts, today, rng)
    plan = DemoPlan(people=people, opportunities=opportunities, accounts=dict(builder.accounts), today=today)
    advance_applications(plan)
    _plan_stories(plan)
    return plan


def _host(content: OpportunityContent, people: list[PersonPlan], accounts: dict[str, str], rng: random.Random) -> str:
    if content.host == HOST_ACCOUNT:
        return accounts["host"]
    if content.host_name:
        return next(p.number for p in people if p.name == content.host_name and p.organisation == content.host)
    known = set(accounts.values())
    managers = [
        p.number for p in people
        if p.department == content.host and p.is_manager and p.grade != "SCS" and p.number not in known
    ]
    return rng.choice(managers)


def _plan_opportunity(
    content: OpportunityContent, host: str, by_number: dict[str, PersonPlan], today: dt.date, rng: random.Random
) -> OpportunityPlan:
    days = dt.timedelta
    closing = today + days(days={
        "open": rng.randint(10, 45),
        "draft": rng.randint(40, 75),
        "pending_approval": rng.randint(40, 75),
        "closed": -rng.randint(3, 20),
        "filled": -rng.randint(50, 90),
        "cancelled": rng.randint(5, 25),
    }[content.status])
    start = closing + days(days=rng.randint(14, 35))
    if content.status == "closed":
        start = max(start, today + days(days=7))
    published = None
    if content.status not in ("draft", "pending_approval"):
        published = min(closing - days(days=rng.randint(20, 45)), today - days(days=1))
    manager = by_number[host]
    return OpportunityPlan(
        content=content,
        host=host,
        organisation=manager.organisation,
        department=manager.department,
        location=content.location or manager.location,
        start_date=start,
        end_date=start + days(days=round(content.months * 30.44)),
        closing_date=closing,
        published_on=published,
    )


def _plan_applications(
    opportunity: OpportunityPlan, people: list[PersonPlan], accounts: dict[str, str], today: dt.date, rng: random.Random
) -> None:
    content = opportunity.content
    published = opportunity.published_on or today

    def submitted() -> dt.date:
        return min(published + dt.timedelta(days=rng.randint(1, 18)), today)

    if content.title in EMPLOYEE_APPLICATIONS:
        employee = next(p for p in people if p.number == accounts["employee"])
        opportunity.applications.append(ApplicationPlan(
            employee.number, EMPLOYEE_APPLICATIONS[content.title], _statement(employee, content, rng), submitted()
        ))
    if content.status not in ("open", "closed", "filled"):
        return
    wanted = {label for label, _ in content.required} | set(content.nice) | set(content.develops)
    known = set(accounts.values())
    candidates = [
        p for p in people
        if p.organisation == c.COMPANY and p.department != opportunity.department
        and p.number not in known and p.number != opportunity.host and p.grade != "SCS"
        and (wanted & (set(p.skills) | set(p.goal_skills)))
    ]
    count = rng.randint(max(1, content.openings), 6 if content.status == "open" else 4)
    for person in rng.sample(candidates, min(count, len(candidates))):
        status = "withdrawn" if rng.random() < 0.15 else "submitted"
        opportunity.applications.append(
            ApplicationPlan(person.number, status, _statement(person, content, rng), submitted())
        )


def _plan_stories(plan: DemoPlan) -> None:
    """Add the opportunity and accepted application of every secondment story (no random draws)."""
    today, days = plan.today, dt.timedelta
    free = _free_people(plan)
    chosen: dict[str, str] = {}
    for story in STORIES:
        if story.secondee not in chosen:
            chosen[story.secondee] = _secondee(plan, story.secondee, free, set(chosen.values()))
        host = _story_host(plan, story.content)
        manager = next(p for p in plan.people if p.number == host)
        start = today + days(days=story.starts_in)
        closing = start - days(days=35)
        opportunity = OpportunityPlan(
            content=story.content, host=host, organisation=manager.organisation, department=manager.department,
            location=story.content.location or manager.location, start_date=start,
            end_date=start + days(days=round(story.content.months * 30.44)), closing_date=closing,
            published_on=closing - days(days=28),
        )
        opportunity.applications.append(ApplicationPlan(
            chosen[story.secondee], "offer_accepted", STORY_STATEMENT, closing - days(days=22),
            secondment=story.secondment, decided_by=min(start - days(days=21), today - days(days=7)),
        ))
        plan.opportunities.append(opportunity)
    plan.accounts["secondee"] = chosen["team:0"]


STORY_STATEMENT = "My line manager supports the move, and I would bring what I learn back to my team."


def _free_people(plan: DemoPlan) -> list[PersonPlan]:
    """Employees with no log-in of their own, no application and nothing to host: free to have been seconded."""
    busy = set(plan.accounts.values()) | plan.hosts() | {a.employee for o in plan.opportunities for a in o.applications}
    return [p for p in plan.people if p.organisation == c.COMPANY and not p.is_manager and p.grade != "SCS"
            and p.number not in busy]


def _secondee(plan: DemoPlan, who: str, free: list[PersonPlan], taken: set[str]) -> str:
    """The employee number a story is about (see stories.Story.secondee)."""
    if who == EMPLOYEE_ACCOUNT:
        return plan.accounts["employee"]
    if who.startswith("team:"):
        team = [p.number for p in free if p.manager == plan.accounts["line_manager"]]
        return team[int(who.removeprefix("team:"))]
    return next(p.number for p in free if p.department == who and p.number not in taken)


def _story_host(plan: DemoPlan, content: OpportunityContent) -> str:
    """The documented host, the partner's named staff member, or the department's first line manager."""
    if content.host == HOST_ACCOUNT:
        return plan.accounts["host"]
    if content.host_name:
        return next(p.number for p in plan.people if p.name == content.host_name and p.organisation == content.host)
    return _first_manager(plan, content.host)


def _first_manager(plan: DemoPlan, department: str) -> str:
    """The first line manager of ``department`` with no documented log-in, to host a story's secondment."""
    known = set(plan.accounts.values())
    return next(p.number for p in plan.people if p.department == department and p.is_manager
                and p.grade != "SCS" and p.number not in known)


def _statement(person: PersonPlan, content: OpportunityContent, rng: random.Random) -> str:
    """A short supporting statement that draws on the applicant's own skills and goals."""
    strengths = sorted(person.skills, key=lambda label: (-person.skills[label], label))[:2]
    lines = [f"As {with_article(person.job_title)} in {person.department} I regularly {describe_work(strengths)}."]
    goals = [s for s in content.develops if s in person.goal_skills]
    new = [s for s in content.develops if s not in person.skills]
    if goals:
        lines.append(f"This secondment would help me {describe_ambitions(goals[:1])}, one of my development goals.")
    elif new:
        lines.append(f"I would welcome the chance to {describe_ambitions(new[:1])}.")
    lines.append(rng.choice((
        "My line manager supports the move and my work can be covered.",
        "I have discussed this with my manager and can start on the advertised date.",
        "I can bring a fresh view from outside the team and take what I learn back home.",
    )))
    return " ".join(lines)


__all__ = ["ApplicationPlan", "DemoPlan", "OpportunityPlan", "SEED", "build_plan"]
