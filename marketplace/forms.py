"""Form pieces shared by several blueprints."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from marketplace.errors import DomainError
from marketplace.models import Skill
from marketplace.services.catalogue import UnknownSkill, resolve_skill

LEVEL_NAMES = {1: "Awareness", 2: "Working knowledge", 3: "Practitioner", 4: "Advanced", 5: "Expert"}
LEVEL_CHOICES = [SelectChoice("", "—")] + [
    SelectChoice(str(level), f"{level} · {name}") for level, name in LEVEL_NAMES.items()
]


def level_label(level: int | None) -> str:
    """A proficiency level as people read it: "3 · Practitioner"."""
    return f"{level} · {LEVEL_NAMES[level]}" if level in LEVEL_NAMES else "—"


def crlf_to_lf(text: str | None) -> str | None:
    """Count a line break as one character, as the browser's maxlength does (it posts CRLF)."""
    return text.replace("\r\n", "\n") if text else text


def show_refusal(form: FlaskForm, error: DomainError) -> None:
    """Put a service's refusal next to the field it names, or at the top of the form."""
    field = form._fields.get(error.field) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


class SkillRowForm(FlaskForm):
    """One skill in a list: the picker fills skill_id, the person sees and types skill_name."""

    class Meta:
        csrf = False  # rows live inside a form that already carries the token

    skill_id = HiddenField()
    skill_name = StringField("Skill", validators=[Optional(), Length(max=300)])
    level = SelectField("Level", choices=LEVEL_CHOICES, validators=[Optional()])

    @property
    def is_blank(self) -> bool:
        return not (self.skill_id.data or (self.skill_name.data or "").strip())


def skill_rows(label: str, min_entries: int = 3) -> FieldList:
    """A list of skill rows with a few blank ones to fill in without JavaScript."""
    return FieldList(FormField(SkillRowForm), label=label, min_entries=min_entries, max_entries=60)


def resolved_skill_rows(
    rows: FieldList, *, level_required: bool, level_label: str = "level"
) -> list[tuple[Skill, int | None]] | None:
    """Resolve filled-in rows to (skill, level); on any error, mark the row and return None."""
    resolved: list[tuple[Skill, int | None]] = []
    seen: set[int] = set()
    ok = True
    for row in rows:
        if row.form.is_blank:
            continue
        try:
            skill = resolve_skill(row.form.skill_id.data, row.form.skill_name.data)
        except UnknownSkill as error:
            row.form.skill_name.errors = [*row.form.skill_name.errors, str(error)]
            ok = False
            continue
        level = row.form.level.data
        if level in (None, ""):
            if level_required:
                row.form.level.errors = [*row.form.level.errors, f"Choose a {level_label} from 1 to 5."]
                ok = False
                continue
            level_value = None
        else:
            level_value = int(level)
        if skill.id in seen:
            row.form.skill_name.errors = [*row.form.skill_name.errors, f"{skill.name} is listed twice."]
            ok = False
            continue
        seen.add(skill.id)
        resolved.append((skill, level_value))
    return resolved if ok else None
