"""The bias audit report: each funnel stage broken down by every category, and exposure parity.

Built from the audit log for a period (and optionally one opportunity), joined with the
voluntary equality answers through ``services.equality`` (which logs the read). People whose
category is unknown (they preferred not to say, or did not answer) are counted in every table
and left out of the ratios; no category is ever dropped, however small.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from dataclasses import dataclass, field

from marketplace.clock import utcnow
from marketplace.models import User
from marketplace.models.equality import PREFER_NOT_TO_SAY, QUESTIONS, RaceEthnicity, Sex
from marketplace.services import equality
from marketplace.services.fairness.exposure import ExposureTable, exposure_table
from marketplace.services.fairness.funnel import Funnel, Period, read_funnel
from marketplace.services.fairness.stats import CategoryRow, compare_categories, group_counts

STAGES: dict[str, dict[str, str]] = {
    "scored": {
        "label": "Scored by the matcher",
        "measure": "scoring rate",
        "denominator": "every (opportunity, person) pair the matcher ranked in a ranking a reviewer opened "
                       "in the period (the reranked candidates, up to CANDIDATE_LIMIT per view)",
        "numerator": "pairs whose latest score is above the median score of that opportunity's scored pairs "
                     "(scores of different secondments are not comparable, so each has its own median)",
    },
    "shown": {
        "label": "Shown in the top-k",
        "measure": "shown rate",
        "denominator": "the scored pairs, as above",
        "numerator": "pairs that appeared on a page of candidates a reviewer opened",
    },
    "shortlisted": {
        "label": "Shortlisted",
        "measure": "selection rate",
        "denominator": "applicants: pairs with any application.* audit entry in the period",
        "numerator": "applicants shortlisted (application.shortlist, or a later offer, which implies it)",
    },
    "selected": {
        "label": "Selected",
        "measure": "selection rate",
        "denominator": "applicants, as above",
        "numerator": "applicants offered the secondment (application.offer or application.accept_offer)",
    },
}

DIMENSION_LABELS = {
    "sex": "Sex",
    "race_ethnicity": "Race/ethnicity",
    "age_band": "Age band",
    "disability": "Disability",
    "sex_race": "Sex × race/ethnicity",
}

DEFINITIONS = {
    "impact_ratio": "a category's rate divided by the highest category's rate",
    "four_fifths": "flagged when the impact ratio is below 0.8 (the EEOC four-fifths rule of thumb)",
    "test": "two-sided comparison with the highest-rate category: Fisher's exact test when any expected "
            "count of the 2x2 table is below 5, otherwise the pooled two-proportion z-test; significant at p < 0.05",
    "ci": "95% interval of the impact ratio: log method with 0.5 added to each count (statsmodels 'log-adjusted')",
    "shortfall": "how many more of the category would have had to pass the stage for its impact ratio to "
                 "reach 0.8 (0 when it already does)",
    "unknown": "people who preferred not to say or did not answer; counted, left out of rates and ratios",
    "exposure": "mean of 1/log2(1 + rank) over the rows shown to reviewers, per category; parity is the lowest "
                "category mean over the highest",
    "unit": "an (opportunity, person) pair: someone considered for three secondments counts three times",
}


@dataclass
class Breakdown:
    """One stage by one dimension: every category's row, and who could not be placed."""

    dimension: str
    label: str
    reference: str | None
    rows: list[CategoryRow]
    unknown_declined: int
    unknown_unanswered: int

    @property
    def unknown(self) -> int:
        return self.unknown_declined + self.unknown_unanswered

    @property
    def flagged(self) -> list[CategoryRow]:
        return [row for row in self.rows if row.below_four_fifths]


@dataclass
class StageReport:
    key: str
    label: str
    measure: str
    denominator: str
    numerator: str
    assessed: int
    passed: int
    breakdowns: list[Breakdown]


@dataclass
class BiasReport:
    """Everything the page, the CSV and the JSON show."""

    period: Period
    opportunity: str | None  # "opportunity:12", or None for every opportunity
    generated_at: str
    stages: list[StageReport]
    exposure: list[ExposureTable]
    views: int
    audit_entries: int
    first_seq: int | None
    last_seq: int | None
    warnings: list[str] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=lambda: dict(DEFINITIONS))


def categories(dimension: str) -> list[tuple[str, str]]:
    """(value, label) of every category of a dimension, "prefer not to say" excluded (it is unknown)."""
    if dimension == "sex_race":
        return [(f"{s}/{r}", f"{s.label} · {r.label}")
                for s, r in itertools.product(_answer_categories(Sex), _answer_categories(RaceEthnicity))]
    return [(m.value, m.label) for m in _answer_categories(QUESTIONS[dimension])]


def _answer_categories(enum_cls) -> list:
    return [m for m in enum_cls if m.value != PREFER_NOT_TO_SAY]


# Where a person whose category is unknown is counted; neither can be a category value.
DECLINED, UNANSWERED = "?declined", "?unanswered"


def place(answers: equality.Answers, dimension: str) -> str:
    """The person's category in a dimension, or DECLINED (prefer not to say) or UNANSWERED."""
    if dimension == "sex_race":
        sex, race = place(answers, "sex"), place(answers, "race_ethnicity")
        if _unknown(sex) or _unknown(race):
            return DECLINED if DECLINED in (sex, race) else UNANSWERED
        return f"{sex}/{race}"
    value = getattr(answers, dimension)
    return UNANSWERED if value is None else DECLINED if value == PREFER_NOT_TO_SAY else value


def _unknown(category: str) -> bool:
    return category in (DECLINED, UNANSWERED)


def build_bias_report(period: Period, *, opportunity_id: int | None = None, reader: User | None = None) -> BiasReport:
    """The report for a period (and one opportunity); reading the equality answers is logged and committed."""
    funnel = read_funnel(period, opportunity_id)
    subject = f"opportunity:{opportunity_id}" if opportunity_id is not None else "opportunities:all"
    answers = equality.answers_for(funnel.people(), purpose="bias report", subject=subject, reader=reader,
                                   details={"period": str(period)})
    # each person placed once per dimension, rather than once per pair and stage
    places = {employee: {d: place(a, d) for d in DIMENSION_LABELS} for employee, a in answers.items()}
    report = BiasReport(
        period=period,
        opportunity=subject if opportunity_id is not None else None,
        generated_at=utcnow().isoformat(timespec="seconds") + "Z",
        stages=[_stage(key, funnel, places) for key in STAGES],
        exposure=[
            exposure_table(dimension, label, funnel.impressions,
                           lambda employee, d=dimension: None if _unknown(c := places[employee][d]) else c,
                           categories(dimension))
            for dimension, label in DIMENSION_LABELS.items()
        ],
        views=funnel.views,
        audit_entries=funnel.entries,
        first_seq=funnel.first_seq,
        last_seq=funnel.last_seq,
    )
    report.warnings = _report_warnings(funnel)
    return report


def _stage(key: str, funnel: Funnel, places: dict[int, dict[str, str]]) -> StageReport:
    outcomes = funnel.outcomes(key)
    per_person = Counter((employee, passed) for (_, employee), passed in outcomes)
    breakdowns = []
    for dimension, label in DIMENSION_LABELS.items():
        cells: Counter = Counter()
        for (employee, passed), n in per_person.items():
            cells[(places[employee][dimension], passed)] += n
        unknown = {where: sum(n for (category, _), n in cells.items() if category == where)
                   for where in (DECLINED, UNANSWERED)}
        counts = group_counts({cell: n for cell, n in cells.items() if not _unknown(cell[0])})
        rows, reference = compare_categories(counts, categories(dimension))
        breakdowns.append(Breakdown(dimension, label, reference, rows, unknown[DECLINED], unknown[UNANSWERED]))
    return StageReport(key=key, **STAGES[key], assessed=len(outcomes), passed=sum(p for _, p in outcomes),
                       breakdowns=breakdowns)


def _report_warnings(funnel: Funnel) -> list[str]:
    warnings = []
    if not funnel.entries:
        warnings.append("No ranking or application was recorded in the audit log in this period.")
    if funnel.views_without_ranked:
        warnings.append(f"{funnel.views_without_ranked} ranking views were logged before the full ranking was "
                        "recorded; for those only the people on the page shown count as scored.")
    if funnel.unreadable:
        warnings.append(f"{funnel.unreadable} audit entries could not be read and were left out.")
    return warnings


def as_dict(report: BiasReport) -> dict:
    """Plain data for JSON: every figure, with the definitions of the denominators."""
    data = dataclasses.asdict(report)
    data["period"] = {"start": report.period.start.isoformat(), "end": report.period.end.isoformat()}
    for stage, breakdown_data in zip(report.stages, data["stages"]):
        for breakdown, out in zip(stage.breakdowns, breakdown_data["breakdowns"]):
            out["unknown"] = breakdown.unknown
    return data
