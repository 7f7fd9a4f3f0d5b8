"""Closed vocabularies of the domain, stored as short strings with CHECK constraints."""

from __future__ import annotations

import enum


class StrEnum(str, enum.Enum):
    """A string enum whose members print as their value."""

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return LABELS.get((type(self), self.value), self.value.replace("_", " ").capitalize())

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class OrganisationKind(StrEnum):
    INTERNAL = "internal"
    SUPPLIER = "supplier"
    CLIENT = "client"
    PUBLIC_BODY = "public_body"
    CHARITY = "charity"


class Role(StrEnum):
    EMPLOYEE = "employee"
    LINE_MANAGER = "line_manager"
    HOST_MANAGER = "host_manager"
    TALENT = "talent"
    ADMIN = "admin"


class OpportunityType(StrEnum):
    CROSS_DEPARTMENTAL = "cross_departmental"
    INTER_ORGANISATIONAL = "inter_organisational"
    INTERNATIONAL = "international"
    VENDOR_CLIENT = "vendor_client"
    VOLUNTARY_SECTOR = "voluntary_sector"
    SHORT_PROJECT = "short_project"


class OpportunityStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"  # waiting for the talent team when publishing needs approval
    OPEN = "open"
    CLOSED = "closed"
    FILLED = "filled"
    CANCELLED = "cancelled"


class RemotePolicy(StrEnum):
    ON_SITE = "on_site"
    HYBRID = "hybrid"
    REMOTE = "remote"


class Funding(StrEnum):
    HOME_PAYS = "home_pays"
    HOST_RECHARGES = "host_recharges"


class SkillRequirement(StrEnum):
    REQUIRED = "required"
    NICE_TO_HAVE = "nice_to_have"
    DEVELOPS = "develops"


class StretchTolerance(StrEnum):
    """How far the host will stretch: from ready now to a developmental move."""

    READY_NOW = "ready_now"
    SOME_STRETCH = "some_stretch"
    DEVELOPMENTAL = "developmental"


class ApplicationStatus(StrEnum):
    """Where an application stands; services/selection.py holds the moves between them."""

    SUBMITTED = "submitted"  # waiting for the home line manager to release the person
    RELEASE_ESCALATED = "release_escalated"  # undecided too long: the talent team may decide too
    RELEASE_DECLINED = "release_declined"  # the line manager said no, with a reason; the person may appeal
    RELEASE_APPEALED = "release_appealed"
    RELEASE_REFUSED = "release_refused"  # the talent team upheld the decline
    RELEASED = "released"  # free to go: the host reviews it
    SHORTLISTED = "shortlisted"
    REJECTED = "rejected"
    INTERVIEW = "interview"
    OFFERED = "offered"
    OFFER_ACCEPTED = "offer_accepted"
    OFFER_DECLINED = "offer_declined"
    WITHDRAWN = "withdrawn"


class ApplicationAction(StrEnum):
    """Every decision recorded about an application."""

    SUBMIT = "submit"
    APPROVE_RELEASE = "approve_release"
    DECLINE_RELEASE = "decline_release"
    SKIP_RELEASE = "skip_release"  # the opportunity needs no release
    ESCALATE = "escalate"
    APPEAL = "appeal"
    OVERTURN = "overturn"  # the talent team reverses a line manager's decline
    UPHOLD = "uphold"  # ... or lets the decline stand
    SHORTLIST = "shortlist"
    REJECT = "reject"
    SCHEDULE_INTERVIEW = "schedule_interview"
    OFFER = "offer"
    ACCEPT_OFFER = "accept_offer"
    DECLINE_OFFER = "decline_offer"
    WITHDRAW = "withdraw"


class SecondmentStatus(StrEnum):
    PLANNED = "planned"  # offer accepted; the agreement is still to be signed
    AGREEMENT_SIGNED = "agreement_signed"
    ACTIVE = "active"
    ENDED = "ended"


class SecondmentEndReason(StrEnum):
    RETURNED = "returned"
    EXTENDED = "extended"
    TERMINATED_EARLY = "terminated_early"


class CheckInFrequency(StrEnum):
    """How often a running secondment's check-ins fall due; chosen in the agreement."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class CheckInRating(StrEnum):
    """The overall red-amber-green rating of a check-in."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


class ObjectiveStatus(StrEnum):
    """Where one objective of the secondment stands at a check-in."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    ACHIEVED = "achieved"


class TerminationTrigger(StrEnum):
    """The event that ends a secondment early (stored as the ending step's reason code)."""

    MISCONDUCT = "misconduct"
    LONG_TERM_SICKNESS = "long_term_sickness"
    ORGANISATIONAL_CHANGE = "organisational_change"
    MUTUAL_AGREEMENT = "mutual_agreement"
    OTHER = "other"


class ReturnOutcome(StrEnum):
    """What the return plan says happens when a secondment's end date comes."""

    ORIGINAL_ROLE = "original_role"
    EQUIVALENT_ROLE = "equivalent_role"
    EXTENSION = "extension"  # only the intent: the extension itself is an amendment of the agreement
    CONVERSION = "conversion"  # the move becomes permanent


class EvaluationQuestion(StrEnum):
    """The fixed questions every party of an ended secondment rates from 1 to 5."""

    OBJECTIVES_MET = "objectives_met"
    DEVELOPMENT_VALUE = "development_value"
    SUPPORT = "support"
    WOULD_RECOMMEND = "would_recommend"


class SecondmentParty(StrEnum):
    """The capacity in which someone takes part in a secondment."""

    EMPLOYEE = "employee"  # the secondee
    HOME_MANAGER = "home_manager"
    HOST_MANAGER = "host_manager"
    TALENT = "talent"


class AgreementStatus(StrEnum):
    """Where one version of a secondment agreement stands."""

    DRAFT = "draft"  # being written; editable by both managers and the talent team until everyone signed
    SIGNED = "signed"  # signed by the secondee and both managers: the terms in force
    SUPERSEDED = "superseded"  # was in force until a later signed amendment replaced it
    WITHDRAWN = "withdrawn"  # a proposed amendment dropped before everyone signed it


class SalaryPayer(StrEnum):
    """Who keeps paying the secondee's salary (the recharge moves some of the cost to the host)."""

    HOME = "home"
    HOST = "host"


class ReturnArrangement(StrEnum):
    """What the secondee comes back to."""

    ORIGINAL_ROLE = "original_role"
    ANOTHER_ROLE = "another_role"


class BackfillPlan(StrEnum):
    """How the home team covers the secondee's work while they are away."""

    LEAVE_VACANT = "leave_vacant"
    TEMPORARY_COVER = "temporary_cover"
    ACTING_UP = "acting_up"  # someone in the home team steps up; may be posted in the marketplace


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class JobKind(StrEnum):
    IMPORT_EMPLOYEES = "import_employees"
    REEMBED = "reembed"


class ImportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class IssueSeverity(StrEnum):
    REJECTED = "rejected"  # the row was not imported
    WARNING = "warning"  # the row was imported without the part named
class NotificationKind(StrEnum):
    """What a notification is about; features add their own kinds here."""

    APPLICATION_SUBMITTED = "application_submitted"
    APPLICATION_WITHDRAWN = "application_withdrawn"
    APPLICATION_DECISION = "application_decision"  # any step of selection: release, shortlist, offer...
    RELEASE_REMINDER = "release_reminder"
    SECONDMENT_STARTING = "secondment_starting"
    SECONDMENT_ENDING = "secondment_ending"
    OPPORTUNITY_CLOSED = "opportunity_closed"
    OPPORTUNITY_CANCELLED = "opportunity_cancelled"
    EXPLANATION_REQUESTED = "explanation_requested"  # an applicant asks why they were not selected
    EXPLANATION_ANSWERED = "explanation_answered"
    SECONDMENT_UPDATE = "secondment_update"  # any step of a running secondment: agreement, check-in, return
    CHECK_IN_DUE = "check_in_due"  # the secondee and host, a few days before a check-in
    CHECK_IN_OVERDUE = "check_in_overdue"  # both managers, once, when a check-in's day passed unrecorded
    RETURN_PLAN_DUE = "return_plan_due"  # the home manager, once, when the return plan falls due and is missing
    KNOWLEDGE_NOTE = "knowledge_note"  # the home manager and team, when a returner shares what they learnt
    ACCOUNT_SECURITY = "account_security"  # roles changed, password changed, a password reset link


class EmailState(StrEnum):
    """Delivery of a notification's e-mail: pending -> sending -> sent, or failed, or not wanted."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    NOT_WANTED = "not_wanted"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


# Labels are keyed by (enum, value): members of different enums with the same value (OpportunityStatus.DRAFT
# and AgreementStatus.DRAFT are both "draft") are equal as strings, so a dict keyed by members would mix them.
LABELS = {(type(member), member.value): text for member, text in (
    (OrganisationKind.PUBLIC_BODY, "Public body"),
    (Role.LINE_MANAGER, "Line manager"),
    (Role.HOST_MANAGER, "Host manager"),
    (Role.TALENT, "Talent team"),
    (OpportunityType.CROSS_DEPARTMENTAL, "Cross-departmental"),
    (OpportunityType.INTER_ORGANISATIONAL, "Inter-organisational (external)"),
    (OpportunityType.VENDOR_CLIENT, "Vendor or client"),
    (OpportunityType.VOLUNTARY_SECTOR, "Voluntary sector"),
    (RemotePolicy.ON_SITE, "On site"),
    (Funding.HOME_PAYS, "Home organisation keeps paying"),
    (Funding.HOST_RECHARGES, "Host recharges a share"),
    (SkillRequirement.NICE_TO_HAVE, "Nice to have"),
    (SkillRequirement.DEVELOPS, "Develops"),
    (StretchTolerance.READY_NOW, "Ready now: fit matters most"),
    (StretchTolerance.SOME_STRETCH, "Some stretch: fit first, growth counts"),
    (StretchTolerance.DEVELOPMENTAL, "Developmental: growth counts as much as fit"),
    (ApplicationStatus.RELEASE_ESCALATED, "Release escalated"),
    (ApplicationStatus.RELEASE_DECLINED, "Release declined"),
    (ApplicationStatus.RELEASE_APPEALED, "Release appealed"),
    (ApplicationStatus.RELEASE_REFUSED, "Release refused"),
    (ApplicationStatus.INTERVIEW, "Interview scheduled"),
    (ApplicationStatus.OFFER_ACCEPTED, "Offer accepted"),
    (ApplicationStatus.OFFER_DECLINED, "Offer declined"),
    (ApplicationAction.SUBMIT, "Applied"),
    (ApplicationAction.APPROVE_RELEASE, "Release approved"),
    (ApplicationAction.DECLINE_RELEASE, "Release declined"),
    (ApplicationAction.SKIP_RELEASE, "No release needed"),
    (ApplicationAction.ESCALATE, "Release escalated to the talent team"),
    (ApplicationAction.APPEAL, "Decline appealed"),
    (ApplicationAction.OVERTURN, "Decline overturned on appeal: released"),
    (ApplicationAction.UPHOLD, "Decline upheld on appeal"),
    (ApplicationAction.SHORTLIST, "Shortlisted"),
    (ApplicationAction.REJECT, "Not taken forward"),
    (ApplicationAction.SCHEDULE_INTERVIEW, "Interview scheduled"),
    (ApplicationAction.OFFER, "Offer made"),
    (ApplicationAction.ACCEPT_OFFER, "Offer accepted"),
    (ApplicationAction.DECLINE_OFFER, "Offer declined"),
    (ApplicationAction.WITHDRAW, "Withdrawn"),
    (OpportunityStatus.PENDING_APPROVAL, "Awaiting approval"),
    (SecondmentEndReason.TERMINATED_EARLY, "Terminated early"),
    (CheckInRating.ON_TRACK, "On track"),
    (CheckInRating.AT_RISK, "At risk"),
    (CheckInRating.OFF_TRACK, "Off track"),
    (ObjectiveStatus.ON_TRACK, "On track"),
    (ObjectiveStatus.AT_RISK, "At risk"),
    (TerminationTrigger.LONG_TERM_SICKNESS, "Long-term sickness"),
    (AgreementStatus.DRAFT, "Draft, to sign"),
    (AgreementStatus.SIGNED, "Signed, in force"),
    (AgreementStatus.SUPERSEDED, "Replaced by a later version"),
    (SalaryPayer.HOME, "The home organisation"),
    (SalaryPayer.HOST, "The host organisation"),
    (ReturnArrangement.ORIGINAL_ROLE, "Their original role"),
    (ReturnArrangement.ANOTHER_ROLE, "Another role (named below)"),
    (BackfillPlan.LEAVE_VACANT, "Leave the role vacant"),
    (BackfillPlan.TEMPORARY_COVER, "Temporary cover"),
    (BackfillPlan.ACTING_UP, "An acting-up opportunity for someone in the home team"),
    (ReturnOutcome.ORIGINAL_ROLE, "Return to the original role"),
    (ReturnOutcome.EQUIVALENT_ROLE, "Return to an equivalent role"),
    (ReturnOutcome.EXTENSION, "Extend the secondment"),
    (ReturnOutcome.CONVERSION, "Convert to a permanent move"),
    (EvaluationQuestion.OBJECTIVES_MET, "The secondment's objectives were met"),
    (EvaluationQuestion.DEVELOPMENT_VALUE, "It was worth it for the secondee's development"),
    (EvaluationQuestion.SUPPORT, "The secondee was well supported by both sides"),
    (EvaluationQuestion.WOULD_RECOMMEND, "I would recommend a secondment like this"),
    (JobKind.IMPORT_EMPLOYEES, "Employee import"),
    (JobKind.REEMBED, "Re-embedding after a model change"),
    (EmailState.NOT_WANTED, "Not wanted"),
)}


def check_in(column: str, enum_cls: type[StrEnum]) -> str:
    """SQL text of a CHECK constraint limiting a column to an enum's values."""
    values = ", ".join(f"'{v}'" for v in enum_cls.values())
    return f"{column} IN ({values})"


def add_labels(labels: dict[StrEnum, str]) -> None:
    """Register the labels of enums defined in other modules (keyed by enum and value, as above)."""
    LABELS.update({(type(member), member.value): text for member, text in labels.items()})
