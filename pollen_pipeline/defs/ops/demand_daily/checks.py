"""Checks of demand_daily: its pandera model, and its outcomes against raw events per day."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.checks import CheckContext, Verdict, sums_match_raw
from pollen_pipeline.schemas import NON_NEGATIVE

# Column -> its aggregate over raw events.
RAW_OUTCOMES = {
    "served": f"countIf({contract.RAW_SUCCESS})",
    "refused_402": f"countIf({contract.RAW_REFUSED_FOR_BALANCE})",
    "insufficient_balance_messages": f"countIf({contract.RAW_INSUFFICIENT_BALANCE_MESSAGE})",
    "rate_limited_429": f"countIf({contract.STATUS_CLASSES['status_429']})",
}


class DemandDaily(pa.DataFrameModel):
    user_tier: Series[str]
    resolved_model_requested: Series[str]
    requests: Series[np.uint64] = pa.Field(gt=0)
    served: Series[np.uint64] = pa.Field(ge=0)
    refused_402: Series[np.uint64] = pa.Field(ge=0)
    insufficient_balance_messages: Series[np.uint64] = pa.Field(ge=0)
    rate_limited_429: Series[np.uint64] = pa.Field(ge=0)
    total_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = ["day", "user_tier", "resolved_model_requested"]


ROW_RULES = {
    "outcomes_within_requests": "served + refused_402 + rate_limited_429 <= requests "
    "AND insufficient_balance_messages <= requests",
    # a refused request has a user; a user refused was refused at least once
    "refused_users_within_refusals": "length(refused_user_ids) <= refused_402 "
    "AND (refused_402 = 0) = empty(refused_user_ids)",
}


def outcomes_match_raw(ctx: CheckContext) -> Verdict:
    """Per day, every outcome count equals its count over raw production events."""
    return sums_match_raw(ctx, RAW_OUTCOMES, "production")
