"""The talent team's returns page in a real browser: charts and tables with real figures pass WCAG 2.1 AA."""

from __future__ import annotations

import pytest

from marketplace.models import Role
from tests import factories as f
from tests.browser.test_accessibility import WCAG
from tests.test_talent_returns import rate, returned

pytestmark = pytest.mark.browser


def test_the_returns_page_with_its_charts_passes_wcag_21_aa(page, live_app, log_in):
    from axe_playwright_python.sync_playwright import Axe

    def build() -> str:
        for n, r in enumerate((5, 4, 4, 2, 3)):
            row = returned(f"Returner {n}", 20 + n)
            rate(row, "employee", r)
            rate(row, "host_manager", 6 - r)
            if n < 2:
                rate(row, "home_manager", r)
        return f.user(Role.TALENT).email

    log_in(live_app.run(build))
    page.goto(live_app.url("/talent/returns"))
    assert page.get_by_role("img", name="Ratings of “The secondment's objectives were met” by party").is_visible()
    violations = Axe().run(page, options=WCAG).response["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
