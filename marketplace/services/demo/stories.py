"""The demo's secondments in every state, each the story of one person: who, hosted where, when, and how it went.

Together with the filled opportunities of postings.py they give the demo a secondment planned (its
agreement partly signed), one signed and about to start, running ones (with check-ins held and one
overdue, and one ending soon, its return plan due), and ended ones: returned (with the return plan,
review, skills gained, note and evaluations; one review still missing), ended early, and continued by
an extension. Dates count from the day the demo is loaded; nothing here is drawn at random, so the
rest of the plan stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.services.demo.postings import HOST_ACCOUNT, OpportunityContent

# Who a story is about: the documented employee, the documented line manager's n-th report with no other
# application ("team:n"), or the first such person of a department (stories naming the same one share them).
EMPLOYEE_ACCOUNT = "@employee"
EVERY = 99  # check-ins held: every one due so far


@dataclass(frozen=True)
class ReturnStory:
    """How a secondee came back, each part optional: before the end their wishes and the return plan; after it the
    review, the skills gained (proposed by the host a week before the end, confirmed after it), the note for the home
    team and the evaluations."""

    wishes: str | None = None
    outcome: str | None = None  # the return plan's (ReturnOutcome); None: not recorded (yet)
    equivalent_role: str | None = None
    plan_notes: str = ""
    review: tuple[str, str, str] | None = None  # how it went, the development conversation, the next steps
    skills: tuple[tuple[str, int], ...] = ()  # (skill, level)
    note: str | None = None
    evaluations: tuple[tuple[str, tuple[int, int, int, int], str], ...] = ()  # party, ratings in question order, words


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
    signatures: int = 3  # on the agreement, in signing order (secondee, home manager, host); fewer leave it planned
    back: ReturnStory | None = None


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
        SecondmentPlan("planned", signatures=2),  # the agreement waits for the host's signature
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
        SecondmentPlan("active", frequency="quarterly", held=EVERY, back=ReturnStory(
            wishes="I would like to go back to Operations and take the automated checks with me: our own monthly "
                   "returns could use the same method.",
        )),  # it ends within the month: the return plan is due
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
        SecondmentPlan("ended", "returned", frequency="quarterly", held=EVERY, back=ReturnStory(
            wishes="Back to the analytics team, please, bringing the campaign measurement with me: I would like to "
                   "own the marketing dashboards from our side.",
            outcome="original_role",
            plan_notes="Back in the analytics team the working day after the end; Priya keeps the campaign "
                       "dashboards and runs a session on A/B testing for the team.",
            review=("Priya settled back in within a week. The insight team rated her highly, and she brought back "
                    "a way of measuring campaigns that we now use for our own reports.",
                    "We talked about her goal of moving into machine learning: the A/B testing work is a good step, "
                    "and she will pair with the data science team on one model this year.",
                    "Run the A/B testing session for the team next month; keep the campaign dashboards; agree a "
                    "machine-learning objective at the next appraisal."),
            skills=(("marketing analytics", 3), ("A/B testing", 3)),
            note="What I learnt in Marketing's insight team:\n"
                 "- A campaign's result only means something against a holdout group: ask for one before it starts.\n"
                 "- Marketing's customer data lives in three places; the CRM's customer table is the one to trust.\n"
                 "- Keep a dashboard to the three numbers the team decides on every Monday.\n"
                 "Ask me for the A/B testing checklist.",
            evaluations=(("employee", (5, 5, 4, 5), "Six of the most useful months of my career so far."),
                         ("home_manager", (4, 4, 4, 4), "Cover was tight at times, but Priya came back with skills "
                                                         "the whole team uses."),
                         ("host_manager", (5, 4, 4, 5), "Priya built the campaign measurement we still use.")),
        )),
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
            back=ReturnStory(
                review=("Joseph came back earlier than planned when the redesign was paused; the return itself went "
                        "smoothly and the team was glad to have him back.",
                        "Disappointing to stop halfway. We agreed the data work is worth keeping up, and looked at the "
                        "service design projects coming up in Marketing.",
                        "Hand the cleaned data and its notes to Customer Service; look for a service design project "
                        "next year."),
                skills=(("customer journey mapping", 2),),
                evaluations=(("employee", (2, 4, 3, 3), "The work stopped before it was finished, but I learnt a lot "
                                                        "about how complaints are handled."),
                             ("home_manager", (3, 3, 4, 3), ""),
                             ("host_manager", (2, 3, 4, 3), "Good work while it lasted; the merger ended it, not "
                                                            "the secondee.")),
            ),
        ),
    ),
    Story(
        OpportunityContent(
            "Volunteer impact dashboards", "voluntary_sector", "Riverside Community Trust",
            "Four months, three days a week, building the dashboards the Trust's grant reports need from its "
            "volunteering records.",
            required=(("Microsoft Power BI", 2), ("financial analysis", 2)),
            develops=("manage volunteering programmes", "build community relations"),
            status="filled", months=4, commitment=60, host_name="Callum Fraser",
        ),
        "Finance", -330,
        SecondmentPlan("ended", "returned", held=EVERY, back=ReturnStory(
            wishes="Back to my team, and I would like to keep one day a month volunteering with the Trust.",
            outcome="original_role",
            plan_notes="Returns to the Finance team; one volunteering day a month agreed under the volunteering "
                       "policy.",
            review=("The dashboards went live and the Trust uses them in its grant reports. Settled back in well.",
                    "We talked about business partnering: the work with the Trust's programme leads is the kind of "
                    "stakeholder work that role needs.",
                    "Shadow a finance business partner for a quarter; keep the monthly volunteering day."),
            skills=(("build community relations", 3),),
            note="Working with a charity: every report starts from what the funder asks for, so start there. The "
                 "Trust's volunteering records are good enough to report from once the duplicates are merged.",
            evaluations=(("employee", (4, 5, 5, 5), "A real piece of work for people who needed it."),
                         ("home_manager", (4, 3, 3, 4), "We ran short-handed at the month ends."),
                         ("host_manager", (5, 5, 4, 5), "The dashboards changed how we report to our funders.")),
        )),
    ),
    Story(
        OpportunityContent(
            "Operating model review", "cross_departmental", "Strategy & Transformation",
            "Join the business analysis team for six months on the review of how the group's sales and service "
            "teams work together.",
            required=(("analyse business processes", 2),),
            develops=("perform business analysis", "apply change management"),
            status="filled",
        ),
        "Sales", -290,
        SecondmentPlan("ended", "returned", held=EVERY, back=ReturnStory(
            wishes="I would like a role where I can use the analysis I learnt, rather than going back to the same "
                   "accounts.",
            outcome="equivalent_role",
            equivalent_role="Sales Operations Analyst",
            plan_notes="Returns to Sales as a Sales Operations Analyst, the same grade, to see the review's changes "
                       "through in the sales team.",
            review=("Back in Sales in the new role; the review's first changes are already hers to run.",
                    "We agreed the business analysis training is worth finishing, and the team will give her the "
                    "time for it.",
                    "Finish the business analysis course; report on the first changes at the quarterly review."),
            skills=(("perform business analysis", 3), ("apply change management", 2)),
            note="How the operating model review works, and what it means for Sales: the changes come in three "
                 "waves, and the first (one pipeline for sales and service) starts with our team.",
            evaluations=(("employee", (4, 4, 3, 4), "Hard work and worth it; more help at the start would have "
                                                   "made it easier."),
                         ("home_manager", (5, 4, 4, 5), "She came back ready for a bigger role."),
                         ("host_manager", (4, 4, 3, 4), "")),
        )),
    ),
    Story(
        OpportunityContent(
            "Demand forecasting at Harbour Logistics", "vendor_client", "Harbour Logistics Ltd",
            "Three months with the client's supply chain team, forecasting warehouse demand from the orders data.",
            required=(("perform data analysis", 3),),
            develops=("supply chain management", "manage logistics"),
            status="filled", months=3, host_name="Liam Doherty",
        ),
        "Data & Analytics", -131,  # ended 40 days ago, and its return review is still to be held
        SecondmentPlan("ended", "returned", held=EVERY, back=ReturnStory(
            wishes="Back to the analytics team; I would like to keep the forecasting work going with the client.",
            outcome="original_role",
            evaluations=(("employee", (3, 4, 2, 4), "Interesting work, though I was left on my own a lot."),),
        )),
    ),
)
