"""An agreement version on paper: the printable view and the PDF, for the parties and nobody else."""

from __future__ import annotations

import io

import pytest
from markupsafe import escape
from pypdf import PdfReader

from marketplace.extensions import db
from marketplace.formatting import format_local_time
from marketplace.services import agreement_terms, agreements
from tests import factories as f
from tests.test_agreement_amendments import propose, signed
from tests.test_agreements import accepted, ready, sign

PARTIES = ("person", "home", "host", "talent")


def _reload(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def path(secondment, version: int, page: str) -> str:
    return f"/secondments/{secondment.id}/agreement/versions/{version}/{page}"


def pdf_text(body: bytes) -> str:
    """Every page's text, with line breaks as spaces (a long value wraps onto several lines)."""
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def local(moment, app) -> str:
    return format_local_time(moment, app.config["TIMEZONE"])


# --- the printable view ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", PARTIES)
def test_each_party_prints_every_term_and_the_signatures_with_their_times(client, app, who):
    secondment, accounts = signed()
    agreement = agreements.in_force(secondment)
    f.login(client, accounts[who])
    response = client.get(path(secondment, 1, "print"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Secondment agreement, version 1" in html and "Sam Secondee, Data Analyst" in html
    for section, rows in agreement_terms.display(agreement.terms):
        assert str(escape(section.title)) in html
        for shown in rows:
            assert f'id="term-{shown.term.name}"' in html and str(escape(shown.term.label)) in html
            for value in [shown.value] if isinstance(shown.value, str) else shown.value:
                assert str(escape(value)) in html, shown.term.name
    assert len(agreement.signatures) == 3
    for signature in agreement.signatures:
        assert signature.signer_name in html
        assert f'<time datetime="{signature.signed_at.isoformat()}Z">{local(signature.signed_at, app)}</time>' in html
    assert "Not signed yet" not in html
    assert agreement_terms.digest(agreement.terms) in html
    assert 'href="/static/agreement-print.css"' in html and "cdn" not in html.lower()


def test_a_draft_prints_who_has_still_to_sign_and_an_amendment_its_note(client, app):
    secondment, accounts = signed()
    amendment = propose(secondment, accounts)
    sign(amendment, accounts, "person")
    f.login(client, accounts["host"])
    html = client.get(path(secondment, 2, "print")).get_data(as_text=True)
    assert "Amendment: what it changes, and why" in html and "Sam stays to see it through" in html
    assert html.count("Not signed yet") == 2 and "Sam Secondee" in html


def test_outsiders_cannot_print_or_download_and_a_missing_version_is_a_404(client, app):
    secondment, accounts = signed()
    f.login(client, accounts["stranger"])
    for page in ("print", "agreement.pdf"):
        assert client.get(path(secondment, 1, page)).status_code == 403
        assert client.get(path(secondment, 9, page)).status_code == 403  # nothing revealed about the versions
    client.post("/logout")
    for page in ("print", "agreement.pdf"):
        assert client.get(path(secondment, 1, page)).status_code == 302  # to the log-in
    f.login(client, accounts["person"])
    for page in ("print", "agreement.pdf"):
        assert client.get(path(secondment, 9, page)).status_code == 404
    assert client.get(f"/secondments/999999/agreement/versions/1/print").status_code == 404


# --- the PDF --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", PARTIES)
def test_the_pdf_is_an_attachment_holding_the_terms_and_the_signatures(client, app, who):
    secondment, accounts = signed(location="Leeds Dock, Building 3")
    agreement = agreements.in_force(secondment)
    f.login(client, accounts[who])
    response = client.get(path(secondment, 1, "agreement.pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="secondment-{secondment.id}-agreement-v1.pdf"')
    assert response.headers["Cache-Control"] == "private, no-store"  # no proxy keeps someone's pay terms
    text = pdf_text(response.data)
    assert "Secondment agreement, version 1" in text and "Sam Secondee" in text
    assert "Leeds Dock, Building 3" in text and "Temporary cover" in text
    for signature in agreement.signatures:
        assert f"{signature.signer_name} - signed {local(signature.signed_at, app)}" in text
    assert agreement_terms.digest(agreement.terms) in text


def test_a_draft_pdf_names_who_has_not_signed(client, app):
    secondment, accounts = accepted()
    f.login(client, accounts["home"])
    text = pdf_text(client.get(path(secondment, 1, "agreement.pdf")).data)
    assert "Draft, to sign" in text
    assert "The secondee: Sam Secondee - not signed yet" in text
    assert "The host manager: Gina Host - not signed yet" in text


def test_letters_outside_latin_1_do_not_break_the_pdf(client, app):
    secondment, accounts = accepted()
    secondment.employee.name = "Zoë Łukasiewicz-Żak"
    db.session.commit()
    draft = ready(secondment, accounts, purpose="Build the 数据 platform – “together” for €5k 🚀",
                  leave="Şükrü covers leave requests.", backfill_notes="x" * 2000)
    sign(draft, accounts, "person")
    f.login(client, accounts["host"])
    response = client.get(path(secondment, 1, "agreement.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Zoë ?ukasiewicz-Zak" in text  # Ł has no base letter; Ż is Z with a dot
    assert "x" * 2000 in text.replace(" ", "")  # a word longer than a line is broken, not cut
    assert "Build the ?? platform – “together” for €5k ?" in text
    assert "Sükrü covers leave requests." in text  # Ş is S with a cedilla; ü is in the font
    assert "Some characters cannot be shown in this PDF" in text
    print_view = client.get(path(secondment, 1, "print")).get_data(as_text=True)
    assert "Zoë Łukasiewicz-Żak" in print_view and "数据" in print_view and "🚀" in print_view


def test_a_pdf_in_latin_letters_carries_no_notice_of_missing_ones(client, app):
    secondment, accounts = signed()
    f.login(client, accounts["host"])
    text = pdf_text(client.get(path(secondment, 1, "agreement.pdf")).data)
    assert "cannot be shown" not in text
