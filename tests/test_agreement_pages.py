"""The agreement's pages: reading each version, the edit form, signing, amending, print and PDF, acting up."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import AgreementSignature, Notification, SecondmentAgreement
from marketplace.services import agreement_signing, agreement_terms, agreements
from tests import factories as f
from tests.test_agreements import TODAY, accepted, complete

LINES = agreement_terms.LINES


def posted(agreement: SecondmentAgreement, **changes) -> dict:
    """The edit form as a browser posts it: every term as text, ticked options as lists, and the revision read."""
    values = complete(agreement, **changes)
    form = {"revision": str(agreement.revision)}
    for name, value in values.items():
        term = agreement_terms.TERMS[name]
        if term.kind == LINES and not isinstance(value, str):
            value = "\n".join(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif value is None:
            value = ""
        form[name] = value if isinstance(value, list) else str(value)
    return form


def _reload(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def test_every_party_reads_the_agreement_from_the_secondment_page(client, app):
    secondment, accounts = accepted()
    for who, button in (("person", "Read and sign the agreement"), ("home", "Read and sign the agreement"),
                        ("host", "Read and sign the agreement"), ("talent", "Read the agreement")):
        f.login(client, accounts[who])
        page = client.get(f"/secondments/{secondment.id}").get_data(as_text=True)
        assert "Version 1" in page and "Draft, to sign" in page and button in page, who
        assert "1 term still to fill in" in page
        html = client.get(f"/secondments/{secondment.id}/agreement").get_data(as_text=True)
        assert "Secondment agreement, version 1" in html and "Build the new data platform" in html
        assert "Choose how the home team covers the work." in html  # what is still to fill in
        assert ("Edit the terms" in html) == (who != "person")
        client.post("/logout")


def test_someone_outside_the_secondment_opens_none_of_it(client, app):
    secondment, accounts = accepted()
    f.login(client, accounts["stranger"])
    for path in ("", "/versions/1", "/versions/1/edit", "/versions/1/print", "/versions/1/agreement.pdf", "/amend"):
        assert client.get(f"/secondments/{secondment.id}/agreement{path}").status_code == 403, path
    assert client.get(f"/secondments/{secondment.id}/agreement/versions/7").status_code == 403


def test_a_version_that_does_not_exist_is_a_404_for_the_parties(client, app):
    secondment, accounts = accepted()
    f.login(client, accounts["host"])
    assert client.get(f"/secondments/{secondment.id}/agreement/versions/7").status_code == 404


# --- the edit form --------------------------------------------------------------------------------------------------

def test_the_edit_form_holds_every_section_prefilled_and_saves_the_changes(client, app):
    secondment, accounts = accepted()
    draft = agreements.open_draft(secondment)
    f.login(client, accounts["host"])
    form = client.get(f"/secondments/{secondment.id}/agreement/versions/1/edit").get_data(as_text=True)
    for section in agreement_terms.SECTIONS:
        assert section.title in form
    assert '<label class="form-label" for="purpose">Purpose</label>' in form
    assert "SQL\nStakeholder management</textarea>" in form
    assert 'value="60"' in form and 'value="Leeds"' in form

    saved = client.post(f"/secondments/{secondment.id}/agreement/versions/1/edit",
                        data=posted(draft, objectives="Ship the pipeline\r\nTrain two analysts", working_hours="",
                                    termination_triggers=["misconduct", "mutual_agreement"]))
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Version 1 saved; changed: objectives, events that may end it early, backfill plan." in page
    assert "<li>Ship the pipeline</li><li>Train two analysts</li>" in page
    assert "Mutual agreement" in page and "Still to fill in" not in page
    terms = _reload(draft).terms
    assert terms["termination_triggers"] == ["misconduct", "mutual_agreement"]


def test_wrong_terms_come_back_with_the_message_next_to_the_field_and_nothing_saved(client, app):
    secondment, accounts = accepted()
    draft = agreements.open_draft(secondment)
    f.login(client, accounts["home"])
    response = client.post(f"/secondments/{secondment.id}/agreement/versions/1/edit",
                           data=posted(draft, working_hours="20", return_arrangement="another_role",
                                       end_date="not a date", purpose="Changed"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not a valid date value." in html
    assert 'id="end_date-error"' in html and 'aria-invalid="true"' in html
    response = client.post(f"/secondments/{secondment.id}/agreement/versions/1/edit",
                           data=posted(draft, working_hours="20", return_arrangement="another_role", purpose="Changed"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give the share of full time or the hours a week, not both." in html
    assert ('<div id="return_role-error" class="invalid-feedback d-block">Name the role the secondee returns to.</div>'
            in html)
    assert "Changed</textarea>" in html  # what was typed stays
    assert _reload(draft).terms["purpose"] == "Build the new data platform with the team."


def test_the_secondee_cannot_open_the_edit_form(client, app):
    secondment, accounts = accepted()
    f.login(client, accounts["person"])
    assert client.get(f"/secondments/{secondment.id}/agreement/versions/1/edit").status_code == 403
    draft = agreements.open_draft(secondment)
    assert client.post(f"/secondments/{secondment.id}/agreement/versions/1/edit",
                       data=posted(draft, location="Mars")).status_code == 403
    assert _reload(draft).terms["location"] == "Leeds"


def test_an_edit_over_a_newer_revision_keeps_what_was_typed_and_says_why(client, app):
    secondment, accounts = accepted()
    draft = agreements.open_draft(secondment)
    stale = posted(draft, location="Hull")
    agreements.edit(draft, actor=accounts["host"], revision=1, values=complete(draft, location="York"))
    f.login(client, accounts["home"])
    response = client.post(f"/secondments/{secondment.id}/agreement/versions/1/edit", data=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed or signed this version while you were editing it." in html
    assert 'value="Hull"' in html
    assert _reload(draft).terms["location"] == "York"


# --- signing --------------------------------------------------------------------------------------------------------

def completed(secondment, accounts) -> SecondmentAgreement:
    draft = agreements.open_draft(secondment)
    agreements.edit(draft, actor=accounts["host"], revision=1, values=complete(draft))
    return _reload(draft)


def test_each_signer_signs_on_the_page_and_the_last_signature_brings_it_into_force(client, app):
    secondment, accounts = accepted()
    draft = completed(secondment, accounts)
    path = f"/secondments/{secondment.id}/agreement"
    for who, party in (("person", "the secondee"), ("home", "the home manager"), ("host", "the host manager")):
        f.login(client, accounts[who])
        html = client.get(path).get_data(as_text=True)
        assert f"Sign version 1 as {party}" in html and html.count("Sign version 1 as") == 1
        response = client.post(f"{path}/versions/1/sign", data={"party": dict(
            person="employee", home="home_manager", host="host_manager")[who], "revision": str(draft.revision)})
        assert response.status_code == 302
        html = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Sign version 1 as" not in html
        client.post("/logout")
    assert "it is in force now" in html and "Signed, in force" in html
    signed = _reload(draft)
    assert signed.status == "signed" and _reload(secondment).status == "agreement_signed"
    f.login(client, accounts["talent"])
    html = client.get(path).get_data(as_text=True)
    for signature in signed.signatures:
        assert signature.signer_name in html
        assert signature.signed_at.isoformat() in html
    assert "Sign version" not in html and "Not signed yet" not in html


def test_the_talent_team_reads_but_does_not_sign_and_gets_a_403_if_it_tries(client, app):
    secondment, accounts = accepted()
    draft = completed(secondment, accounts)
    f.login(client, accounts["talent"])
    assert "Sign version 1" not in client.get(f"/secondments/{secondment.id}/agreement").get_data(as_text=True)
    response = client.post(f"/secondments/{secondment.id}/agreement/versions/1/sign",
                           data={"party": "host_manager", "revision": str(draft.revision)})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgreementSignature)) == 0


def test_a_stale_signing_page_is_refused_with_a_reason(client, app):
    secondment, accounts = accepted()
    draft = completed(secondment, accounts)
    f.login(client, accounts["person"])
    response = client.post(f"/secondments/{secondment.id}/agreement/versions/1/sign",
                           data={"revision": str(draft.revision - 1)})
    assert response.status_code == 409
    assert "Read this version again before you sign." in response.get_data(as_text=True)


def test_an_incomplete_draft_shows_what_is_missing_instead_of_a_sign_button(client, app):
    secondment, accounts = accepted()
    f.login(client, accounts["person"])
    html = client.get(f"/secondments/{secondment.id}/agreement").get_data(as_text=True)
    assert "Still to fill in before anyone can sign" in html and "You can sign once the terms above are filled in" in html
    assert "Sign version 1" not in html


def test_the_edit_form_warns_that_saving_clears_the_signatures_given(client, app):
    secondment, accounts = accepted()
    draft = completed(secondment, accounts)
    agreement_signing.sign(draft, actor=accounts["person"], party="employee", revision=draft.revision)
    f.login(client, accounts["home"])
    path = f"/secondments/{secondment.id}/agreement/versions/1/edit"
    assert "Already signed by Sam Secondee. Saving a change clears" in client.get(path).get_data(as_text=True)
    response = client.post(path, data=posted(_reload(draft), leave="Agreed differently."))
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The signatures of Sam Secondee are cleared: they signed different words" in html
    assert "Agreement v1 changed after it was signed" in client.get(f"/secondments/{secondment.id}").get_data(
        as_text=True)
