"""The bias report's figures against a hand-computed example: rates, ratios, flags, tests, intervals."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from marketplace.services.fairness import exposure, stats

RACES = [("white", "White"), ("black", "Black or African American"), ("asian", "Asian"),
         ("native_american", "Native American or Alaska Native")]
# White 20 of 40 (0.5), Black 9 of 30 (0.3), Asian 1 of 4 (0.25), nobody Native American.
COUNTS = {"white": (20, 40), "black": (9, 30), "asian": (1, 4)}


@pytest.fixture
def rows():
    rows, reference = stats.compare_categories(COUNTS, RACES)
    assert reference == "white"
    return {row.category: row for row in rows}


def test_rates_impact_ratios_and_four_fifths_flags(rows):
    assert [rows[c].rate for c in ("white", "black", "asian")] == [0.5, 0.3, 0.25]
    assert rows["white"].impact_ratio == 1.0 and rows["white"].below_four_fifths is False
    assert rows["black"].impact_ratio == pytest.approx(0.6) and rows["black"].below_four_fifths is True
    assert rows["asian"].impact_ratio == pytest.approx(0.5) and rows["asian"].below_four_fifths is True


def test_shortfall_is_the_selections_missing_to_reach_four_fifths(rows):
    # 0.8 x 0.5 = 0.4 needed: Black 0.4 x 30 = 12 needed, 9 had; Asian 0.4 x 4 = 1.6 -> 2 needed, 1 had.
    assert (rows["white"].shortfall, rows["black"].shortfall, rows["asian"].shortfall) == (0, 3, 1)


def test_large_cells_get_the_pooled_z_test(rows):
    # Expected counts 12.4, 17.6, 16.6, 23.4 are all >= 5. Pooled p = 29/70.
    pooled = 29 / 70
    z = (0.3 - 0.5) / math.sqrt(pooled * (1 - pooled) * (1 / 30 + 1 / 40))
    assert z == pytest.approx(-1.68104, abs=1e-5)
    assert rows["black"].test == "z-test"
    assert rows["black"].p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    assert rows["black"].p_value == pytest.approx(0.0928, abs=1e-4)
    assert rows["black"].significant is False


def test_small_cells_get_fishers_exact_test_with_a_warning(rows):
    # Table [[1, 3], [20, 20]]: expected passes among the 4 Asian applicants 4 x 21/44 = 1.9 < 5.
    # Hypergeometric over k passes of 4 from 21 passes in 44: 8855, 37191, 53130, 30590, 5985 (/ 135751);
    # two-sided p adds every outcome no likelier than the observed k = 1.
    p = Fraction(8855 + 37191 + 30590 + 5985, 135751)
    assert rows["asian"].test == "fisher"
    assert rows["asian"].p_value == pytest.approx(float(p))  # 0.6086
    assert any("Fisher" in w for w in rows["asian"].warnings)
    assert any("Fewer than 5" in w for w in rows["asian"].warnings)


def test_confidence_interval_of_the_impact_ratio(rows):
    # log interval with 0.5 added to every count
    x1, n1, x2, n2 = 9.5, 30.5, 20.5, 40.5
    ratio = (x1 / n1) / (x2 / n2)
    half = 1.959964 * math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
    assert (rows["black"].ci_low, rows["black"].ci_high) == (
        pytest.approx(ratio * math.exp(-half), rel=1e-5), pytest.approx(ratio * math.exp(half), rel=1e-5))
    assert rows["black"].ci_low == pytest.approx(0.3347, abs=1e-4)
    assert rows["black"].ci_high == pytest.approx(1.1314, abs=1e-4)
    assert rows["white"].ci_low is None  # the reference is not compared with itself


def test_a_category_nobody_was_in_is_listed_and_says_so(rows):
    empty = rows["native_american"]
    assert (empty.assessed, empty.rate, empty.impact_ratio) == (0, None, None)
    assert empty.warnings == ["Nobody in this category was assessed."]


def test_a_category_under_two_percent_is_kept_and_marked():
    rows, _ = stats.compare_categories({"white": (50, 100), "asian": (1, 1)}, RACES[:1] + RACES[2:3])
    asian = [r for r in rows if r.category == "asian"][0]
    assert asian.impact_ratio == 1.0  # 1 of 1 is the highest rate: it becomes the reference
    assert any("2%" in w for w in asian.warnings)


def test_when_nobody_passes_there_are_no_ratios():
    rows, reference = stats.compare_categories({"white": (0, 10), "black": (0, 12)}, RACES[:2])
    assert reference == "black"  # the tie goes to the larger group
    assert all(r.impact_ratio is None for r in rows)
    assert all(any("do not exist" in w for w in r.warnings) for r in rows)


def test_group_counts_come_from_fairlearn_per_group():
    counts = stats.group_counts({("a", True): 1, ("a", False): 1, ("b", True): 2, ("b", False): 1, ("c", True): 0})
    assert counts == {"a": (1, 2), "b": (2, 3)}
    assert stats.group_counts({("a", False): 3}) == {"a": (0, 3)}
    assert stats.group_counts({}) == {}


def test_exposure_parity_by_hand():
    # Group A shown at ranks 1 and 3: (1 + 0.5) / 2 = 0.75. Group B at rank 7: 1/log2(8) = 1/3.
    impressions = [(1, 1), (2, 7), (3, 3), (4, 2)]
    group = {1: "a", 2: "b", 3: "a", 4: None}
    table = exposure.exposure_table("x", "X", impressions, group.get, [("a", "A"), ("b", "B"), ("c", "C")])
    means = {g.category: g.mean_exposure for g in table.groups}
    assert means == {"a": pytest.approx(0.75), "b": pytest.approx(1 / 3), "c": None}
    assert table.ratio == pytest.approx((1 / 3) / 0.75)
    assert (table.lowest, table.highest, table.unknown) == ("b", "a", 1)
    assert any("Never shown: C" in w for w in table.warnings)
