"""Every selection decision is in the audit log, linked from its record, and picks outside the ranking are flagged."""

from __future__ import annotations

import json

import sqlalchemy as sa

from marketplace.cli_audit import verify_command
from marketplace.extensions import db
from marketplace.models import ApplicationEvent, AuditEntry, Role, User
from marketplace.services import applications, selection
from tests import factories as f


def _entry(event: ApplicationEvent) -> AuditEntry:
    return db.session.get(AuditEntry, event.audit_seq)


def _released_application():
    host = f.user(Role.HOST_MANAGER)
    opportunity = f.opportunity(host.employee, {f.skill(): 2}, requires_release=False)
    applicant = f.user(Role.EMPLOYEE)
    db.session.commit()
    return host, opportunity, applicants_apply(applicant, opportunity)


def applicants_apply(applicant, opportunity):
    return applications.apply(applicant.employee, opportunity, "I know the data.")


def test_each_decision_points_at_its_audit_entry(app, runner):
    host, opportunity, application = _released_application()
    rejected = selection.transition(application, "reject", host, reason="Needs more SQL experience.",
                                    reason_code="skills_gap")
    events = db.session.scalars(sa.select(ApplicationEvent).order_by(ApplicationEvent.id)).all()
    assert [e.action for e in events] == ["submit", "skip_release", "reject"]
    entry = _entry(rejected)
    assert (entry.action, entry.subject) == ("application.reject", f"application:{application.id}")
    assert (entry.actor, entry.actor_role) == (f"user:{host.id}", "host")
    assert (entry.reason_code, entry.reason_text) == ("skills_gap", "Needs more SQL experience.")
    payload = json.loads(entry.payload)
    assert payload == {"opportunity": f"opportunity:{opportunity.id}", "candidate": f"employee:{application.employee_id}",
                       "from": "released", "to": "rejected", "event": rejected.id, "has_note": False}
    assert _entry(events[1]).actor == "system"  # the skipped release was the marketplace's own step
    assert "I know the data" not in entry.payload and application.employee.name not in entry.payload
    result = runner.invoke(verify_command)
    assert result.exit_code == 0 and "5 entries checked" in result.output  # three decisions, two notices


def test_shortlisting_someone_the_ranking_never_showed_is_an_override(app):
    host, opportunity, application = _released_application()
    shortlist = selection.transition(application, "shortlist", host, reason_code="specific_experience",
                                     override_code="override_known_candidate")
    entry = _entry(shortlist)
    payload = json.loads(entry.payload)
    assert payload["override"] is True and payload["best_rank_shown"] is None
    assert payload["override_code"] == "override_known_candidate" and entry.reason_code == "specific_experience"


def test_shortlisting_someone_shown_in_the_ranking_records_their_best_rank(app):
    from marketplace.services import audit

    host, opportunity, application = _released_application()
    for shown in ([("employee:999", 1), (f"employee:{application.employee_id}", 4)],
                  [(f"employee:{application.employee_id}", 2)]):
        audit.record("ranking.shown", f"opportunity:{opportunity.id}", actor=host, role="host_manager",
                     payload={"shown": [{"rank": r, "candidate": c} for c, r in shown]})
    db.session.commit()
    # Shown, so not an override: no override code is asked for, and one sent anyway is not recorded.
    event = selection.transition(application, "shortlist", host, reason_code="strong_skills_match",
                                 override_code="override_known_candidate")
    payload = json.loads(_entry(event).payload)
    assert payload["override"] is False and payload["best_rank_shown"] == 2
    assert "override_code" not in payload and event.override_code is None


def test_verifier_names_a_decision_that_lost_its_audit_link(app, runner):
    host, opportunity, application = _released_application()
    event = selection.transition(application, "shortlist", host, reason_code="strong_skills_match",
                                 override_code="override_applied_directly")
    event.audit_seq = None
    db.session.commit()
    result = runner.invoke(verify_command)
    assert result.exit_code != 0
    assert f"decision {event.id} (shortlist on application {application.id}) has no audit entry" in result.output


def test_the_notice_of_a_decision_is_logged_with_its_recipients_but_not_its_words(app, runner):
    import hashlib

    from marketplace.models import Notification

    host, opportunity, application = _released_application()
    applicant_user = db.session.scalar(sa.select(User).where(User.employee_id == application.employee_id))
    rejected = selection.transition(application, "reject", host, reason_code="skills_gap",
                                    reason="Needs more SQL experience.")
    notices = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "notice.sent")
                                 .order_by(AuditEntry.seq)).all()
    last = notices[-1]
    payload = json.loads(last.payload)
    assert payload["decision"] == "application.reject" and payload["decision_seq"] == rejected.audit_seq
    assert payload["recipients"] == [f"user:{applicant_user.id}"]
    [sent] = db.session.scalars(sa.select(Notification).where(Notification.recipient_id == applicant_user.id)
                                .order_by(Notification.id.desc()).limit(1)).all()
    assert payload["texts_sha256"] == [hashlib.sha256(sent.body.encode()).hexdigest()]
    assert "SQL experience" not in last.payload
    assert runner.invoke(verify_command).exit_code == 0


def test_the_applicants_page_asks_for_an_override_reason_only_for_applicants_no_ranking_showed(app, client):
    from marketplace.services import audit

    host, opportunity, shown = _released_application()
    unseen = applicants_apply(f.user(Role.EMPLOYEE), opportunity)
    audit.record("ranking.shown", f"opportunity:{opportunity.id}", actor=host, role="host_manager",
                 payload={"shown": [{"rank": 3, "candidate": f"employee:{shown.employee_id}"}]})
    db.session.commit()
    f.login(client, host)
    page = client.get(f"/host/opportunities/{opportunity.id}/applicants").get_data(as_text=True)
    asks = page.split('aria-labelledby="applicant-')  # one chunk per applicant card, in the page's order
    by_name = {name: next(chunk for chunk in asks[1:] if name in chunk)
               for name in (shown.employee.name, unseen.employee.name)}
    assert 'name="override_code"' not in by_name[shown.employee.name]
    assert 'name="override_code"' in by_name[unseen.employee.name]
