"""The domain model; importing this package registers every table."""

from marketplace.models.application import Application, ApplicationEvent
from marketplace.models.audit import AuditCheckpoint, AuditEntry, AuditHead
from marketplace.models.check_in import CheckIn, ObjectiveProgress
from marketplace.models.embedding import TextEmbedding
from marketplace.models.employee import DevelopmentGoal, Employee, EmployeeSkill
from marketplace.models.enums import (
    ApplicationAction,
    ApplicationStatus,
    CheckInFrequency,
    CheckInRating,
    EmailState,
    EvaluationQuestion,
    Funding,
    ImportFormat,
    IssueSeverity,
    InvitationStatus,
    JobKind,
    JobStatus,
    NotificationKind,
    ObjectiveStatus,
    OpportunityStatus,
    OpportunityType,
    OrganisationKind,
    RemotePolicy,
    ReturnOutcome,
    Role,
    SecondmentEndReason,
    SecondmentParty,
    SecondmentStatus,
    SkillRequirement,
    StretchTolerance,
    TerminationTrigger,
)
from marketplace.models.explanation import ExplanationRequest
from marketplace.models.imports import ImportFile, ImportIssue
from marketplace.models.job import JobRun
from marketplace.models.notification import Notification
from marketplace.models.opportunity import EligibleGrade, Opportunity, OpportunitySkill
from marketplace.models.organisation import Department, Organisation
from marketplace.models.returns import (
    Evaluation,
    EvaluationRating,
    KnowledgeNote,
    ReturnPlan,
    ReturnReview,
    SkillGain,
)
from marketplace.models.secondment import Invitation, Secondment, SecondmentEvent
from marketplace.models.skill import Skill, SkillAlias, normalise_label
from marketplace.models.user import User, UserRole

# Registers the equality monitoring table without re-exporting it: code that needs those answers
# imports marketplace.models.equality by name, which keeps the wall around them easy to check.
from marketplace.models import equality as _equality  # noqa: E402,F401  isort: skip

__all__ = [
    "Application",
    "ApplicationAction",
    "ApplicationEvent",
    "ApplicationStatus",
    "AuditCheckpoint",
    "AuditEntry",
    "AuditHead",
    "CheckIn",
    "CheckInFrequency",
    "CheckInRating",
    "Department",
    "DevelopmentGoal",
    "EligibleGrade",
    "EmailState",
    "Employee",
    "EmployeeSkill",
    "Evaluation",
    "EvaluationQuestion",
    "EvaluationRating",
    "ExplanationRequest",
    "Funding",
    "ImportFile",
    "ImportFormat",
    "ImportIssue",
    "IssueSeverity",
    "Invitation",
    "InvitationStatus",
    "JobKind",
    "JobRun",
    "JobStatus",
    "KnowledgeNote",
    "Notification",
    "NotificationKind",
    "ObjectiveProgress",
    "ObjectiveStatus",
    "Opportunity",
    "OpportunitySkill",
    "OpportunityStatus",
    "OpportunityType",
    "Organisation",
    "OrganisationKind",
    "RemotePolicy",
    "ReturnOutcome",
    "ReturnPlan",
    "ReturnReview",
    "Role",
    "Secondment",
    "SecondmentEvent",
    "SecondmentParty",
    "SecondmentEndReason",
    "SecondmentStatus",
    "Skill",
    "SkillGain",
    "SkillAlias",
    "SkillRequirement",
    "StretchTolerance",
    "TerminationTrigger",
    "TextEmbedding",
    "User",
    "UserRole",
    "normalise_label",
]
