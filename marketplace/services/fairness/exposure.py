"""Exposure parity of the rankings reviewers actually saw.

Each row shown carries the attention its position gets, ``1 / log2(1 + rank)`` (the DCG
discount: rank 1 -> 1.0, rank 3 -> 0.5); a group's exposure is the mean over its rows shown,
and parity is the lowest group mean divided by the highest (1.0 = equal attention per person shown).
Who was never shown at all is the "shown" stage's business, not this figure's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from marketplace.services.fairness.stats import SMALL_CELL


@dataclass
class ExposureGroup:
    category: str
    label: str
    impressions: int
    mean_exposure: float | None  # None: nobody in the group was shown


@dataclass
class ExposureTable:
    dimension: str
    label: str
    groups: list[ExposureGroup]
    unknown: int  # rows shown of people whose category is unknown
    ratio: float | None  # min / max of the group means; None with fewer than two groups shown
    lowest: str | None = None
    highest: str | None = None
    warnings: list[str] = field(default_factory=list)


def position_weight(rank: int) -> float:
    """Attention at a 1-based rank: 1 / log2(1 + rank)."""
    return 1.0 / math.log2(1 + rank)


def exposure_table(dimension: str, label: str, impressions: Sequence[tuple[int, int]],
                   category_of: Callable[[int], str | None], categories: Sequence[tuple[str, str]]) -> ExposureTable:
    """Mean exposure per category of the (employee id, rank) rows shown, and the min/max ratio."""
    weights: dict[str, list[float]] = {value: [] for value, _ in categories}
    unknown = 0
    for employee, rank in impressions:
        category = category_of(employee)
        if category is None:
            unknown += 1
        else:
            weights[category].append(position_weight(rank))
    groups = [
        ExposureGroup(value, name, len(weights[value]),
                      sum(weights[value]) / len(weights[value]) if weights[value] else None)
        for value, name in categories
    ]
    table = ExposureTable(dimension, label, groups, unknown, ratio=None)
    seen = [g for g in groups if g.mean_exposure is not None]
    if len(seen) >= 2:
        low = min(seen, key=lambda g: g.mean_exposure)
        high = max(seen, key=lambda g: g.mean_exposure)
        table.ratio, table.lowest, table.highest = low.mean_exposure / high.mean_exposure, low.category, high.category
    small = [g.label for g in seen if g.impressions < SMALL_CELL]
    if small:
        table.warnings.append(f"Fewer than {SMALL_CELL} rows shown for: {', '.join(small)}.")
    never = [g.label for g in groups if g.mean_exposure is None]
    if never and impressions:
        table.warnings.append(f"Never shown: {', '.join(never)} (not part of the ratio).")
    return table
