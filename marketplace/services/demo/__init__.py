"""The demo organisation: Northwind Group, two partner organisations, their people and secondments.

Everything is generated from a fixed seed (plan.py), so every installation gets the same people
and opportunities; dates are relative to the day the demo is loaded so there is always
something open to apply for.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import sqlalchemy as sa

from marketplace.clock import today as utc_today
from marketplace.extensions import db
from marketplace.models import (
    Application,
    Department,
    Employee,
    Opportunity,
    Organisation,
    Role,
    Secondment,
    Skill,
    User,
)
from marketplace.services.audit import checkpoint
from marketplace.services.audit.signing import SigningKeyMissing
from marketplace.services.catalogue import LoadReport, load_catalogue
from marketplace.services.demo.content import COMPANY, EMAIL_DOMAIN
from marketplace.services.demo.equality import seed_equality_answers
from marketplace.services.demo.journeys import advance_secondments
from marketplace.services.demo.plan import SEED, DemoPlan, build_plan
from marketplace.services.demo.writer import DemoAccount, MissingDemoSkills, write_plan

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "employee", f"employee@{EMAIL_DOMAIN}", Role.EMPLOYEE,
        "Priya Shah, Data Analyst: browse open secondments, see how well you match, update your skills "
        "and apply; one application waits for your manager's release, one offer waits for your answer; read how "
        "your secondment in Marketing last year went: its signed agreement, the return plan and review, the skills "
        "gained (now in your profile), your note for the team and the evaluations.",
    ),
    DemoAccount(
        "secondee", f"secondee@{EMAIL_DOMAIN}", Role.EMPLOYEE,
        "Thomas Khan, Senior Data Analyst in Priya's team, four months into a secondment with Grace's platform "
        "team: the agreement all three signed, the dates, the check-ins held (add your feedback to the latest), the one "
        "overdue and the next.",
    ),
    DemoAccount(
        "line_manager", f"linemanager@{EMAIL_DOMAIN}", Role.LINE_MANAGER,
        "Daniel Okafor, Priya's line manager: see who in your team is available, and release (or decline) "
        "Priya for the secondment she applied to; Thomas is away on secondment and Sunita about to go; Muhammad is back "
        "from Harbour Logistics and his return review is yours to hold.",
    ),
    DemoAccount(
        "host", f"host@{EMAIL_DOMAIN}", Role.HOST_MANAGER,
        "Grace Mitchell, Engineering Manager: edit your five Technology opportunities, review ranked candidates "
        "and invite them, take applicants from shortlist to interview and offer, and hold Thomas's overdue check-in.",
    ),
    DemoAccount(
        "talent", f"talent@{EMAIL_DOMAIN}", Role.TALENT,
        "Hannah Lewis, People & HR: every opportunity and application, an escalated release and an appeal to "
        "decide, an opportunity awaiting approval, each line manager's release figures, and secondments in every "
        "state: starting (one agreement still to sign) and ending soon (its return plan due), returned, ended early, "
        "extended; the returns page with each party's evaluations and one return review still missing.",
    ),
    DemoAccount("admin", f"admin@{EMAIL_DOMAIN}", Role.ADMIN, "Manage accounts and roles (no employee profile)."),
)


@dataclass
class DemoReport:
    """What seeding the demo did."""

    already_loaded: bool = False
    catalogue: LoadReport | None = None
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        """Lines a person can read after running the seeder."""
        if self.already_loaded:
            return f"The demo organisation ({COMPANY}) is already loaded; nothing changed."
        lines = []
        if self.catalogue is not None:
            lines.append("Skill catalogue loaded first. " + self.catalogue.summary())
        lines.append(
            "Demo loaded: " + ", ".join(f"{n} {name}" for name, n in self.counts.items())
            + f" ({self.seconds:.1f} s in all)."
        )
        return "\n".join(lines)


def is_loaded() -> bool:
    """True when the demo company already exists."""
    return db.session.scalar(sa.select(Organisation.id).where(Organisation.name == COMPANY)) is not None


def seed_demo(password: str, today: dt.date | None = None, seed: int = SEED) -> DemoReport:
    """Load the demo organisation once (loading the skill catalogue first if it is empty); commits.

    Running it again changes nothing. Raises MissingDemoSkills, writing nothing, when the
    catalogue lacks a skill the demo uses. The organisation, its people and selection are one
    transaction; the secondments then move on through the services, a commit per step.
    """
    started = time.perf_counter()
    if is_loaded():
        return DemoReport(already_loaded=True)
    report = DemoReport()
    if db.session.scalar(sa.select(Skill.id).limit(1)) is None:
        report.catalogue = load_catalogue()
    plan = build_plan(today or utc_today(), seed)
    try:
        write_plan(plan, DEMO_ACCOUNTS, password)
        seed_equality_answers(seed)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    advance_secondments(plan)
    try:  # the demo's audit log is signed and witnessed now, not at beat's next round
        checkpoint()
    except SigningKeyMissing:  # production shape without a key yet: the worker signs once there is one
        pass
    report.counts = demo_counts()
    report.seconds = time.perf_counter() - started
    return report


def demo_counts() -> dict[str, int]:
    """Rows of each kind in the database, as the seeder reports them."""
    def count(model) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    return {
        "organisations": count(Organisation),
        "departments": count(Department),
        "employees": count(Employee),
        "opportunities": count(Opportunity),
        "applications": count(Application),
        "secondments": count(Secondment),
        "log-ins": count(User),
    }


__all__ = [
    "DEMO_ACCOUNTS",
    "DemoAccount",
    "DemoPlan",
    "DemoReport",
    "MissingDemoSkills",
    "build_plan",
    "demo_counts",
    "is_loaded",
    "seed_demo",
]
