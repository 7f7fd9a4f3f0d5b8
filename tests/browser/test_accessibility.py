"""Every page each demo role can reach passes axe-core's WCAG 2.1 A and AA rules, in a real browser.

axe-core ships inside the ``axe-playwright-python`` wheel (no download at run time). The demo
organisation is seeded once, so the pages carry real content: tables, badges, forms, charts.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Application, Employee, Opportunity, Secondment
from marketplace.services.catalogue import load_catalogue
from marketplace.services.demo import DEMO_ACCOUNTS, build_plan, seed_demo
from matching import HashingEncoder
from tests.conftest import _empty_all_tables

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PASSWORD = "accessibility-demo"


@pytest.fixture(scope="module")
def demo_site(_live_server):
    """The live server with the demo organisation and the fake encoder; emptied afterwards."""
    app = _live_server.app
    previous = app.extensions.get("encoder")
    app.extensions["encoder"] = HashingEncoder()
    today = dt.date.today()
    with app.app_context():
        load_catalogue(only=sorted(build_plan(today).skill_labels()))
        seed_demo(PASSWORD, today=today)
        db.session.commit()
    yield _live_server
    with app.app_context():
        db.session.remove()
        _empty_all_tables()
    if previous is None:
        app.extensions.pop("encoder", None)
    else:
        app.extensions["encoder"] = previous


def _paths(app, role: str) -> list[str]:
    """The pages to check for one demo account: its navigation plus the detail pages it works in."""
    with app.app_context():
        hosted = db.session.scalar(
            sa.select(Opportunity.id).join(Application).where(Opportunity.status == "open").limit(1)
        )
        any_open = db.session.scalar(sa.select(Opportunity.id).where(Opportunity.status == "open").limit(1))
        secondment = db.session.scalar(sa.select(Secondment.id).limit(1))
        running = db.session.scalar(sa.select(Secondment.id).where(Secondment.status == "active")
                                    .join(Secondment.employee).where(Employee.name == "Thomas Khan"))
    common = ["/", "/inbox/"]
    return common + {
        "employee": ["/recommendations", "/opportunities", f"/opportunities/{any_open}", "/applications", "/profile",
                     "/profile/equality", "/secondments"],
        "secondee": ["/secondments", f"/secondments/{running}"],
        "line_manager": ["/team", "/secondments"],
        "host": ["/host/opportunities", "/host/opportunities/new"],
        "talent": ["/talent", "/talent/returns", "/talent/fairness", "/talent/releases", "/jobs/",
                   "/jobs/import-employees",
                   f"/host/opportunities/{hosted}/applicants", f"/host/opportunities/{hosted}/candidates",
                   f"/host/opportunities/{hosted}/edit", "/secondments", f"/secondments/{secondment}"],
        "admin": ["/admin/users", "/jobs/", "/account/password"],
    }[role]


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.key)
def test_every_page_of_each_role_passes_wcag_21_aa(page, demo_site, account):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page.goto(demo_site.url("/login"))
    page.get_by_label("Work e-mail").fill(account.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    problems = []
    for path in _paths(demo_site.app, account.key):
        response = page.goto(demo_site.url(path))
        assert response.status == 200, f"{account.key} {path}: {response.status}"
        for violation in axe.run(page, options=WCAG).response["violations"]:
            where = "; ".join(f"{node['target'][0]} {node['html'][:90]}" for node in violation["nodes"][:3])
            problems.append(f"{path}: {violation['id']} ({violation['impact']}) {violation['help']} at {where}")
    assert not problems, "\n".join(problems)
