"""Generated hostile values in every query and form parameter of every route: never a 500.

Every route of ``test_authorisation.ROUTES`` is requested as a role allowed to use it, with its
valid form (so the values reach the checks behind the first one) and a few parameters replaced
by NUL bytes, line breaks, 20-digit numbers, dates from year 1 to 9999, long or odd text. The
parameter names are the route's own (its walking form and the fields its GET page shows) and any
field of any form of the app. Derandomised, so a run in CI is the run you reproduce.
"""

from __future__ import annotations

import re

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms import FieldList, FormField
from wtforms.fields.core import UnboundField

from tests import factories as f
from tests.test_authorisation import ANONYMOUS, ROUTES, World, world  # noqa: F401 (world is a fixture)
from tests.test_hostile_input import _form_classes

NOT_FUZZED = {"auth.logout"}  # it would log the walking client out; it reads no parameter
QUERY_NAMES = ["page", "opp-page", "app-page", "q", "skill_id", "skill", "department", "limit", "show", "next",
               "start", "end", "opportunity", "period", "status", "opp-status", "opp-department", "opp-type",
               "app-status", "app-opportunity", "step", "party", "revision", "fmt"]
HOSTILE = st.one_of(
    st.sampled_from([
        "\x00", "a\x00b", "\r\n", "Title\r\nBcc: everyone@example.org", "\n", "99999999999999999999", "2147483648",
        "-2147483649", "9223372036854775808", "1e20", "-1", "0", "NaN", "inf", "²", "١٢", "0001-01-01",
        "9999-12-31", "10000-01-01", "0000-00-00", "2026-02-30", "9999-12-31T23:59", "x" * 5000, "", " ",
        "%", "_", "\\", "'; --", "<script>alert(1)</script>", "=1+1", "😀", "\ufeff", "true", "[]", "{}",
    ]),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.dates().map(str),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
)


def _field_names(form_class: type) -> list[str]:
    """The names a browser sends for a form's fields, one entry of each list included."""
    names = []
    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        if not isinstance(unbound, UnboundField):
            continue
        if unbound.field_class is FieldList:
            inner = unbound.args[0]
            if inner.field_class is FormField:
                names += [f"{name}-0-{sub}" for sub in _field_names(inner.args[0])]
            else:
                names.append(f"{name}-0")
        else:
            names.append(name)
    return names


ALL_NAMES = sorted({name for cls in _form_classes() for name in _field_names(cls)} | set(QUERY_NAMES))


def _shown_names(client, path: str) -> list[str]:
    """The parameter names the route's own page puts in its forms."""
    response = client.get(path)
    if response.mimetype != "text/html":
        return []
    return sorted(set(re.findall(r'name="([^"]+)"', response.get_data(as_text=True))) - {"csrf_token"})


@pytest.fixture
def clients(app, world: World) -> dict:
    """A client logged in as each walking role, so no example spends a log-in."""
    logged_in = {ANONYMOUS: app.test_client()}
    for role, account in world.accounts.items():
        logged_in[role] = app.test_client()
        f.login(logged_in[role], account)
    return logged_in


@pytest.fixture
def shown() -> dict:
    """(role, path) -> the names its page shows, read once per test."""
    return {}


@settings(max_examples=600, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_parameter_value_makes_any_route_fail_with_a_500(app, world, clients, shown, data):
    endpoint = data.draw(st.sampled_from(sorted(set(ROUTES) - NOT_FUZZED)), label="endpoint")
    rule = ROUTES[endpoint]
    method = data.draw(st.sampled_from(rule.methods), label="method")
    role = data.draw(st.sampled_from(sorted(rule.allowed - {ANONYMOUS}) or [ANONYMOUS]), label="role")
    client = clients[role]
    path = url_for(endpoint, _external=False, **rule.args(world))
    if (role, path) not in shown:
        shown[role, path] = _shown_names(client, path) if "GET" in rule.methods else []
    own = sorted(rule.form(world)) + shown[role, path]
    names = data.draw(st.lists(st.one_of(st.sampled_from(own or ALL_NAMES), st.sampled_from(ALL_NAMES)),
                               min_size=1, max_size=4, unique=True), label="parameters")
    values = {name: data.draw(HOSTILE, label=name) for name in names}
    if method == "GET":
        response = client.get(path, query_string=values)
    else:
        response = client.post(path, data=rule.form(world) | values)
    assert response.status_code < 500, f"{method} {path} as {role} with {values!r}: {response.status_code}"
