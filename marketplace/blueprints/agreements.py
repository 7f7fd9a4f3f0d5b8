"""The secondment agreement: each version's page, the edit form, signing, amendments, print and PDF.

Every party of the secondment reads every version (others get the secondment page's 403); the
services decide who may write, sign or amend, and these routes turn away people who never may.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from marketplace.blueprints.secondments import visible_or_404
from marketplace.errors import DomainError
from marketplace.forms import FlaskForm, crlf_to_lf, show_refusal
from marketplace.models import SecondmentAgreement, SecondmentParty
from marketplace.models.secondment import Secondment
from marketplace.formatting import format_date
from marketplace.services import acting_up, agreement_amendments, agreement_signing, agreement_terms, agreements
from marketplace.services.agreement_pdf import agreement_pdf
from marketplace.services.agreement_terms import CHOICE, CHOICES, DATE, INTEGER, LINES, LONG_TEXT, Term

bp = Blueprint("agreements", __name__, url_prefix="/secondments/<int:secondment_id>/agreement")
P = SecondmentParty


class Needed:
    """Marks a required term for the form's asterisk and ``required`` attribute; the service checks it."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        pass


def _form_field(term: Term):
    flags = [Needed()] if term.required else []
    if term.kind == DATE:
        return DateField(term.label, validators=[Optional(), *flags])
    if term.kind == INTEGER:
        return IntegerField(term.label, validators=[Optional(), *flags])
    if term.kind == CHOICE:
        options = [SelectChoice("", "Choose…")] + [SelectChoice(*c) for c in term.choices.choices()]
        return SelectField(term.label, choices=options, validators=[Optional(), *flags])
    if term.kind == CHOICES:
        return SelectMultipleField(term.label, choices=[SelectChoice(*c) for c in term.choices.choices()],
                                   validators=[Optional(), *flags])
    if term.kind in (LINES, LONG_TEXT):
        return TextAreaField(term.label, filters=[crlf_to_lf], validators=flags)
    return StringField(term.label, validators=flags)


# one field per term, named as the term; the rules live in services/agreement_terms.py
AgreementForm = type("AgreementForm", (FlaskForm,), {
    "revision": HiddenField(), **{term.name: _form_field(term) for term in agreement_terms.TERMS.values()},
})


def _form_values(agreement: SecondmentAgreement) -> dict:
    values = agreement_terms.read(agreement.terms)
    return {name: "\n".join(value) if agreement_terms.TERMS[name].kind == LINES else value
            for name, value in values.items()}


def _version_or_404(secondment_id: int, version: int) -> tuple[SecondmentAgreement, set[SecondmentParty]]:
    secondment, parts = visible_or_404(secondment_id)
    agreement = agreements.version_of(secondment, version)
    if agreement is None:
        abort(404)
    return agreement, parts


@bp.app_template_global("agreement_section")
def agreement_section(secondment: Secondment) -> dict:
    """What the secondment page's agreement section shows the current user."""
    agreement = agreements.ensure_agreement(secondment)
    return {"agreement": agreement, "page": _page(agreement) if agreement else None}


def _page(agreement: SecondmentAgreement) -> dict:
    """What a version's page (and the section summarising it) offers the current user."""
    secondment = agreement.secondment
    return {
        "still_to_sign": [agreements.PARTY_NAMES[p] for p in agreement_signing.still_to_sign(agreement)],
        "may_sign": agreement_signing.may_sign(current_user, agreement),
        "may_edit": agreements.may_edit(current_user, agreement),
        "may_amend": agreements.editor_role(current_user, secondment) is not None
                     and agreement_amendments.can_amend(secondment),
        "problems": agreement_terms.problems_of(agreement.terms, agreements.rules_for(secondment))
                    if agreement.is_draft else {},
        "cap_warning": agreement_amendments.warning(secondment, agreement_terms.read(agreement.terms)["end_date"]),
        "acting_up": acting_up.posted(agreement),
        "acting_up_wanted": acting_up.wanted(agreement),
        "may_post_acting_up": acting_up.may_post(current_user, agreement),
    }


def _render_version(agreement: SecondmentAgreement):
    secondment = agreement.secondment
    return render_template(
        "agreements/show.html", agreement=agreement, secondment=secondment, P=P,
        sections=agreement_terms.display(agreement.terms), versions=agreements.versions(secondment),
        party_names=agreements.PARTY_NAMES,
        signers=agreement_signing.expected_signers(secondment), **_page(agreement),
    )


@bp.route("")
@login_required
def current(secondment_id: int):
    """The version people act on now: the open draft, or the one in force."""
    secondment, _ = visible_or_404(secondment_id)
    agreement = agreements.ensure_agreement(secondment)
    if agreement is None:
        abort(404, "No agreement was recorded for this secondment.")
    return _render_version(agreement)


@bp.route("/versions/<int:version>")
@login_required
def show(secondment_id: int, version: int):
    agreement, _ = _version_or_404(secondment_id, version)
    return _render_version(agreement)


@bp.route("/versions/<int:version>/edit", methods=["GET", "POST"])
@login_required
def edit(secondment_id: int, version: int):
    agreement, _ = _version_or_404(secondment_id, version)
    agreements.check_editable(current_user, agreement)
    form = AgreementForm(data=_form_values(agreement) | {"revision": agreement.revision})
    if request.method == "POST" and form.validate():
        values = {name: form[name].data for name in agreement_terms.TERMS}
        try:
            done = agreements.edit(agreement, actor=current_user, values=values, revision=_revision(form))
        except agreement_terms.InvalidTerms as invalid:
            for name, message in invalid.problems.items():
                form[name].errors = [*form[name].errors, message]
        except DomainError as refused:
            if refused.status_code != 409:
                raise
            show_refusal(form, refused)
            return _render_edit(agreement, form), 409
        else:
            _flash_edit(done)
            return redirect(url_for("agreements.show", secondment_id=secondment_id, version=version))
    return _render_edit(agreement, form), 400 if form.errors or form.form_errors else 200


def _revision(form) -> int:
    try:
        return int(form.revision.data)
    except (TypeError, ValueError):
        raise DomainError("The form lost track of the version you read; reload the page.") from None


def _render_edit(agreement: SecondmentAgreement, form):
    return render_template("agreements/edit.html", agreement=agreement, secondment=agreement.secondment, form=form,
                           sections=agreement_terms.SECTIONS, signed=agreement.signatures)


def _flash_edit(done: agreements.Edit) -> None:
    if not done.changed:
        flash("Nothing changed, so every signature stands.", "info")
        return
    changed = ", ".join(agreement_terms.TERMS[name].label.lower() for name in done.changed)
    message = f"Version {done.agreement.version} saved; changed: {changed}."
    if done.cleared:
        message += (f" The signatures of {', '.join(done.cleared)} are cleared: they signed different words, "
                    "so they read it again and sign anew.")
    flash(message, "warning" if done.cleared else "success")


@bp.route("/versions/<int:version>/sign", methods=["POST"])
@login_required
def sign(secondment_id: int, version: int):
    agreement, _ = _version_or_404(secondment_id, version)
    capacities = agreement_signing.signer_parties(current_user, agreement)
    if not capacities:
        abort(403)
    # someone who signs in one capacity only need not say which
    party = request.form.get("party") or (capacities[0].value if len(capacities) == 1 else "")
    try:
        revision = int(request.form.get("revision", ""))
    except ValueError:
        raise DomainError("The form lost track of the version you read; reload the page.") from None
    agreement = agreement_signing.sign(agreement, actor=current_user, party=party, revision=revision)
    if agreement.is_draft:
        flash(f"You signed version {agreement.version}. The others are told.", "success")
    else:
        flash(f"You signed version {agreement.version}, the last signature: it is in force now.", "success")
    return redirect(url_for("agreements.show", secondment_id=secondment_id, version=version))


class AmendmentForm(FlaskForm):
    end_date = DateField("New return date", validators=[InputRequired(message="Give the return date.")])
    note = TextAreaField("What the amendment changes, and why", filters=[crlf_to_lf],
                         validators=[InputRequired(message="Say what the amendment changes, and why."),
                                     Length(max=agreement_amendments.NOTE_MAX,
                                            message=f"Keep it to {agreement_amendments.NOTE_MAX:,} characters.")])
    past_cap_ok = BooleanField("I have read the warning: propose it anyway")
    cap_warned = HiddenField()  # set once the page has shown the warning: an unticked box is then an error


@bp.route("/amend", methods=["GET", "POST"])
@login_required
def amend(secondment_id: int):
    """Propose a new version with a new return date; the terms are then edited like any draft."""
    secondment, _ = visible_or_404(secondment_id)
    agreement_amendments.check_allowed(secondment, current_user)
    form = AmendmentForm()
    if request.method == "GET":
        form.end_date.data = secondment.end_date
    warning = agreement_amendments.warning(secondment, form.end_date.data) if request.method == "POST" else None
    if request.method == "POST" and form.validate() and _cap_accepted(form, warning):
        try:
            amendment = agreement_amendments.propose(secondment, actor=current_user, end_date=form.end_date.data,
                                                     note=form.note.data)
        except DomainError as refused:
            if refused.status_code != 400:
                raise
            show_refusal(form, refused)
        else:
            flash(f"Amendment v{amendment.version} proposed. Change any other terms now; it comes into force when "
                  "the secondee and both managers have signed it.", "success")
            return redirect(url_for("agreements.show", secondment_id=secondment_id, version=amendment.version))
    form.cap_warned.data = "y" if warning else ""
    status = 400 if form.errors or form.form_errors else 200
    return render_template("agreements/amend.html", secondment=secondment, form=form, warning=warning,
                           in_force=agreements.in_force(secondment),
                           next_version=agreements.next_version(secondment)), status


def _cap_accepted(form: AmendmentForm, warning: str | None) -> bool:
    """Whether the proposer may go ahead: within the cap, or past it with the box ticked.

    The first time the warning shows, the page only asks; an unticked box after that is an error.
    """
    if warning is None or form.past_cap_ok.data:
        return True
    if form.cap_warned.data:
        form.past_cap_ok.errors = [*form.past_cap_ok.errors, "Tick the box to propose a return date past the cap, "
                                   "or choose an earlier one."]
    return False


@bp.route("/versions/<int:version>/withdraw", methods=["POST"])
@login_required
def withdraw(secondment_id: int, version: int):
    agreement, _ = _version_or_404(secondment_id, version)
    agreement_amendments.withdraw(agreement, actor=current_user)
    flash(f"Amendment v{version} withdrawn; the terms in force stay as they are.", "success")
    return redirect(url_for("agreements.current", secondment_id=secondment_id))


@bp.route("/versions/<int:version>/print")
@login_required
def printable(secondment_id: int, version: int):
    """The version as a clean page to print, with the signatures and their times."""
    agreement, _ = _version_or_404(secondment_id, version)
    secondment = agreement.secondment
    return render_template(
        "agreements/print.html", agreement=agreement, secondment=secondment,
        sections=agreement_terms.display(agreement.terms), party_names=agreements.PARTY_NAMES,
        signers=agreement_signing.expected_signers(secondment), digest=agreement_terms.digest(agreement.terms),
    )


@bp.route("/versions/<int:version>/agreement.pdf")
@login_required
def pdf(secondment_id: int, version: int):
    agreement, _ = _version_or_404(secondment_id, version)
    body = agreement_pdf(agreement, zone=current_app.config["TIMEZONE"])
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="secondment-{secondment_id}-agreement-v{version}.pdf"',
        "Cache-Control": "private, no-store",  # personal terms: no shared cache keeps a copy
    })


@bp.route("/versions/<int:version>/acting-up", methods=["POST"])
@login_required
def acting_up_post(secondment_id: int, version: int):
    """The home manager posts the backfill's acting-up opportunity as a draft, in one step."""
    agreement, parts = _version_or_404(secondment_id, version)
    if P.HOME_MANAGER not in parts:
        abort(403)
    opportunity = acting_up.post(agreement, actor=current_user)
    flash(f"“{opportunity.title}” is drafted for your team, from {format_date(opportunity.start_date)} to "
          f"{format_date(opportunity.end_date)}. Check it and publish it.", "success")
    return redirect(url_for("host.edit", opportunity_id=opportunity.id))
