"""The bias report as JSON (every figure and definition) and as CSV (one row per category)."""

from __future__ import annotations

import csv
import io
import json

from marketplace.services.fairness.report import BiasReport, as_dict

CSV_COLUMNS = [
    "section", "stage", "dimension", "category", "label", "assessed", "passed", "rate", "impact_ratio",
    "below_four_fifths", "test", "p_value", "significant", "ci_low", "ci_high", "shortfall",
    "mean_exposure", "exposure_parity", "warnings",
]


def to_json(report: BiasReport) -> str:
    """Indented JSON with the definitions of every figure."""
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"


def to_csv(report: BiasReport) -> str:
    """One row per stage, dimension and category (unknowns included), then the exposure rows."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for stage in report.stages:
        for breakdown in stage.breakdowns:
            for row in breakdown.rows:
                writer.writerow({
                    "section": "funnel", "stage": stage.key, "dimension": breakdown.dimension,
                    "category": row.category, "label": row.label, "assessed": row.assessed, "passed": row.passed,
                    "rate": _number(row.rate), "impact_ratio": _number(row.impact_ratio),
                    "below_four_fifths": _flag(row.below_four_fifths), "test": row.test or "",
                    "p_value": _number(row.p_value), "significant": _flag(row.significant),
                    "ci_low": _number(row.ci_low), "ci_high": _number(row.ci_high),
                    "shortfall": "" if row.shortfall is None else row.shortfall,
                    "warnings": " ".join(row.warnings),
                })
            writer.writerow({
                "section": "funnel", "stage": stage.key, "dimension": breakdown.dimension, "category": "unknown",
                "label": "Unknown (preferred not to say or did not answer)", "assessed": breakdown.unknown,
                "warnings": f"{breakdown.unknown_declined} preferred not to say, "
                            f"{breakdown.unknown_unanswered} did not answer; left out of rates and ratios.",
            })
    for table in report.exposure:
        for group in table.groups:
            writer.writerow({
                "section": "exposure", "dimension": table.dimension, "category": group.category,
                "label": group.label, "assessed": group.impressions, "mean_exposure": _number(group.mean_exposure),
                "exposure_parity": _number(table.ratio),
            })
        writer.writerow({"section": "exposure", "dimension": table.dimension, "category": "unknown",
                         "label": "Unknown", "assessed": table.unknown, "warnings": " ".join(table.warnings)})
    return out.getvalue()


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def _flag(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")
