"""The domain model; importing this package registers every table."""

from marketplace.models.application import Application
from marketplace.models.audit import AuditCheckpoint, AuditEntry, AuditHead
from marketplace.models.embedding import TextEmbedding
from marketplace.models.employee import DevelopmentGoal, Employee, EmployeeSkill
from marketplace.models.enums import (
    ApplicationStatus,
    Funding,
    JobKind,
    JobStatus,
    OpportunityStatus,
    OpportunityType,
    OrganisationKind,
    RemotePolicy,
    Role,
    SkillRequirement,
    StretchTolerance,
)
from marketplace.models.job import JobRun
from marketplace.models.opportunity import EligibleGrade, Opportunity, OpportunitySkill
from marketplace.models.organisation import Department, Organisation
from marketplace.models.skill import Skill, SkillAlias, normalise_label
from marketplace.models.user import User, UserRole

# Registers the equality monitoring table without re-exporting it: code that needs those answers
# imports marketplace.models.equality by name, which keeps the wall around them easy to check.
from marketplace.models import equality as _equality  # noqa: E402,F401  isort: skip

__all__ = [
    "Application",
    "ApplicationStatus",
    "AuditCheckpoint",
    "AuditEntry",
    "AuditHead",
    "Department",
    "DevelopmentGoal",
    "EligibleGrade",
    "Employee",
    "EmployeeSkill",
    "Funding",
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
    "Skill",
    "SkillAlias",
    "SkillRequirement",
    "StretchTolerance",
    "TextEmbedding",
    "User",
    "UserRole",
    "normalise_label",
]
