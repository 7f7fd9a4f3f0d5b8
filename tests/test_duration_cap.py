"""The policy cap on a secondment's total length."""

import datetime as dt

from marketplace.services.duration_cap import cap_warning, months_between

D = dt.date


def test_months_count_a_started_month_as_a_month():
    assert months_between(D(2026, 3, 1), D(2026, 9, 1)) == 6
    assert months_between(D(2026, 3, 1), D(2026, 9, 2)) == 7
    assert months_between(D(2026, 1, 31), D(2026, 2, 28)) == 1


def test_warning_only_past_the_cap(app):
    with app.app_context():
        app.config["SECONDMENT_MAX_MONTHS"] = 12
        assert cap_warning(D(2026, 1, 1), D(2027, 1, 1)) is None
        warning = cap_warning(D(2026, 1, 1), D(2027, 1, 2))
        assert warning is not None and "13 months" in warning and "cap of 12 months" in warning
        assert cap_warning(D(2026, 1, 1), D(2027, 1, 2), cap=24) is None
