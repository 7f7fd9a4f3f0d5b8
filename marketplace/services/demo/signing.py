"""The demo's agreements: version 1, drafted when the offer was accepted, completed by the home manager and signed
on the days before the start, through the same services people use.

The home manager writes the terms the draft leaves to them (the backfill plan; for a move abroad the tax and
immigration notes) and the check-in rhythm agreed in the story; then the secondee, the home manager and the host
sign, a day apart, as far as the story goes. The host's signature, the third, brings the agreement into force
and moves the secondment to "agreement signed".
"""

from __future__ import annotations

import datetime as dt

from marketplace.models import BackfillPlan, Secondment, SecondmentAgreement, SecondmentParty, User
from marketplace.models.agreement import SIGNERS
from marketplace.services import agreement_signing, agreement_terms, agreements
from marketplace.services.demo.stories import SecondmentPlan
from marketplace.services.demo.timeline import account_of, at, dated

BACKFILL_NOTES = "A colleague in the team covers the regular reports; the project work waits for the return."
TAX_AND_IMMIGRATION = ("Under a year abroad: tax residence stays at home, and a certificate of coverage keeps social "
                       "security there. The talent team checks any visa or work permit before the start.")


def agree(secondment: Secondment, story: SecondmentPlan, accounts: dict[int, User], last_day: dt.date) -> None:
    """Complete the draft and sign it for as many signers as the story has, the last on ``last_day``; commits."""
    signers = SIGNERS[:story.signatures]
    if not signers:
        return
    agreement = agreements.open_draft(secondment)
    day = last_day - dt.timedelta(days=len(signers))
    with dated(secondment, at(day, 10)):
        agreements.edit(agreement, actor=account_of(secondment, SecondmentParty.HOME_MANAGER, accounts),
                        values=_completed(agreement, story), revision=agreement.revision)
        agreement.updated_at = at(day, 10)
    for party in signers:
        day += dt.timedelta(days=1)
        with dated(secondment, at(day, 11)):
            agreement_signing.sign(agreement, actor=account_of(secondment, party, accounts), party=party,
                                   revision=agreement.revision)
            agreement.signature_of(party).signed_at = at(day, 11)
            if not agreement.is_draft:  # the third signature brought it into force
                agreement.signed_at = at(day, 11)


def _completed(agreement: SecondmentAgreement, story: SecondmentPlan) -> dict:
    """The draft's terms with what the home manager adds to them."""
    values = agreement_terms.read(agreement.terms) | {
        "backfill_plan": BackfillPlan.TEMPORARY_COVER.value, "backfill_notes": BACKFILL_NOTES,
        "check_in_frequency": story.frequency,
    }
    if agreements.rules_for(agreement.secondment).international:
        values["tax_immigration"] = TAX_AND_IMMIGRATION
    return values
