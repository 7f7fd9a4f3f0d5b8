"""The controlled vocabularies of reason codes a decision about a person is recorded with.

Codes make decisions countable (how often do hosts reject for a skills gap?) where free text is not;
"other" is always allowed but must then be explained in words.
"""

from __future__ import annotations

from marketplace.models.enums import ApplicationAction, StrEnum


class ReasonCode(StrEnum):
    """Why a host shortlisted, rejected or offered, or a line manager declined a release."""

    # shortlist
    STRONG_SKILLS_MATCH = "strong_skills_match"
    DEVELOPMENT_POTENTIAL = "development_potential"
    SPECIFIC_EXPERIENCE = "specific_experience"
    INTERNAL_MOBILITY_GOAL = "internal_mobility_goal"
    # reject
    SKILLS_GAP = "skills_gap"
    LEVEL_BELOW_MINIMUM = "level_below_minimum"
    AVAILABILITY_MISMATCH = "availability_mismatch"
    STRONGER_CANDIDATES = "stronger_candidates"
    ROLE_FILLED_OR_CANCELLED = "role_filled_or_cancelled"
    # offer
    BEST_OVERALL_FIT = "best_overall_fit"
    STRONGEST_SKILLS = "strongest_skills"
    DEVELOPMENT_CASE = "development_case"
    # decline a release
    BUSINESS_CRITICAL_PERIOD = "business_critical_period"
    NO_BACKFILL = "no_backfill"
    PERFORMANCE_CONCERNS = "performance_concerns"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LABELS[self]


class OverrideCode(StrEnum):
    """Why a host picked someone no ranking of the opportunity showed them."""

    KNOWN_CANDIDATE = "override_known_candidate"
    APPLIED_DIRECTLY = "override_applied_directly"
    RANKING_MISSED_SKILL = "override_ranking_missed_skill"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LABELS[self]


R, A = ReasonCode, ApplicationAction
# The codes each decision takes; a decision listed here cannot be taken without one.
CODES: dict[ApplicationAction, tuple[ReasonCode, ...]] = {
    A.SHORTLIST: (R.STRONG_SKILLS_MATCH, R.DEVELOPMENT_POTENTIAL, R.SPECIFIC_EXPERIENCE, R.INTERNAL_MOBILITY_GOAL,
                  R.OTHER),
    A.REJECT: (R.SKILLS_GAP, R.LEVEL_BELOW_MINIMUM, R.AVAILABILITY_MISMATCH, R.STRONGER_CANDIDATES,
               R.ROLE_FILLED_OR_CANCELLED, R.OTHER),
    A.OFFER: (R.BEST_OVERALL_FIT, R.STRONGEST_SKILLS, R.DEVELOPMENT_CASE, R.OTHER),
    A.DECLINE_RELEASE: (R.BUSINESS_CRITICAL_PERIOD, R.NO_BACKFILL, R.PERFORMANCE_CONCERNS, R.OTHER),
}
# Picks that need an override code when the person was never shown in a ranking. Scheduling an
# interview follows a shortlist that already gave one, so it is flagged in the log but not asked again.
OVERRIDE_PICKS = frozenset({A.SHORTLIST, A.OFFER})

_LABELS = {
    R.STRONG_SKILLS_MATCH: "Strong match on the required skills",
    R.DEVELOPMENT_POTENTIAL: "Development potential",
    R.SPECIFIC_EXPERIENCE: "Specific experience the role needs",
    R.INTERNAL_MOBILITY_GOAL: "Internal mobility goal",
    R.SKILLS_GAP: "Gap in the required skills",
    R.LEVEL_BELOW_MINIMUM: "Skill level below the minimum",
    R.AVAILABILITY_MISMATCH: "Availability does not fit the dates",
    R.STRONGER_CANDIDATES: "Other candidates were stronger",
    R.ROLE_FILLED_OR_CANCELLED: "The role was filled or cancelled",
    R.BEST_OVERALL_FIT: "Best overall fit",
    R.STRONGEST_SKILLS: "Strongest skills",
    R.DEVELOPMENT_CASE: "A development case",
    R.BUSINESS_CRITICAL_PERIOD: "Business-critical period in the home team",
    R.NO_BACKFILL: "No cover (backfill) available",
    R.PERFORMANCE_CONCERNS: "Performance concerns",
    R.OTHER: "Other (explain in the reason)",
    OverrideCode.KNOWN_CANDIDATE: "I know the candidate's work",
    OverrideCode.APPLIED_DIRECTLY: "They applied directly; the ranking did not show them",
    OverrideCode.RANKING_MISSED_SKILL: "The ranking missed a skill they have",
}


def codes_for(action: ApplicationAction | str) -> tuple[ReasonCode, ...]:
    """The reason codes ``action`` takes (empty: it takes none)."""
    return CODES.get(ApplicationAction(action), ())


def label_of(code: str | None) -> str | None:
    """The label of a stored reason or override code."""
    if code is None:
        return None
    for enum_cls in (OverrideCode, ReasonCode):
        if code in enum_cls.values():
            return enum_cls(code).label
    return code
