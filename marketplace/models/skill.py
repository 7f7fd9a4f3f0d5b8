"""The skill catalogue: one row per skill, with aliases that resolve to it."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db

_SPACES = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    """Case- and whitespace-insensitive key under which labels and aliases are unique."""
    return _SPACES.sub(" ", text).strip().casefold()


class Skill(db.Model):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    # Unique so that "Python" and "python" cannot be two skills.
    name_key: Mapped[str] = mapped_column(sa.String(300), unique=True)
    source_uri: Mapped[str | None] = mapped_column(sa.String(300), unique=True)
    category: Mapped[str | None] = mapped_column(sa.String(100))
    description: Mapped[str] = mapped_column(sa.Text, default="")

    aliases: Mapped[list[SkillAlias]] = relationship(
        back_populates="skill", cascade="all, delete-orphan", order_by="SkillAlias.alias"
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        if self.name and not self.name_key:
            self.name_key = normalise_label(self.name)

    def __repr__(self) -> str:
        return f"<Skill {self.name}>"


class SkillAlias(db.Model):
    __tablename__ = "skill_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(sa.String(300))
    # One alias names one skill only: "K8s" cannot mean two things.
    alias_key: Mapped[str] = mapped_column(sa.String(300), unique=True)

    skill: Mapped[Skill] = relationship(back_populates="aliases")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        if self.alias and not self.alias_key:
            self.alias_key = normalise_label(self.alias)
