"""The domain model; importing this package registers every table."""

from marketplace.models.application import Application, ApplicationEvent
from marketplace.models.embedding import TextEmbedding
from marketplace.models.employee import DevelopmentGoal, Employee, EmployeeSkill
from marketplace.models.enums import (
    ApplicationAction,
    ApplicationStatus,
    Funding,
    InvitationStatus,
    JobKind,
    JobStatus,
    OpportunityStatus,
    OpportunityType,
    OrganisationKind,
    RemotePolicy,
    Role,
    SecondmentEndReason,
    SecondmentStatus,
    SkillRequirement,
    StretchTolerance,
)
from marketplace.models.job import JobRun
from marketplace.models.opportunity import EligibleGrade, Opportunity, OpportunitySkill
from marketplace.models.organisation import Department, Organisation
from marketplace.models.secondment import Invitation, Secondment
from marketplace.models.skill import Skill, SkillAlias, normalise_label
from marketplace.models.user import User, UserRole

__all__ = [
    "Application",
    "ApplicationAction",
    "ApplicationEvent",
    "ApplicationStatus",
    "Department",
    "DevelopmentGoal",
    "EligibleGrade",
    "Employee",
    "EmployeeSkill",
    "Funding",
    "Invitation",
    "InvitationStatus",
    "JobKind",
    "JobRun",
    "JobStatus",
    "Opportunity",
    "OpportunitySkill",
    "OpportunityStatus",
    "OpportunityType",
    "Organisation",
    "OrganisationKind",
    "RemotePolicy",
    "Role",
    "Secondment",
    "SecondmentEndReason",
    "SecondmentStatus",
    "Skill",
    "SkillAlias",
    "SkillRequirement",
    "StretchTolerance",
    "TextEmbedding",
    "User",
    "UserRole",
    "normalise_label",
]
