"""Who is told about each selection decision, and what they are told.

Notifications are wired elsewhere; this module only answers "who, and what", so sending them
after selection.transition is one call per notice.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from marketplace.formatting import format_local_time
from marketplace.models import ApplicationAction, ApplicationEvent, Employee

A = ApplicationAction


@dataclass(frozen=True)
class Notice:
    """One message to some people (and, when ``talent_team``, to everyone on the talent team)."""

    recipients: tuple[Employee, ...]
    message: str
    talent_team: bool = False


def notices_for(event: ApplicationEvent) -> list[Notice]:
    """The notices a recorded decision should send; empty when nobody needs telling."""
    application = event.application
    person, opportunity = application.employee, application.opportunity
    manager, host = person.manager, opportunity.host_manager
    title = f"“{opportunity.title}”"
    why = f" Reason: {event.reason}" if event.reason else ""
    action = A(event.action)
    applicant = lambda text: Notice((person,), text)  # noqa: E731 - reads as a table below
    to_manager = (manager,) if manager else ()
    table: dict[A, list[Notice]] = {
        A.SUBMIT: [Notice(to_manager, f"{person.name} applied for {title}; please decide whether to release them.")]
        if manager else [],
        A.APPROVE_RELEASE: [applicant(f"Your release for {title} was approved."),
                            Notice((host,), f"{person.name}'s application for {title} is released for review.")],
        A.DECLINE_RELEASE: [applicant(f"Your release for {title} was declined.{why} You can appeal to the talent team.")],
        A.SKIP_RELEASE: [Notice((host,), f"{person.name} applied for {title}.")],
        A.ESCALATE: [Notice(to_manager, f"{person.name}'s release for {title} is overdue and went to the talent team."),
                     Notice((), f"The release of {person.name} for {title} needs a decision.", talent_team=True)],
        A.APPEAL: [Notice(to_manager, f"{person.name} appealed your decline for {title}."),
                   Notice((), f"{person.name} appealed a declined release for {title}.", talent_team=True)],
        A.OVERTURN: [Notice((person, *to_manager), f"The talent team overturned the declined release for {title}.{why}"),
                     Notice((host,), f"{person.name}'s application for {title} is released for review.")],
        A.UPHOLD: [Notice((person, *to_manager), f"The talent team upheld the declined release for {title}.{why}")],
        A.SHORTLIST: [applicant(f"You are shortlisted for {title}.")],
        A.REJECT: [applicant(f"Your application for {title} was not taken forward.{why}")],
        A.SCHEDULE_INTERVIEW: [applicant(f"An interview for {title} is set for {_when(application)}.")],
        A.OFFER: [applicant(f"You have an offer for {title}. Accept or decline it under My applications."),
                  Notice(to_manager, f"{person.name} was offered {title}.")],
        A.ACCEPT_OFFER: [Notice((host, *to_manager), f"{person.name} accepted the offer for {title}."),
                         Notice((), f"{person.name} accepted {title}; the agreement is next.", talent_team=True)],
        A.DECLINE_OFFER: [Notice((host,), f"{person.name} declined the offer for {title}.{why}")],
        A.WITHDRAW: [Notice((host, *to_manager), f"{person.name} withdrew their application for {title}.")],
    }
    return [n for n in table[action] if n.recipients or n.talent_team]


def _when(application) -> str:
    at = application.interview_at
    return format_local_time(at, current_app.config["TIMEZONE"]) if at else "a time to be confirmed"
