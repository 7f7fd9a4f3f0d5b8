"""Admins list accounts and set their roles, never removing the last admin, and see no HR data."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import AuditEntry, Notification, Role, User
from tests import factories as f


def roles_of(user: User) -> set[Role]:
    db.session.expire_all()
    return db.session.get(User, user.id).roles


@pytest.fixture
def admin(client, app):
    u = f.user(Role.ADMIN, email="root@example.com")
    db.session.commit()
    f.login(client, u)
    return u


def test_lists_accounts_with_their_roles(client, admin):
    f.user(Role.HOST_MANAGER, employee_record=f.employee(name="Hana Host", email="hana@example.com"))
    db.session.commit()
    html = client.get("/admin/users").get_data(as_text=True)
    row = re.search(r"Hana Host.*?</tr>", html, re.S).group(0)
    assert "hana@example.com" in row
    assert re.search(r'value="host_manager"[^>]*checked', row)
    assert re.search(r'value="employee"[^>]*checked', row)
    assert not re.search(r'value="admin"[^>]*checked', row)


def test_search_by_email_or_name(client, admin):
    f.user(Role.EMPLOYEE, employee_record=f.employee(name="Zoe Quill", email="zq@example.com"))
    f.user(Role.EMPLOYEE, employee_record=f.employee(name="Yann Other", email="yann.other@example.com"))
    db.session.commit()

    def found(q: str) -> set[str]:
        html = client.get("/admin/users", query_string={"q": q}).get_data(as_text=True)
        html = html.split('id="users-table"')[-1] if 'id="users-table"' in html else ""
        return {e for e in ("zq@example.com", "yann.other@example.com", "root@example.com") if e in html}

    assert found("quill") == {"zq@example.com"}
    assert found("YANN.OTHER@") == {"yann.other@example.com"}
    assert found("100%") == set()  # wildcards are searched for literally
    assert "0 accounts found" in client.get("/admin/users?q=nobody").get_data(as_text=True)


def test_accounts_are_paginated(client, admin, app):
    app.config["PAGE_SIZE"] = 2
    for n in range(3):
        f.user(Role.TALENT, email=f"page{n}@example.com")
    db.session.commit()
    first = client.get("/admin/users").get_data(as_text=True)
    assert "page 1 of 2" in first and first.count('<tr id="user-') == 2
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert second.count('<tr id="user-') == 2 and "page 2 of 2" in second


def test_admin_sets_roles_with_checkboxes(client, admin):
    person = f.user(Role.EMPLOYEE)
    db.session.commit()
    response = client.post(
        f"/admin/users/{person.id}/roles", data={"roles": ["employee", "host_manager", "line_manager"]},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "are saved" in response.get_data(as_text=True)
    assert roles_of(person) == {Role.EMPLOYEE, Role.HOST_MANAGER, Role.LINE_MANAGER}
    client.post(f"/admin/users/{person.id}/roles", data={"roles": ["employee"]})
    assert roles_of(person) == {Role.EMPLOYEE}
    client.post(f"/admin/users/{person.id}/roles", data={"roles": ["employee"]})  # no change: nothing to log
    logged = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.subject == f"user:{person.id}")).all()
    assert [(e.action, e.actor, json.loads(e.payload)) for e in logged] == [
        ("account.roles_changed", f"user:{admin.id}",
         {"before": ["employee"], "after": ["employee", "host_manager", "line_manager"]}),
        ("account.roles_changed", f"user:{admin.id}",
         {"before": ["employee", "host_manager", "line_manager"], "after": ["employee"]}),
    ]
    # Each change reached the person's inbox.
    assert [n.subject for n in inbox_of(person)] == [f"Roles changed: {person.display_name}"] * 2


def inbox_of(user: User) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(Notification.recipient_id == user.id)))


def test_an_admin_cannot_give_itself_a_role(client, admin):
    """Finding 6: an admin ticked Talent on its own row and read HR data."""
    f.user(Role.ADMIN)  # another admin remains, so only the self-grant rule can refuse
    db.session.commit()
    for roles in (["admin", "talent"], ["admin", "host_manager"], ["admin", "line_manager"]):
        response = client.post(f"/admin/users/{admin.id}/roles", data={"roles": roles})
        assert response.status_code == 403, roles
        assert "You cannot give yourself a role" in response.get_data(as_text=True)
        assert roles_of(admin) == {Role.ADMIN}
    assert client.get("/talent").status_code == 403
    assert not db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "account.roles_changed")).all()


def test_only_the_talent_team_grants_the_talent_role_and_it_is_told(client, admin):
    """Finding 6: an admin could hand the HR-data role to a friend (or a second account of its own)."""
    person = f.user(Role.EMPLOYEE, employee_record=f.employee(name="Tia Talented"))
    lead = f.user(Role.ADMIN, Role.TALENT, employee_record=f.employee(name="Hannah Lewis"))
    colleague = f.user(Role.TALENT, employee_record=f.employee(name="Toby Team"))
    db.session.commit()
    refused = client.post(f"/admin/users/{person.id}/roles", data={"roles": ["employee", "talent"]})
    assert refused.status_code == 403
    assert "Only a member of the talent team can grant the talent role" in refused.get_data(as_text=True)
    assert roles_of(person) == {Role.EMPLOYEE}

    client.post("/logout")
    f.login(client, lead)
    assert client.post(f"/admin/users/{person.id}/roles", data={"roles": ["employee", "talent"]}).status_code == 302
    assert roles_of(person) == {Role.EMPLOYEE, Role.TALENT}
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.roles_changed"))
    assert (entry.subject, entry.actor) == (f"user:{person.id}", f"user:{lead.id}")
    for told in (person, lead, colleague):
        (notice,) = inbox_of(told)
        assert "Hannah Lewis changed the roles of Tia Talented from Employee to Employee, Talent" in notice.body
    assert inbox_of(admin) == []


def test_last_admin_keeps_the_admin_role(client, admin):
    response = client.post(f"/admin/users/{admin.id}/roles", data={"roles": []})
    assert response.status_code == 409
    assert "is the last admin" in response.get_data(as_text=True)
    assert roles_of(admin) == {Role.ADMIN}


def test_a_disabled_admin_does_not_count(client, admin):
    other = f.user(Role.ADMIN)
    other.is_active_account = False
    db.session.commit()
    assert client.post(f"/admin/users/{admin.id}/roles", data={"roles": []}).status_code == 409
    assert Role.ADMIN in roles_of(admin)


def test_an_admin_may_step_down_when_another_remains(client, admin):
    other = f.user(Role.ADMIN)
    db.session.commit()
    assert client.post(f"/admin/users/{admin.id}/roles", data={"roles": []}).status_code == 302
    assert roles_of(admin) == set()
    assert client.get("/admin/users").status_code == 403  # no longer an admin
    assert roles_of(other) == {Role.ADMIN}


def test_roles_needing_an_employee_record_are_refused_for_accounts_without_one(client, admin):
    service_account = f.user(Role.TALENT)
    db.session.commit()
    response = client.post(f"/admin/users/{service_account.id}/roles", data={"roles": ["talent", "host_manager"]})
    assert response.status_code == 400
    assert "has no employee record" in response.get_data(as_text=True)
    assert roles_of(service_account) == {Role.TALENT}


def test_unknown_roles_are_refused(client, admin):
    person = f.user(Role.EMPLOYEE)
    db.session.commit()
    assert client.post(f"/admin/users/{person.id}/roles", data={"roles": ["overlord"]}).status_code == 400
    assert roles_of(person) == {Role.EMPLOYEE}


def test_unknown_account_is_404(client, admin):
    assert client.post("/admin/users/987654/roles", data={"roles": ["talent"]}).status_code == 404


def test_role_form_needs_its_csrf_token(client, admin, app):
    app.config["WTF_CSRF_ENABLED"] = True
    person = f.user(Role.EMPLOYEE)
    db.session.commit()
    refused = client.post(f"/admin/users/{person.id}/roles", data={"roles": ["employee", "host_manager"]})
    assert refused.status_code == 400 and "Form expired" in refused.get_data(as_text=True)
    assert roles_of(person) == {Role.EMPLOYEE}
    page = client.get("/admin/users").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    accepted = client.post(
        f"/admin/users/{person.id}/roles", data={"roles": ["employee", "host_manager"], "csrf_token": token}
    )
    assert accepted.status_code == 302
    assert roles_of(person) == {Role.EMPLOYEE, Role.HOST_MANAGER}


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.LINE_MANAGER, Role.HOST_MANAGER, Role.TALENT])
def test_only_admins_manage_accounts(client, app, role):
    u = f.user(role)
    target = f.user(Role.EMPLOYEE)
    db.session.commit()
    f.login(client, u)
    assert client.get("/admin/users").status_code == 403
    assert client.post(f"/admin/users/{target.id}/roles", data={"roles": ["admin"]}).status_code == 403
    assert roles_of(target) == {Role.EMPLOYEE}


@pytest.mark.parametrize("url", ["/talent", "/team", "/host/opportunities", "/host/opportunities/new"])
def test_admins_see_no_hr_data_without_those_roles(client, admin, url):
    assert client.get(url).status_code == 403
