"""The talent team's bias audit report: the selection funnel by group, with charts and downloads."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user
from wtforms import DateField, Form, SelectChoice, SelectField
from wtforms.validators import DataRequired, ValidationError

from marketplace.clock import today
from marketplace.models import Role
from marketplace.models.equality import QUESTIONS
from marketplace.security import roles_required
from marketplace.services import equality, fairness

bp = Blueprint("fairness", __name__, url_prefix="/talent/fairness")

FORMATS = {"csv": ("text/csv", fairness.to_csv), "json": ("application/json", fairness.to_json)}


def _optional_int(value: object) -> int | None:
    return None if value in (None, "") else int(value)


class ReportForm(Form):
    """Period and opportunity (a GET form: it changes nothing, so no CSRF token)."""

    start = DateField("From", validators=[DataRequired("Enter the first day of the period.")])
    end = DateField("To (included)", validators=[DataRequired("Enter the last day of the period.")])
    opportunity = SelectField("Opportunity", coerce=_optional_int, default=None)

    def __init__(self, formdata):
        this_year = dt.date(today().year, 1, 1)
        super().__init__(formdata, data={"start": this_year, "end": today()})
        self.opportunity.choices = [SelectChoice("", "Every opportunity")] + [
            SelectChoice(opportunity_id, title) for opportunity_id, title in fairness.opportunity_choices()
        ]

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError("The period cannot end before it starts.")

    def period(self) -> fairness.Period:
        return fairness.Period(self.start.data, self.end.data)


def _form() -> ReportForm:
    # with no query at all, the defaults (this year so far) apply
    return ReportForm(request.args if request.args else None)


@bp.route("")
@roles_required(Role.TALENT)
def report():
    form = _form()
    if not form.validate():
        return render_template("fairness/report.html", form=form, report=None, responses=None), 400
    result = fairness.build_bias_report(form.period(), opportunity_id=form.opportunity.data, reader=current_user)
    return render_template(
        "fairness/report.html",
        form=form,
        report=result,
        responses=equality.response_counts(reader=current_user),
        questions=QUESTIONS,
        opportunity_title=next((c.label for c in form.opportunity.choices if c.value == form.opportunity.data), None),
        download_args={"start": form.start.data.isoformat(), "end": form.end.data.isoformat(),
                       "opportunity": form.opportunity.data or ""},
    )


@bp.route("/report.<string:fmt>")
@roles_required(Role.TALENT)
def download(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    form = _form()
    if not form.validate():
        problems = "; ".join(e for errors in form.errors.values() for e in errors)
        abort(400, f"The report was not made: {problems}")
    result = fairness.build_bias_report(form.period(), opportunity_id=form.opportunity.data, reader=current_user)
    mimetype, render = FORMATS[fmt]
    name = f"bias-report-{form.start.data}-{form.end.data}"
    if form.opportunity.data:
        name += f"-opportunity-{form.opportunity.data}"
    return Response(render(result), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
