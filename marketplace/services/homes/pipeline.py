"""The stages of the selection pipeline as the homes count them, from application to secondment."""

from __future__ import annotations

from typing import NamedTuple

from marketplace.models import ApplicationStatus, SecondmentStatus

S = ApplicationStatus


class Stage(NamedTuple):
    """One step of the pipeline and the statuses it gathers."""

    key: str
    label: str
    statuses: tuple[str, ...]


class StageCount(NamedTuple):
    key: str
    label: str
    count: int


# Applications in progress, in the order they move; declined, rejected and withdrawn ones have left the pipeline.
APPLICATION_STAGES = (
    Stage("submitted", "Waiting for release", (S.SUBMITTED.value, S.RELEASE_ESCALATED.value, S.RELEASE_APPEALED.value)),
    Stage("released", "Released, to review", (S.RELEASED.value,)),
    Stage("shortlisted", "Shortlisted", (S.SHORTLISTED.value,)),
    Stage("interview", "Interview", (S.INTERVIEW.value,)),
    Stage("offered", "Offered", (S.OFFERED.value,)),
)
ACCEPTED = Stage("accepted", "Offer accepted", (S.OFFER_ACCEPTED.value,))
# What an accepted offer becomes; ended secondments have left the pipeline too.
SECONDMENT_STAGES = (
    Stage("planned", "Agreement to sign", (SecondmentStatus.PLANNED.value,)),
    Stage("agreement_signed", "Agreement signed", (SecondmentStatus.AGREEMENT_SIGNED.value,)),
    Stage("active", "On secondment", (SecondmentStatus.ACTIVE.value,)),
)


def stage_counts(by_status: dict[str, int], stages: tuple[Stage, ...]) -> list[StageCount]:
    """Counts per status gathered into ``stages``, every stage listed even when empty."""
    return [StageCount(s.key, s.label, sum(by_status.get(status, 0) for status in s.statuses)) for s in stages]
