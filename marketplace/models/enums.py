"""Closed vocabularies of the domain, stored as short strings with CHECK constraints."""

from __future__ import annotations

import enum


class StrEnum(str, enum.Enum):
    """A string enum whose members print as their value."""

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return LABELS.get(self, self.value.replace("_", " ").capitalize())

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
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


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
    OPPORTUNITY_CLOSED = "opportunity_closed"
    OPPORTUNITY_CANCELLED = "opportunity_cancelled"


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


LABELS = {
    OrganisationKind.PUBLIC_BODY: "Public body",
    Role.LINE_MANAGER: "Line manager",
    Role.HOST_MANAGER: "Host manager",
    Role.TALENT: "Talent team",
    OpportunityType.CROSS_DEPARTMENTAL: "Cross-departmental",
    OpportunityType.INTER_ORGANISATIONAL: "Inter-organisational (external)",
    OpportunityType.VENDOR_CLIENT: "Vendor or client",
    OpportunityType.VOLUNTARY_SECTOR: "Voluntary sector",
    RemotePolicy.ON_SITE: "On site",
    Funding.HOME_PAYS: "Home organisation keeps paying",
    Funding.HOST_RECHARGES: "Host recharges a share",
    SkillRequirement.NICE_TO_HAVE: "Nice to have",
    SkillRequirement.DEVELOPS: "Develops",
    StretchTolerance.READY_NOW: "Ready now: fit matters most",
    StretchTolerance.SOME_STRETCH: "Some stretch: fit first, growth counts",
    StretchTolerance.DEVELOPMENTAL: "Developmental: growth counts as much as fit",
    JobKind.IMPORT_EMPLOYEES: "Employee import",
    JobKind.REEMBED: "Re-embedding after a model change",
    EmailState.NOT_WANTED: "Not wanted",
}


def check_in(column: str, enum_cls: type[StrEnum]) -> str:
    """SQL text of a CHECK constraint limiting a column to an enum's values."""
    values = ", ".join(f"'{v}'" for v in enum_cls.values())
    return f"{column} IN ({values})"
