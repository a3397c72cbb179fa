"""Checks of load_minutely: its pandera model, and every measure against raw events per minute
(the standard reconciliation compares requests and Pollen per hour)."""

from __future__ import annotations

from pollen_pipeline import contract
from pollen_pipeline.checks import CheckContext, Verdict, sums_match_raw
from pollen_pipeline.schemas import TrafficColumns

# Column -> its aggregate over raw events.
RAW_MEASURES = {
    "requests": "count()",
    "status_2xx": f"countIf({contract.STATUS_CLASSES['status_2xx']})",
    "errors": f"countIf({contract.RAW_ERROR_STATUS})",
    "status_5xx": f"countIf({contract.STATUS_CLASSES['status_5xx']})",
    "status_429": f"countIf({contract.STATUS_CLASSES['status_429']})",
    "tokens_in": f"sum({contract.RAW_TOKENS_IN})",
    "tokens_out": f"sum({contract.RAW_TOKENS_OUT})",
    "response_time_sum": "sum(toFloat64(response_time))",
    "total_pollen": "sum(total_price)",
}


class LoadMinutely(TrafficColumns):
    class Config:
        unique = ["minute", "event_type", "model_provider_used", "resolved_model_requested"]


ROW_RULES = {
    # 5xx and 429 are errors; 2xx are not
    "classes_within_requests": "status_2xx + errors <= requests "
    "AND status_5xx + status_429 <= errors",
}


def measures_match_raw(ctx: CheckContext) -> Verdict:
    """Per minute, every measure equals its aggregate over raw production events."""
    return sums_match_raw(ctx, RAW_MEASURES, "production")
