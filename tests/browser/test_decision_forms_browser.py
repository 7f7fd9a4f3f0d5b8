"""A host's decision with the reason code "Other" asks for the reason in words, next to the box, before it is sent."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from marketplace.extensions import db
from marketplace.models import Application, Role
from tests import factories as f

pytestmark = pytest.mark.browser


def _released_applicant() -> tuple[str, int, int, str]:
    host = f.user(Role.HOST_MANAGER)
    opportunity = f.opportunity(host.employee, title="Harbour data secondment")
    person = f.employee("Robin Reed")
    application = f.application(opportunity, person, "released")
    return host.email, opportunity.id, application.id, person.name


def _status(application_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Application, application_id).status


def test_other_needs_the_reason_in_words_before_the_shortlist_is_sent(page, live_app, log_in):
    email, opportunity_id, application_id, name = live_app.run(_released_applicant)
    log_in(email)
    page.goto(live_app.url(f"/host/opportunities/{opportunity_id}/applicants"))
    card = page.get_by_role("article", name=name)
    card.locator("summary", has_text="Shortlist").click()
    opened = card.locator("details[open]")
    reason = opened.get_by_label("Reason (needed with “Other”)")
    expect(reason).not_to_have_attribute("required", "")

    opened.get_by_label("Override reason").select_option(index=1)  # never ranked for it, so the pick is an override
    opened.get_by_label("Reason code").select_option("other")
    expect(reason).to_have_attribute("aria-required", "true")
    opened.get_by_role("button", name="Shortlist", exact=True).click()
    assert reason.evaluate("box => box.validity.valueMissing")  # the browser holds the form back at the box
    assert live_app.run(lambda: _status(application_id)) == "released"

    opened.get_by_label("Reason code").select_option("strong_skills_match")
    expect(reason).to_have_attribute("aria-required", "false")  # a listed reason needs no words
    opened.get_by_label("Reason code").select_option("other")
    reason.fill("Knows the harbour's data systems from a previous project.")
    opened.get_by_role("button", name="Shortlist", exact=True).click()
    expect(page.get_by_role("article", name=name)).to_contain_text("Shortlisted")
    assert live_app.run(lambda: _status(application_id)) == "shortlisted"
