"""The employee's own profile: what they bring, what they want to learn, when they are free."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from wtforms import BooleanField, DateField, FieldList, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from marketplace.forms import FlaskForm, crlf_to_lf, resolved_skill_rows, skill_rows
from marketplace.models import Employee, Role
from marketplace.security import current_employee, roles_required
from marketplace.services import profiles

bp = Blueprint("profile", __name__)

SPARE_ROWS = 2  # blank skill rows to add more without JavaScript
CAPACITY_MESSAGE = "Enter a percentage from 1 to 100."


class ProfileForm(FlaskForm):
    summary = TextAreaField(
        "Summary",
        validators=[Length(max=profiles.SUMMARY_MAX, message="Keep your summary to 4,000 characters or fewer.")],
        filters=[crlf_to_lf],
        render_kw={"rows": 6},
    )
    skills = skill_rows("Your skills")
    goal_skills = skill_rows("Skills you want to develop", min_entries=2)
    goal_areas = FieldList(
        StringField(
            "Area",
            validators=[Optional(), Length(max=profiles.AREA_MAX, message="Keep each area to 300 characters or fewer.")],
        ),
        min_entries=profiles.AREAS_MAX,
        max_entries=profiles.AREAS_MAX,
    )
    available_from = DateField("Available from", validators=[Optional()])
    available_until = DateField("Available until", validators=[Optional()])
    capacity_percent = IntegerField(
        "Capacity for a secondment (% of your working time)",
        validators=[InputRequired(message=CAPACITY_MESSAGE), NumberRange(1, 100, message=CAPACITY_MESSAGE)],
    )
    open_to_remote = BooleanField("Open to working remotely")
    open_to_relocation = BooleanField("Open to relocating for a secondment")
    open_to_international = BooleanField("Open to international secondments")

    def validate_available_until(self, field: DateField) -> None:
        start = self.available_from.data
        if field.data and start and field.data < start:
            raise ValidationError("Your availability cannot end before it starts.")

    def changes(self) -> profiles.ProfileChanges | None:
        """The validated changes, or None with every problem marked next to its field."""
        valid = self.validate()
        # Rows whose level is already invalid cannot be resolved; the others can still report unknown skills.
        skills = None if self.skills.errors else resolved_skill_rows(self.skills, level_required=True)
        goals = None if self.goal_skills.errors else resolved_skill_rows(self.goal_skills, level_required=False)
        if not valid or skills is None or goals is None:
            if valid:  # errors only on skill rows, which form.errors does not list
                self.form_errors.append("Check the skills marked below.")
            return None
        return profiles.ProfileChanges(
            summary=self.summary.data or "",
            capacity_percent=self.capacity_percent.data,
            skills=skills,  # levels are required, so never None here
            goal_skills=[skill for skill, _ in goals],
            goal_areas=[area for area in self.goal_areas.data if area and area.strip()],
            available_from=self.available_from.data,
            available_until=self.available_until.data,
            open_to_remote=self.open_to_remote.data,
            open_to_relocation=self.open_to_relocation.data,
            open_to_international=self.open_to_international.data,
        )


def _form_data(employee: Employee) -> dict:
    """The profile as the form shows it."""
    skills = sorted(employee.skills, key=lambda row: row.skill.name.casefold())
    goals = employee.development_goals
    return {
        "summary": employee.summary,
        "skills": [{"skill_id": str(r.skill_id), "skill_name": r.skill.name, "level": str(r.level)} for r in skills],
        "goal_skills": [{"skill_id": str(g.skill_id), "skill_name": g.skill.name} for g in goals if g.skill],
        # WTForms refuses more rows than max_entries, so areas recorded elsewhere beyond five are cut.
        "goal_areas": [g.area for g in goals if g.skill is None][: profiles.AREAS_MAX],
        "available_from": employee.available_from,
        "available_until": employee.available_until,
        "capacity_percent": employee.capacity_percent,
        "open_to_remote": employee.open_to_remote,
        "open_to_relocation": employee.open_to_relocation,
        "open_to_international": employee.open_to_international,
    }


def _add_spare_rows(form: ProfileForm) -> None:
    for rows in (form.skills, form.goal_skills):
        while sum(row.form.is_blank for row in rows) < SPARE_ROWS and len(rows) < rows.max_entries:
            rows.append_entry()


@bp.route("/profile", methods=["GET", "POST"])
@roles_required(Role.EMPLOYEE)
def edit():
    employee = current_employee()
    if request.method == "POST":
        form = ProfileForm()
        changes = form.changes()
        if changes is None:
            return render_template("profile/edit.html", form=form, employee=employee), 400
        profiles.update_profile(employee, changes)
        flash("Your profile was saved.", "success")
        return redirect(url_for("profile.edit"))
    form = ProfileForm(data=_form_data(employee))
    _add_spare_rows(form)
    return render_template("profile/edit.html", form=form, employee=employee)
