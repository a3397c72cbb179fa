"""Checks of oncall_minutely: its pandera model, and every additive measure against raw events
per minute (the standard reconciliation compares requests and Pollen per hour)."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.checks import CheckContext, Verdict, sums_match_raw
from pollen_pipeline.schemas import NON_NEGATIVE

# Column -> its aggregate over raw events.
RAW_MEASURES = {
    "requests": "count()",
    "cache_hits": "countIf(cache_hit)",
    "tokens_in": f"sum({contract.RAW_TOKENS_IN})",
    "tokens_out": f"sum({contract.RAW_TOKENS_OUT})",
    "timed_requests": "countIf(end_time > start_time)",
    "duration_ms_sum": "sumIf(toUInt64(date_diff('millisecond', start_time, end_time)), "
    "end_time > start_time)",
    "provider_cost": "sum(total_cost)",
    "total_pollen": "sum(total_price)",
}


class OncallMinutely(pa.DataFrameModel):
    environment: Series[str]
    event_type: Series[str]
    response_status: Series[np.uint32]
    model_provider_used: Series[str]
    model_used: Series[str]
    resolved_model_requested: Series[str]
    requests: Series[np.uint64] = pa.Field(gt=0)
    cache_hits: Series[np.uint64] = pa.Field(ge=0)
    tokens_in: Series[np.uint64] = pa.Field(ge=0)
    tokens_out: Series[np.uint64] = pa.Field(ge=0)
    timed_requests: Series[np.uint64] = pa.Field(ge=0)
    duration_ms_sum: Series[np.uint64] = pa.Field(ge=0)
    provider_cost: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    total_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = [
            "minute",
            "environment",
            "event_type",
            "response_status",
            "model_provider_used",
            "model_used",
            "resolved_model_requested",
        ]


ROW_RULES = {
    # a row's cache hits and timed requests are among its requests, inside its own minute
    "counts_within_requests": "cache_hits <= requests AND timed_requests <= requests",
    "starts_within_the_minute": "minute <= first_start AND first_start <= last_start "
    "AND last_start < minute + INTERVAL 1 MINUTE",
}


def measures_match_raw(ctx: CheckContext) -> Verdict:
    """Per minute, every additive measure equals its aggregate over raw events of every
    environment and status."""
    return sums_match_raw(ctx, RAW_MEASURES, "all")
