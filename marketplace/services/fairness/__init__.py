"""Fair-selection analysis: the bias audit report of the selection funnel, from the audit log."""

from marketplace.services.fairness.export import to_csv, to_json
from marketplace.services.fairness.funnel import Period, PeriodError, opportunity_choices, parse_period
from marketplace.services.fairness.report import BiasReport, build_bias_report

__all__ = [
    "BiasReport", "Period", "PeriodError", "build_bias_report", "opportunity_choices", "parse_period", "to_csv",
    "to_json",
]
