"""Plain input records for matching: what a person offers and what a secondment asks for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SkillClaim:
    """A named skill, optionally with a level 1-5 and catalogue aliases ("K8s" for Kubernetes)."""

    name: str
    level: int | None = None
    aliases: tuple[str, ...] = ()

    @classmethod
    def parse(cls, value: Any) -> SkillClaim:
        """Accept "Python" or {"name": "Python", "level": 3, "aliases": [...]}."""
        if isinstance(value, str):
            return cls(name=value)
        if isinstance(value, SkillClaim):
            return value
        level = value.get("level")
        return cls(
            name=str(value["name"]),
            level=int(level) if level not in (None, "") else None,
            aliases=tuple(value.get("aliases") or ()),
        )


@dataclass(frozen=True)
class PersonProfile:
    """What the matcher may know about a person: skills, prose and goals. Never demographics."""

    id: Any
    job_title: str = ""
    skills: tuple[SkillClaim, ...] = ()
    summary: str = ""
    development_goals: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """What the person can do as one text (goals are left out: they are not ability)."""
        parts = [self.job_title, ", ".join(s.name for s in self.skills), self.summary]
        return ". ".join(p for p in parts if p)


@dataclass(frozen=True)
class OpportunityProfile:
    """A secondment as the matcher sees it; ``stretch`` is 0 (ready now) to 1 (developmental)."""

    id: Any
    title: str = ""
    description: str = ""
    required_skills: tuple[SkillClaim, ...] = ()
    nice_to_have_skills: tuple[SkillClaim, ...] = ()
    develops_skills: tuple[SkillClaim, ...] = ()
    stretch: float = 0.25
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def text(self) -> str:
        """The secondment as one text, for retrieval and the whole-profile signal."""
        parts = [self.title, self.description]
        if self.required_skills:
            parts.append("Requires: " + ", ".join(s.name for s in self.required_skills))
        if self.nice_to_have_skills:
            parts.append("Nice to have: " + ", ".join(s.name for s in self.nice_to_have_skills))
        if self.develops_skills:
            parts.append("Develops: " + ", ".join(s.name for s in self.develops_skills))
        return ". ".join(p for p in parts if p)
