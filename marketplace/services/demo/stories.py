"""The demo's secondments in every state, each the story of one person: who, hosted where, when, and how it went.

Together with the filled opportunities of postings.py they give the demo a secondment planned,
one signed and about to start, running ones (with check-ins held and one overdue, and one ending
soon), and ended ones: returned, ended early, and continued by an extension. Dates count from
the day the demo is loaded; nothing here is drawn at random, so the rest of the plan stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.services.demo.postings import HOST_ACCOUNT, OpportunityContent

# Who a story is about: the documented employee, the documented line manager's n-th report with no other
# application ("team:n"), or the first such person of a department (stories naming the same one share them).
EMPLOYEE_ACCOUNT = "@employee"
EVERY = 99  # check-ins held: every one due so far


@dataclass(frozen=True)
class SecondmentPlan:
    """Where a demo secondment ends up, and what happened on the way there."""

    status: str  # planned, agreement_signed, active or ended
    end_reason: str | None = None  # returned, extended or terminated_early, when ended
    frequency: str = "monthly"
    held: int = 0  # the first check-ins held; more are due than held when one is overdue
    ends_after_days: int | None = None  # an early end: the last day, counted from the start
    trigger: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Story:
    content: OpportunityContent
    secondee: str
    starts_in: int  # days from the day the demo is loaded; negative: in the past
    secondment: SecondmentPlan


STORIES: tuple[Story, ...] = (
    Story(
        OpportunityContent(
            "Data pipeline reliability with the platform team", "cross_departmental", HOST_ACCOUNT,
            "Make the nightly data pipelines as reliable as the customer-facing services: add tests and "
            "monitoring, move the jobs onto the delivery pipeline and take a turn on the data on-call rota.",
            required=(("SQL", 3), ("Python (computer programming)", 2)),
            nice=("Docker",),
            develops=("continuous integration and delivery", "cloud monitoring and reporting"),
            status="filled", commitment=80,
        ),
        "team:0", -100,
        SecondmentPlan("active", held=2),  # the third check-in is overdue
    ),
    Story(
        OpportunityContent(
            "Pricing analytics for the Sales team", "cross_departmental", "Sales",
            "Build the price-elasticity models behind next year's price list with the sales operations team, "
            "and help account directors use them in negotiations.",
            required=(("statistics", 3), ("perform data analysis", 3)),
            develops=("develop business case", "negotiate sales contracts"),
            status="filled", months=4, commitment=60,
        ),
        "team:1", 12,
        SecondmentPlan("agreement_signed"),
    ),
    Story(
        OpportunityContent(
            "Service insight analyst in Data & Analytics", "cross_departmental", "Data & Analytics",
            "Learn to turn contact-centre data into dashboards with the analytics team, and take the method "
            "back to Customer Service.",
            required=(("use spreadsheets software", 2),),
            develops=("perform data analysis", "deliver visual presentation of data"),
            status="filled", commitment=50,
        ),
        "Customer Service", 25,
        SecondmentPlan("planned"),  # the agreement is still to be signed
    ),
    Story(
        OpportunityContent(
            "Regulatory reporting analyst", "cross_departmental", "Legal & Compliance",
            "Prepare the group's regulatory returns with the compliance team and automate the checks behind them.",
            required=(("analyse business processes", 2), ("use spreadsheets software", 3)),
            develops=("GDPR", "perform project management"),
            status="filled",
        ),
        "Operations", -347,
        SecondmentPlan("ended", "extended", frequency="quarterly", held=EVERY),
    ),
    Story(
        OpportunityContent(
            "Regulatory reporting analyst: extension", "cross_departmental", "Legal & Compliance",
            "Six more months in the compliance team to see the automated checks through their first audit.",
            required=(("analyse business processes", 2), ("use spreadsheets software", 3)),
            develops=("GDPR", "perform project management"),
            status="filled",
        ),
        "Operations", -163,  # the day after the first term's last day; it ends within the month
        SecondmentPlan("active", frequency="quarterly", held=EVERY),
    ),
    Story(
        OpportunityContent(
            "Marketing insight analyst", "cross_departmental", "Marketing",
            "Six months with the insight team measuring which campaigns bring customers back.",
            required=(("perform data analysis", 3), ("SQL", 2)),
            develops=("marketing analytics", "A/B testing"),
            status="filled", commitment=60,
        ),
        EMPLOYEE_ACCOUNT, -400,
        SecondmentPlan("ended", "returned", frequency="quarterly", held=EVERY),
    ),
    Story(
        OpportunityContent(
            "Complaints data clean-up", "short_project", "Customer Service",
            "Clean up three years of complaints data so the redesign of the complaints process starts from facts.",
            required=(("handle customer complaints", 2), ("use spreadsheets software", 2)),
            develops=("service design", "customer journey mapping"),
            status="filled", commitment=50,
        ),
        "Marketing", -200,
        SecondmentPlan(
            "ended", "terminated_early", held=1, ends_after_days=70, trigger="organisational_change",
            reason="The complaints redesign was paused when Customer Service merged two of its teams, so the "
                   "clean-up it fed is no longer needed this year.",
        ),
    ),
)
