"""Form pieces shared by several blueprints."""

from __future__ import annotations

import datetime as dt

import flask_wtf
import wtforms
from wtforms import (
    DateField,
    DateTimeLocalField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from marketplace.errors import DomainError
from marketplace.limits import EARLIEST_DATE, INT_MAX, INT_MIN, LATEST_DATE, in_int_range
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


def single_line(form: wtforms.Form, field: wtforms.Field) -> None:
    """Refuse a line break in a one-line field: it would end up in an e-mail subject or a CSV row."""
    if isinstance(field.data, str) and ("\r" in field.data or "\n" in field.data):
        raise ValidationError("Keep this to one line: remove the line break.")


def date_in_range(form: wtforms.Form, field: wtforms.Field) -> None:
    """Refuse a date no one means (year 1 or 9999), before date arithmetic overflows on it."""
    day = field.data.date() if isinstance(field.data, dt.datetime) else field.data
    if isinstance(day, dt.date) and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(f"Give a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}.")


def int_in_range(form: wtforms.Form, field: wtforms.Field) -> None:
    """Refuse a whole number the database cannot store."""
    if isinstance(field.data, int) and not in_int_range(field.data):
        raise ValidationError(f"Give a whole number from {INT_MIN:,} to {INT_MAX:,}.")


def _checks_for(field: wtforms.Field) -> list:
    """The checks every field of this kind gets, whichever form it is on."""
    if isinstance(field, (TextAreaField, PasswordField, HiddenField)):
        return []  # several lines are the point of a text area; hidden fields are not typed by people
    if isinstance(field, StringField):
        return [single_line]
    if isinstance(field, (DateField, DateTimeLocalField)):
        return [date_in_range]
    if isinstance(field, IntegerField) and not any(  # a narrower range of its own already says what fits
        isinstance(v, NumberRange) and v.min is not None and v.max is not None
        and in_int_range(v.min) and in_int_range(v.max) for v in field.validators
    ):
        return [int_in_range]
    return []


class _CheckedFieldsMeta:
    """Adds the checks of ``_checks_for`` to every field as the form binds it, so no form can forget one."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        checks = _checks_for(field)
        if checks:
            field.validators = [*field.validators, *checks]
        return field


class FlaskForm(flask_wtf.FlaskForm):
    """The base of every posted form of the marketplace: one-line text, dates and whole numbers are checked."""

    Meta = _CheckedFieldsMeta


class Form(wtforms.Form):
    """Every query-string filter form of the marketplace, with the same checks as ``FlaskForm``."""

    Meta = _CheckedFieldsMeta


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
