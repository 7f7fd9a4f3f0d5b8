"""Notifications: every account's inbox, the unread badge, and who hears about which event, once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from marketplace import queue
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import Application, EmailState, Notification, NotificationKind, Role, User
from marketplace.services import applications, hosting, notifications
from tests import factories as f


@pytest.fixture
def queued(monkeypatch) -> list[tuple[str, tuple]]:
    """Tasks the app queues, recorded instead of sent."""
    sent: list[tuple[str, tuple]] = []

    def record(task_name: str, *args, **kwargs):
        sent.append((task_name, args))
        return f"task-{len(sent)}"

    monkeypatch.setattr(queue, "enqueue", record)
    return sent


def _tell(user: User, subject: str = "Something happened", key: str | None = None, **fields) -> int:
    ids = notifications.notify(
        [user],
        fields.pop("kind", NotificationKind.APPLICATION_SUBMITTED),
        subject,
        fields.pop("body", "The details of what happened."),
        link=fields.pop("link", "/applications"),
        dedupe_key=key or f"test:{subject}",
    )
    db.session.commit()
    return ids[0] if ids else None


def _notifications_of(user: User) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Notification).where(Notification.recipient_id == user.id)))


# -- the inbox ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_its_own_notifications_in_its_inbox(client, role):
    user, other = f.user(role), f.user(Role.EMPLOYEE)
    _tell(user, "Yours to read")
    _tell(other, "Someone else's news")
    f.login(client, user)
    page = client.get("/inbox/").get_data(as_text=True)
    assert "Yours to read" in page and "The details of what happened." in page
    assert "Someone else's news" not in page
    assert 'href="/inbox/"' in page  # the inbox is in the navigation of every role


def test_unread_count_shows_in_the_navigation_for_screen_readers_too(client):
    user = f.user(Role.HOST_MANAGER)
    first = _tell(user, "First")
    _tell(user, "Second")
    f.login(client, user)
    badge = re.search(r'id="unread-count">(.*?)</span></span>', client.get("/").get_data(as_text=True))
    assert badge and badge.group(1) == '2<span class="visually-hidden"> unread'

    client.get(f"/inbox/{first}")
    assert '1<span class="visually-hidden"> unread' in client.get("/").get_data(as_text=True)
    client.post("/inbox/read-all")
    assert 'id="unread-count"' not in client.get("/").get_data(as_text=True)


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client):
    user = f.user(Role.EMPLOYEE)
    notification_id = _tell(user, link="/applications")
    f.login(client, user)
    response = client.get(f"/inbox/{notification_id}")
    assert response.status_code == 302 and response.headers["Location"] == "/applications"
    assert _notifications_of(user)[0].read_at is not None


def test_someone_elses_notification_cannot_be_opened(client):
    owner, snoop = f.user(Role.EMPLOYEE), f.user(Role.EMPLOYEE)
    notification_id = _tell(owner)
    f.login(client, snoop)
    assert client.get(f"/inbox/{notification_id}").status_code == 404
    assert _notifications_of(owner)[0].read_at is None


def test_mark_all_read_touches_only_ones_own(client):
    user, other = f.user(Role.TALENT), f.user(Role.TALENT)
    _tell(user, "A"), _tell(user, "B"), _tell(other, "C")
    f.login(client, user)
    response = client.post("/inbox/read-all", follow_redirects=True)
    assert "Marked 2 notifications read." in response.get_data(as_text=True)
    assert all(n.read_at for n in _notifications_of(user))
    assert _notifications_of(other)[0].read_at is None


def test_inbox_lists_unread_first_then_newest_and_pages(app, client):
    app.config["PAGE_SIZE"] = 2
    user = f.user(Role.ADMIN)
    for number in range(1, 5):
        _tell(user, f"Note {number}")
    notes = {n.subject: n for n in _notifications_of(user)}
    for number, note in enumerate(notes.values()):
        note.created_at = utcnow() - dt.timedelta(hours=10 - number)  # Note 4 is the newest
    notes["Note 4"].read_at = utcnow()
    db.session.commit()
    f.login(client, user)
    first = client.get("/inbox/").get_data(as_text=True)
    second = client.get("/inbox/?page=2").get_data(as_text=True)
    order = re.findall(r"Note \d", first) + re.findall(r"Note \d", second)
    assert order == ["Note 3", "Note 2", "Note 1", "Note 4"]
    assert "Unread: </span>Note 3" in first and "Unread: </span>Note 4" not in second


def test_turning_email_off_keeps_the_inbox_and_drops_unsent_emails(client):
    user = f.user(Role.EMPLOYEE)
    _tell(user, "Before")
    f.login(client, user)
    response = client.post("/inbox/email", data={}, follow_redirects=True)  # checkbox unticked
    assert "stay in your inbox only" in response.get_data(as_text=True)
    _tell(user, "After")
    assert {n.subject: n.email_state for n in _notifications_of(user)} == {
        "Before": EmailState.NOT_WANTED,
        "After": EmailState.NOT_WANTED,
    }
    page = client.get("/inbox/").get_data(as_text=True)
    assert "Before" in page and "After" in page
    assert 'id="email_notifications"' in page and "checked" not in page.split('id="email_notifications"')[0][-200:]

    client.post("/inbox/email", data={"email_notifications": "y"})
    _tell(user, "Later")
    assert {n.subject: n.email_state for n in _notifications_of(user)}["Later"] == EmailState.PENDING


# -- notify(): once, with the caller's transaction, e-mails after commit ---------------------------


def test_the_same_event_notifies_each_person_once(app, queued):
    user = f.user(Role.EMPLOYEE)
    first = notifications.notify([user, user.employee], NotificationKind.OPPORTUNITY_CLOSED, "Closed", "…",
                                 link="/applications", dedupe_key="opportunity.closed:7")
    again = notifications.notify([user], NotificationKind.OPPORTUNITY_CLOSED, "Closed", "…",
                                 link="/applications", dedupe_key="opportunity.closed:7")
    user.email_notifications = True  # the caller's transaction goes on after a repeated event
    db.session.commit()
    assert len(first) == 1 and again == []
    assert len(_notifications_of(user)) == 1
    assert queued == [("marketplace.send_notification_email", (first[0],))]


def test_notifications_roll_back_with_the_event_and_queue_nothing(app, queued):
    user = f.user(Role.EMPLOYEE)
    db.session.commit()
    notifications.notify([user], NotificationKind.OPPORTUNITY_CLOSED, "Closed", "…", link=None, dedupe_key="k")
    db.session.rollback()
    db.session.commit()
    assert _notifications_of(user) == [] and queued == []


def test_emails_are_queued_only_after_the_commit(app, queued):
    user = f.user(Role.EMPLOYEE)
    [notification_id] = notifications.notify([user], NotificationKind.OPPORTUNITY_CLOSED, "Closed", "…",
                                             link=None, dedupe_key="k")
    assert queued == []  # the worker could not see the row yet
    db.session.commit()
    assert queued == [("marketplace.send_notification_email", (notification_id,))]


def test_employees_without_an_active_account_are_skipped(app, queued):
    no_account = f.employee()
    disabled = f.user(Role.EMPLOYEE)
    disabled.is_active_account = False
    assert notifications.notify([no_account, disabled], NotificationKind.OPPORTUNITY_CLOSED, "Closed", "…",
                                link=None, dedupe_key="k") == []


def test_links_must_stay_inside_the_app(app):
    user = f.user(Role.EMPLOYEE)
    with pytest.raises(ValueError):
        notifications.notify([user], NotificationKind.OPPORTUNITY_CLOSED, "x", "y",
                             link="//evil.example/", dedupe_key="k")


def test_a_broker_outage_does_not_fail_the_request_and_the_email_waits(app, client):
    app.config["CELERY"] = {"broker_url": "redis://127.0.0.1:1/0", "task_ignore_result": True}  # nothing listens
    host, applicant = f.user(Role.HOST_MANAGER), f.user(Role.EMPLOYEE)
    opportunity = f.opportunity(host.employee, {f.skill(): 2})
    opportunity.requires_release = False  # the application goes straight to the host
    db.session.commit()
    f.login(client, applicant)
    response = client.post(f"/opportunities/{opportunity.id}/apply", data={"statement": "I know the data."})
    assert response.status_code == 302
    [notification] = _notifications_of(host)
    assert notification.email_state == EmailState.PENDING and notification.email_attempts == 0


# -- the events --------------------------------------------------------------------------------------


@pytest.fixture
def posting(app):
    """An open opportunity with its host's account and two applicants' accounts."""
    host = f.user(Role.HOST_MANAGER)
    opportunity = f.opportunity(host.employee, {f.skill(): 2}, title="Census data lead")
    first, second = f.user(Role.EMPLOYEE), f.user(Role.EMPLOYEE)
    db.session.commit()
    return host, opportunity, first, second


def test_each_selection_decision_tells_the_people_concerned_once(posting, queued):
    from marketplace.services import selection

    host, opportunity, applicant, _ = posting
    manager = f.user(Role.LINE_MANAGER)
    applicant.employee.manager = manager.employee
    db.session.commit()
    application = applications.apply(applicant.employee, opportunity, "Pick me.")
    [asked] = _notifications_of(manager)
    assert "please decide whether to release them" in asked.body and asked.link == "/team"
    assert _notifications_of(host) == []  # nothing to review before the release

    selection.transition(application, "approve_release", manager)
    [released] = _notifications_of(host)
    assert applicant.employee.name in released.body and "released for review" in released.body
    assert released.link == f"/host/opportunities/{opportunity.id}/applicants"
    assert released.kind == NotificationKind.APPLICATION_DECISION
    assert [n.body for n in _notifications_of(applicant)] == ["Your release for “Census data lead” was approved."]

    applications.withdraw(applicant.employee, application)
    assert sum("withdrew" in n.body for n in _notifications_of(host)) == 1
    assert sum("withdrew" in n.body for n in _notifications_of(manager)) == 1
    applications.apply(applicant.employee, opportunity, "Pick me after all.")
    assert sum("please decide" in n.body for n in _notifications_of(manager)) == 2  # applying again is news again
    assert len(queued) == 6


@pytest.mark.parametrize(
    ("action", "subject", "link"),
    [
        (hosting.close_opportunity, "Applications closed: Census data lead", "/applications"),
        (hosting.cancel_opportunity, "Secondment cancelled: Census data lead", "/opportunities"),
    ],
)
def test_closing_or_cancelling_tells_the_active_applicants_once(posting, action, subject, link):
    host, opportunity, stays, leaves = posting
    applications.apply(stays.employee, opportunity, "Pick me.")
    applications.withdraw(leaves.employee, applications.apply(leaves.employee, opportunity, "Pick me."))
    action(opportunity)
    with pytest.raises(Exception, match="can be"):  # a second click is refused and tells nobody again
        action(opportunity)
    [notification] = _notifications_of(stays)
    assert (notification.subject, notification.link) == (subject, link)
    assert _notifications_of(leaves) == []


def test_a_refused_close_leaves_no_notification_behind(posting):
    host, opportunity, applicant, _ = posting
    applications.apply(applicant.employee, opportunity, "Pick me.")
    opportunity.status = "filled"
    db.session.commit()
    with pytest.raises(Exception, match="Only open opportunities can be closed"):
        hosting.close_opportunity(opportunity)
    assert _notifications_of(applicant) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 1


def test_the_link_in_an_email_leads_through_log_in_to_the_page(client):
    user = f.user(Role.EMPLOYEE)
    notification_id = _tell(user, link="/applications")
    response = client.get(f"/inbox/{notification_id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    login_url = response.headers["Location"]
    response = client.post(login_url, data={"email": user.email, "password": f.PASSWORD})
    assert response.headers["Location"] == f"/inbox/{notification_id}"
    assert client.get(response.headers["Location"]).headers["Location"] == "/applications"
    assert _notifications_of(user)[0].read_at is not None
