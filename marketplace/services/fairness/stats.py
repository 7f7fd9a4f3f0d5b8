"""Selection rates, impact ratios and their uncertainty for one breakdown of one funnel stage.

Rates per group come from fairlearn's ``MetricFrame``; the comparison of each category with the
highest-rate one uses scipy's Fisher exact test when any expected count of the 2x2 table is
below 5 and statsmodels' pooled two-proportion z-test otherwise; the 95% interval of each impact
ratio is statsmodels' log interval with 0.5 added to every count (Fagerland et al. 2015), so it
exists even when a count is zero.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

FOUR_FIFTHS = 0.8
SMALL_CELL = 5  # below this many assessed, or this expected count in the 2x2 table, numbers are unstable
SMALL_SHARE = 0.02  # LL144 lets an audit leave out categories under 2% of the sample; we keep and mark them
ALPHA = 0.05


@dataclass
class CategoryRow:
    """One category's figures at one stage; ``None`` where a figure does not exist (nobody assessed)."""

    category: str
    label: str
    assessed: int
    passed: int  # selected, or for the matcher's scores: scored above the median
    rate: float | None = None
    impact_ratio: float | None = None
    below_four_fifths: bool | None = None
    test: str | None = None  # "fisher", "z-test", or None for the reference category
    p_value: float | None = None
    significant: bool | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    shortfall: int | None = None
    warnings: list[str] = field(default_factory=list)


def group_counts(cells: Mapping[tuple[str, bool], int]) -> dict[str, tuple[int, int]]:
    """(passed, assessed) for each group, from how many assessments had each (group, outcome).

    fairlearn computes each group's selection rate; it is handed one weighted row per
    (group, outcome) rather than one row per assessment, which gives the same rates and keeps
    a year of rankings (a hundred thousand pairs, twenty breakdowns) fast.
    """
    cells = {cell: n for cell, n in cells.items() if n}
    if not cells:
        return {}
    from fairlearn.metrics import MetricFrame, selection_rate  # pandas is slow to import

    keys = sorted(cells)
    assessed = Counter()
    for (group, _), n in cells.items():
        assessed[group] += n
    frame = MetricFrame(
        metrics=selection_rate,
        y_true=[int(passed) for _, passed in keys],
        y_pred=[int(passed) for _, passed in keys],
        sensitive_features=[group for group, _ in keys],
        sample_params={"sample_weight": [cells[key] for key in keys]},
    )
    return {str(group): (round(rate * assessed[group]), assessed[group]) for group, rate in frame.by_group.items()}


def compare_categories(counts: dict[str, tuple[int, int]], categories: Sequence[tuple[str, str]]
                       ) -> tuple[list[CategoryRow], str | None]:
    """Every category's row (none left out) and the reference: the highest rate, most assessed on a tie."""
    rows = []
    for value, label in categories:
        passed, assessed = counts.get(value, (0, 0))
        rows.append(CategoryRow(value, label, assessed, passed, rate=passed / assessed if assessed else None))
    measured = [row for row in rows if row.assessed]
    if not measured:
        return rows, None
    reference = max(measured, key=lambda row: (row.rate, row.assessed))
    known = sum(row.assessed for row in measured)
    for row in rows:
        _describe(row, reference, known)
    return rows, reference.category


def _describe(row: CategoryRow, reference: CategoryRow, known: int) -> None:
    """Fill in the comparison of ``row`` with the reference category, and any warnings."""
    if not row.assessed:
        row.warnings.append("Nobody in this category was assessed.")
        return
    if row.assessed < SMALL_CELL:
        row.warnings.append(f"Fewer than {SMALL_CELL} assessed: the rate can swing on one decision.")
    if row.assessed / known < SMALL_SHARE:
        row.warnings.append("Under 2% of the people with a known category (LL144 allows leaving it out; "
                            "it is kept here).")
    if reference.rate == 0:
        row.warnings.append("Nobody in any category passed this stage: impact ratios do not exist.")
        return
    row.impact_ratio = row.rate / reference.rate
    row.below_four_fifths = row.impact_ratio < FOUR_FIFTHS
    row.shortfall = shortfall(row.passed, row.assessed, reference.rate)
    if row is reference:
        return
    row.test, row.p_value = significance(row.passed, row.assessed, reference.passed, reference.assessed)
    row.significant = row.p_value < ALPHA
    row.ci_low, row.ci_high = ratio_interval(row.passed, row.assessed, reference.passed, reference.assessed)
    if row.test == "fisher":
        row.warnings.append("Expected count under 5 in the comparison: Fisher's exact test used.")


def shortfall(passed: int, assessed: int, top_rate: float) -> int:
    """More selections this category needed for its rate to reach four fifths of the highest rate."""
    needed = math.ceil(FOUR_FIFTHS * top_rate * assessed - 1e-9)  # 1e-9: 0.8 * 0.5 * 10 is 4.000000000000001
    return max(0, needed - passed)


def significance(x1: int, n1: int, x2: int, n2: int) -> tuple[str, float]:
    """Two-sided p-value that rates x1/n1 and x2/n2 differ: Fisher when a cell is small, else a z-test."""
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    total = n1 + n2
    passed = x1 + x2
    expected = [n * c / total for n in (n1, n2) for c in (passed, total - passed)]
    if min(expected) < SMALL_CELL:
        from scipy.stats import fisher_exact

        return "fisher", float(fisher_exact(table, alternative="two-sided").pvalue)
    from statsmodels.stats.proportion import proportions_ztest

    _, p_value = proportions_ztest([x1, x2], [n1, n2])
    return "z-test", float(p_value)


def ratio_interval(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """95% interval of (x1/n1) / (x2/n2): log method with 0.5 added to each count."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(x1, n1, x2, n2, compare="ratio", method="log-adjusted", alpha=ALPHA)
    return float(low), float(high)
