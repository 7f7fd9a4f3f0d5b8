"""The bias audit report from the audit log: the funnel's stages, unknowns, periods, exports, CLI and page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math

import pytest
import sqlalchemy as sa

from marketplace.cli_audit import bias_report_command, verify_command
from marketplace.extensions import db
from marketplace.models import AuditEntry, Role
from marketplace.services import audit, equality, fairness
from marketplace.services.audit import log
from tests import factories as f

IN_PERIOD = dt.datetime(2026, 3, 10, 9, 30)
BEFORE = dt.datetime(2025, 12, 31, 23, 59)
PERIOD = "2026-01-01:2026-12-31"


@pytest.fixture
def at(monkeypatch):
    """Record the next audit entries as if at a given time."""

    def set_time(when: dt.datetime) -> None:
        monkeypatch.setattr(log, "utcnow", lambda: when)

    set_time(IN_PERIOD)
    return set_time


def _ranking(opportunity, ranked, per_page: int) -> None:
    """A ranking.shown entry as the candidates page writes it: the page seen and everyone scored."""
    ref = f"opportunity:{opportunity.id}"
    shown = [{"rank": i + 1, "candidate": f"employee:{e.id}", "score": s, "parts": {"required": s}}
             for i, (e, s) in enumerate(ranked[:per_page])]
    audit.record("ranking.shown", ref, role="host_manager",
                 payload={"opportunity": ref, "shown": shown, "ranked": [[f"employee:{e.id}", s] for e, s in ranked]})


def _decision(action: str, application_id: int, opportunity, employee, before: str, after: str) -> None:
    """An application.* entry as the application state machine writes it."""
    audit.record(f"application.{action}", f"application:{application_id}", role="host_manager",
                 payload={"opportunity": f"opportunity:{opportunity.id}", "candidate": f"employee:{employee.id}",
                          "from": before, "to": after})


@pytest.fixture
def funnel(app, at):
    """Six people for one secondment: two women (White), two men (Black), one declined, one never answered.

    Scores 0.9 .. 0.4 (median 0.65), the reviewer saw the top three; three applied, two were
    shortlisted and one man got the offer.
    """
    talent = f.user(Role.TALENT)
    opportunity = f.opportunity(title="Census data lead")
    w1, m1, w2, m2, declined, silent = people = [f.employee() for _ in range(6)]
    for person, sex, race in ((w1, "female", "white"), (w2, "female", "white"), (m1, "male", "black"),
                              (m2, "male", "black"), (declined, "prefer_not_to_say", "prefer_not_to_say")):
        equality.save_answers(person, equality.Answers(sex=sex, race_ethnicity=race), reader=talent)
    _ranking(opportunity, list(zip(people, (0.9, 0.8, 0.7, 0.6, 0.5, 0.4))), per_page=3)
    for i, person in enumerate((w1, m1, m2), start=1):
        _decision("submit", i, opportunity, person, "draft", "submitted")
    _decision("shortlist", 1, opportunity, w1, "submitted", "shortlisted")
    _decision("shortlist", 2, opportunity, m1, "submitted", "shortlisted")
    _decision("offer", 2, opportunity, m1, "shortlisted", "offered")
    _decision("reject", 3, opportunity, m2, "submitted", "rejected")
    db.session.commit()
    return {"opportunity": opportunity, "talent": talent, **dict(zip(("w1", "m1", "w2", "m2", "declined", "silent"),
                                                                      people))}


def _report(**kwargs) -> fairness.BiasReport:
    return fairness.build_bias_report(fairness.parse_period(PERIOD), **kwargs)


def _table(report, stage: str, dimension: str):
    stage_report = next(s for s in report.stages if s.key == stage)
    breakdown = next(b for b in stage_report.breakdowns if b.dimension == dimension)
    return stage_report, breakdown, {row.category: row for row in breakdown.rows}


def test_every_stage_counts_its_own_denominator(funnel):
    report = _report()
    assert [(s.key, s.assessed, s.passed) for s in report.stages] == [
        ("scored", 6, 3),  # above the median of 0.65: 0.9, 0.8, 0.7
        ("shown", 6, 3),
        ("shortlisted", 3, 2),  # out of the three applicants
        ("selected", 3, 1),
    ]
    assert "median" in report.stages[0].numerator and "application.*" in report.stages[2].denominator


def test_rates_and_ratios_at_each_stage_by_sex(funnel):
    report = _report()
    _, scored, rows = _table(report, "scored", "sex")
    assert (rows["female"].passed, rows["female"].assessed) == (2, 2)
    assert (rows["male"].passed, rows["male"].assessed) == (1, 2)
    assert scored.reference == "female" and rows["male"].impact_ratio == 0.5 and rows["male"].below_four_fifths
    assert rows["male"].test == "fisher" and rows["male"].shortfall == 1  # 0.8 x 1.0 x 2 = 1.6 -> 2 needed
    assert rows["another"].assessed == 0 and rows["another"].warnings == ["Nobody in this category was assessed."]
    assert (scored.unknown_declined, scored.unknown_unanswered) == (1, 1)

    _, selected, rows = _table(report, "selected", "sex")
    assert selected.reference == "male" and rows["male"].rate == 0.5
    assert rows["female"].rate == 0.0 and rows["female"].impact_ratio == 0.0 and rows["female"].shortfall == 1
    assert selected.unknown == 0  # neither unknown person applied


def test_the_intersection_lists_every_sex_and_race_pair(funnel):
    _, breakdown, rows = _table(_report(), "shortlisted", "sex_race")
    assert len(rows) == 3 * 7  # female, male, another x the seven LL144 categories: none dropped
    assert (rows["female/white"].passed, rows["female/white"].assessed) == (1, 1)
    assert (rows["male/black"].passed, rows["male/black"].assessed) == (1, 2)
    assert rows["male/black"].impact_ratio == 0.5


def test_exposure_parity_of_the_rankings_shown(funnel):
    table = next(t for t in _report().exposure if t.dimension == "sex")
    means = {g.category: g.mean_exposure for g in table.groups}
    # women at ranks 1 and 3: (1 + 1/log2 4) / 2 = 0.75; the man at rank 2: 1/log2 3
    assert means["female"] == pytest.approx(0.75) and means["male"] == pytest.approx(1 / math.log2(3))
    assert table.ratio == pytest.approx((1 / math.log2(3)) / 0.75)
    assert table.unknown == 0


def test_only_the_period_counts_and_each_pair_keeps_its_latest_score(funnel, at):
    opportunity, w1, silent = funnel["opportunity"], funnel["w1"], funnel["silent"]
    at(BEFORE)
    _ranking(opportunity, [(silent, 0.99)], per_page=1)  # outside the period: ignored
    at(IN_PERIOD + dt.timedelta(days=1))
    _ranking(opportunity, [(w1, 0.1), (silent, 0.95)], per_page=1)  # w1 drops below the median, silent rises
    db.session.commit()
    report = _report()
    _, breakdown, rows = _table(report, "scored", "sex")
    assert (rows["female"].passed, rows["female"].assessed) == (1, 2)
    assert report.views == 2 and report.audit_entries == 9  # 2 views + 7 decisions
    assert fairness.build_bias_report(fairness.parse_period("2025-12-01:2025-12-31")).views == 1


def test_one_opportunity_leaves_the_others_out(funnel):
    other = f.opportunity(title="Harbour survey")
    _ranking(other, [(funnel["w2"], 0.5)], per_page=1)
    _decision("submit", 9, other, funnel["w2"], "draft", "submitted")
    db.session.commit()
    assert [s.assessed for s in _report(opportunity_id=funnel["opportunity"].id).stages] == [6, 6, 3, 3]
    assert [s.assessed for s in _report(opportunity_id=other.id).stages] == [1, 1, 1, 1]
    assert [s.assessed for s in _report().stages] == [7, 7, 4, 4]


def test_reading_the_answers_for_the_report_is_logged_and_the_chain_still_verifies(funnel, runner):
    _report(reader=funnel["talent"])
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "demographics.read")
                               .order_by(AuditEntry.seq.desc())).first()
    assert entry.actor == f"user:{funnel['talent'].id}" and entry.subject == "opportunities:all"
    assert json.loads(entry.payload) == {"scope": "aggregate", "purpose": "bias report", "people": 6,
                                         "period": PERIOD}
    audit.checkpoint()  # as the worker does: the funnel's entries are older than any checkpoint interval
    result = runner.invoke(verify_command)
    assert result.exit_code == 0, result.output


def test_an_empty_period_says_so(app):
    report = _report()
    assert report.warnings == ["No ranking or application was recorded in the audit log in this period."]
    assert all(s.assessed == 0 for s in report.stages)


@pytest.mark.parametrize("text", ["2026-01-01", "2026-13-01:2026-12-31", "2026-12-31:2026-01-01", ""])
def test_a_bad_period_is_a_clear_error(text):
    with pytest.raises(fairness.PeriodError):
        fairness.parse_period(text)


# ------------------------------------------------------------------ exports and the command


def test_cli_prints_the_json_report(funnel, runner):
    result = runner.invoke(bias_report_command, ["--period", PERIOD, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    stage = next(s for s in data["stages"] if s["key"] == "selected")
    sex = next(b for b in stage["breakdowns"] if b["dimension"] == "sex")
    male = next(r for r in sex["rows"] if r["category"] == "male")
    assert (male["assessed"], male["passed"], male["rate"], male["impact_ratio"]) == (2, 1, 0.5, 1.0)
    assert sex["unknown"] == 0 and "four_fifths" in data["definitions"]
    assert data["exposure"][0]["ratio"] == pytest.approx((1 / math.log2(3)) / 0.75)
    actor = db.session.scalars(sa.select(AuditEntry.actor).where(AuditEntry.action == "demographics.read")
                               .order_by(AuditEntry.seq.desc())).first()
    assert actor == "system"


def test_cli_writes_csv_for_one_opportunity(funnel, runner, tmp_path):
    out = tmp_path / "report.csv"
    args = ["--period", PERIOD, "--opportunity", str(funnel["opportunity"].id), "--format", "csv", "--out", str(out)]
    result = runner.invoke(bias_report_command, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    shortlisted_male = next(r for r in rows if (r["stage"], r["dimension"], r["category"]) ==
                            ("shortlisted", "sex", "male"))
    assert (shortlisted_male["assessed"], shortlisted_male["passed"], shortlisted_male["rate"]) == ("2", "1", "0.5")
    unknown = next(r for r in rows if (r["stage"], r["dimension"], r["category"]) == ("scored", "sex", "unknown"))
    assert unknown["assessed"] == "2" and "1 preferred not to say, 1 did not answer" in unknown["warnings"]
    assert any(r["section"] == "exposure" and r["category"] == "female" for r in rows)


@pytest.mark.parametrize(("args", "message"), [
    (["--period", "2026"], "START:END"),
    (["--period", PERIOD, "--opportunity", "999999"], "no opportunity 999999"),
    (["--period", PERIOD, "--format", "xml"], "xml"),
])
def test_cli_refuses_bad_input_clearly(app, runner, args, message):
    result = runner.invoke(bias_report_command, args)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------ the talent team's page


def _login(client, *roles):
    account = f.user(*roles)
    db.session.commit()
    f.login(client, account)
    return account


def test_the_talent_team_sees_the_report_with_charts_tables_and_downloads(client, funnel):
    _login(client, Role.TALENT)
    period = {"start": "2026-01-01", "end": "2026-12-31"}
    html = client.get("/talent/fairness", query_string=period).get_data(as_text=True)
    assert "Shortlisted" in html and "Shown in the top-k" in html and "Exposure in the rankings shown" in html
    assert html.count("<svg") >= 4 and 'role="img"' in html and "0.8 (four fifths)" in html
    assert "1 preferred not to say, 1 did not answer" in html
    assert "/talent/fairness/report.csv?start=2026-01-01" in html and "report.json" in html
    for person in ("w1", "m1", "declined"):  # aggregates only: no one is named
        assert funnel[person].name not in html


def test_the_download_is_an_attachment_with_the_same_figures(client, funnel):
    _login(client, Role.TALENT)
    response = client.get("/talent/fairness/report.json",
                          query_string={"start": "2026-01-01", "end": "2026-12-31",
                                        "opportunity": funnel["opportunity"].id})
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.json["opportunity"] == f"opportunity:{funnel['opportunity'].id}"
    assert client.get("/talent/fairness/report.csv", query_string={"start": "2026-01-01", "end": "2026-12-31"}
                      ).mimetype == "text/csv"


def test_a_backwards_period_is_a_400_with_the_reason(client, app):
    _login(client, Role.TALENT)
    response = client.get("/talent/fairness", query_string={"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 400 and "cannot end before it starts" in response.get_data(as_text=True)
    assert client.get("/talent/fairness/report.csv", query_string={"start": "x", "end": ""}).status_code == 400


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HOST_MANAGER, Role.EMPLOYEE, Role.LINE_MANAGER])
def test_nobody_but_the_talent_team_sees_it(client, funnel, role):
    _login(client, role)
    assert client.get("/talent/fairness").status_code == 403
    assert client.get("/talent/fairness/report.json").status_code == 403
