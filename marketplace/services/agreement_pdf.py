"""One version of the agreement as a PDF: the parties, every term, the signatures with their times.

fpdf2's core fonts (Helvetica) need no font files, but only cover Windows-1252 (Western European
text, with curly quotes and dashes). Other letters are reduced to their base letter where Unicode
gives one (Ł stays "?", ş becomes "s"), else shown as "?", and the PDF says so; the printable view
shows every character as typed.
"""

from __future__ import annotations

import unicodedata

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from marketplace.clock import utcnow
from marketplace.formatting import format_local_time
from marketplace.models import AgreementStatus, SecondmentAgreement
from marketplace.services import agreement_signing, agreement_terms, agreements

ENCODING = "windows-1252"
LINE = 5.5  # mm, for 10 pt text


def pdf_safe(text: str) -> str:
    """``text`` with every character the core fonts cannot show replaced by its base letter, or "?"."""
    return "".join(_safe_char(c) for c in text)


def _safe_char(char: str) -> str:
    if _encodable(char):
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and _encodable(base) else "?"


def _encodable(text: str) -> bool:
    try:
        text.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


class AgreementDocument(FPDF):
    """A4 pages with the agreement's name and page numbers at the foot."""

    def __init__(self, footer_text: str):
        super().__init__(format="A4")
        self.core_fonts_encoding = ENCODING
        self.footer_text = footer_text
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("Helvetica", size=8)
        self.set_text_color(90)
        self.cell(0, 5, f"{self.footer_text} - page {self.page_no()} of {{nb}}", align="C")

    def write_line(self, text: str, *, size: float = 10, style: str = "", gap: float = 0) -> None:
        self.set_font("Helvetica", style=style, size=size)
        self.set_text_color(0)
        self.multi_cell(0, LINE * size / 10, pdf_safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if gap:
            self.ln(gap)


def agreement_pdf(agreement: SecondmentAgreement, *, zone: str) -> bytes:
    """The PDF of ``agreement``; times are shown in ``zone`` (the installation's TIMEZONE)."""
    secondment = agreement.secondment
    title = f"Secondment agreement, version {agreement.version}"
    pdf = AgreementDocument(pdf_safe(f"{title}: {secondment.employee.name}, {secondment.opportunity.title}"))
    pdf.set_title(pdf_safe(f"{title}: {secondment.opportunity.title}"))
    pdf.set_author("Secondment marketplace")
    pdf.set_creation_date(utcnow())
    pdf.add_page()
    pdf.write_line(title, size=16, style="B", gap=1)
    pdf.write_line(f"{secondment.employee.name}, {secondment.employee.job_title} - {secondment.opportunity.title}")
    pdf.write_line(f"{AgreementStatus(agreement.status).label}. Produced {format_local_time(utcnow(), zone)}.",
                   size=9, gap=3)
    if agreement.is_amendment:
        pdf.write_line("Amendment: what it changes, and why", size=11, style="B")
        pdf.write_line(agreement.change_note, gap=3)
    for section, rows in agreement_terms.display(agreement.terms):
        pdf.write_line(section.title, size=12, style="B", gap=1)
        for shown in rows:
            pdf.write_line(shown.term.label, size=9, style="B")
            lines = [shown.value] if isinstance(shown.value, str) else [f"\u2022 {line}" for line in shown.value]
            for line in lines:
                pdf.write_line(line)
            pdf.ln(1.5)
        pdf.ln(2)
    _signatures(pdf, agreement, zone)
    if any(not _encodable(c) for c in _all_text(agreement)):
        pdf.write_line("Some characters cannot be shown in this PDF and appear as their base letter or \"?\"; the "
                       "printable view in the marketplace shows them as written.", size=8, style="I")
    return bytes(pdf.output())


def _signatures(pdf: AgreementDocument, agreement: SecondmentAgreement, zone: str) -> None:
    pdf.write_line("Signatures", size=12, style="B", gap=1)
    for party, name in agreement_signing.expected_signers(agreement.secondment):
        signature = agreement.signature_of(party)
        who = agreements.PARTY_NAMES[party].capitalize()
        if signature is None:
            pdf.write_line(f"{who}: {name} - not signed yet")
        else:
            pdf.write_line(f"{who}: {signature.signer_name} - signed {format_local_time(signature.signed_at, zone)}")
    pdf.ln(1)
    pdf.write_line(f"SHA-256 of these terms: {agreement_terms.digest(agreement.terms)}", size=8, gap=2)


def _all_text(agreement: SecondmentAgreement) -> str:
    secondment = agreement.secondment
    words = [secondment.employee.name, secondment.opportunity.title, secondment.employee.job_title,
             agreement.change_note, *(s.signer_name for s in agreement.signatures)]
    for _, rows in agreement_terms.display(agreement.terms):
        words += [value for shown in rows for value in ([shown.value] if isinstance(shown.value, str) else shown.value)]
    return "".join(words)
