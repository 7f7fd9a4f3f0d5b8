"""The skill catalogue: resolving what people type to catalogue skills."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Skill, SkillAlias, normalise_label


class UnknownSkill(ValueError):
    """The text or id does not name a skill in the catalogue."""


def skill_by_label(label: str) -> Skill | None:
    """The skill whose preferred label or alias is ``label`` (case- and space-insensitive)."""
    key = normalise_label(label)
    if not key:
        return None
    skill = db.session.scalar(sa.select(Skill).where(Skill.name_key == key))
    if skill is None:
        skill = db.session.scalar(
            sa.select(Skill).join(SkillAlias).where(SkillAlias.alias_key == key)
        )
    return skill


def resolve_skill(skill_id: int | str | None, label: str | None) -> Skill:
    """The skill picked in a form: by id when the picker sent one, else by its typed label."""
    if skill_id not in (None, ""):
        try:
            skill = db.session.get(Skill, int(skill_id))
        except (TypeError, ValueError):
            skill = None
        if skill is None:
            raise UnknownSkill(f"Skill id {skill_id} is not in the catalogue.")
        return skill
    skill = skill_by_label(label or "")
    if skill is None:
        raise UnknownSkill(f"“{label}” is not a skill in the catalogue. Pick one from the suggestions.")
    return skill
