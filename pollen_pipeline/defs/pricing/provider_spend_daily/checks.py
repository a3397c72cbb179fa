"""Checks of provider_spend_daily: its pandera model, and its flags and costs against raw
events per day."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.checks import CheckContext, Verdict, sums_match_raw
from pollen_pipeline.schemas import FLAG, NON_NEGATIVE

# Column -> its aggregate over raw events: each flag's rows, so a flag set wrong shows.
RAW_COSTS = {
    "requests * is_success": f"countIf({contract.RAW_SUCCESS})",
    "requests * is_billed_usage": "countIf(is_billed_usage)",
    "provider_cost": "sum(total_cost)",
    "total_pollen * has_price": "sumIf(total_price, total_price > 0)",
    "provider_cost * has_cost": "sumIf(total_cost, total_cost > 0)",
}


class ProviderSpendDaily(pa.DataFrameModel):
    environment: Series[str]
    is_success: Series[np.uint8] = pa.Field(**FLAG)
    model_provider_used: Series[str]
    model_used: Series[str]
    selected_meter_slug: Series[str]
    is_billed_usage: Series[np.uint8] = pa.Field(**FLAG)
    has_price: Series[np.uint8] = pa.Field(**FLAG)
    has_cost: Series[np.uint8] = pa.Field(**FLAG)
    requests: Series[np.uint64] = pa.Field(gt=0)
    provider_cost: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    total_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = [
            "day",
            "environment",
            "is_success",
            "model_provider_used",
            "model_used",
            "selected_meter_slug",
            "is_billed_usage",
            "has_price",
            "has_cost",
        ]


ROW_RULES = {
    # priced and costed rows have a price and a cost; the others none
    "flags_match_sums": "(has_price = 1) = (total_pollen > 0) "
    "AND (has_cost = 1) = (provider_cost > 0)",
}


def costs_match_raw(ctx: CheckContext) -> Verdict:
    """Per day, 2xx and billed requests, provider cost and the priced and costed rows' sums
    equal raw events' of every environment and status."""
    return sums_match_raw(ctx, RAW_COSTS, "all")
