"""pandera models of the summary tables, validated on each materialized partition.

They see summary rows only (a partition of a summary table), never raw events.
"""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

# ClickHouse UInt64/UInt8/Float64 arrive as these NumPy dtypes; no coercion, so a type change
# in the SQL fails the check instead of being papered over.
NON_NEGATIVE = {"ge": 0, "nullable": False}


class EconomicsColumns(pa.DataFrameModel):
    """The money and volume columns every economics table carries."""

    pack_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    tier_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    other_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    total_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    provider_cost: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    requests: Series[np.uint64] = pa.Field(gt=0)
    tokens: Series[np.uint64] = pa.Field(ge=0)

    class Config:
        coerce = False
        strict = False


class UsageHourly(EconomicsColumns):
    resolved_model_requested: Series[str]
    user_tier: Series[str]
    api_key_type: Series[str]
    is_router: Series[np.uint8] = pa.Field(isin=[0, 1])
    users: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        unique = ["hour", "resolved_model_requested", "user_tier", "api_key_type", "is_router"]


class UserDaily(EconomicsColumns):
    user_id: Series[str]
    user_tier: Series[str]
    enduser_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    developer_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    models_used: Series[np.uint64] = pa.Field(gt=0)
    apps_used: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        unique = ["day", "user_id"]


class AppDaily(EconomicsColumns):
    api_key_id: Series[str]
    is_named_app: Series[np.uint8] = pa.Field(isin=[0, 1])
    referrer_domains: Series[np.uint64] = pa.Field(gt=0)
    models_used: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        unique = ["day", "api_key_id"]


class ModelDaily(EconomicsColumns):
    resolved_model_requested: Series[str]
    model_provider_used: Series[str]
    users: Series[np.uint64] = pa.Field(gt=0)

    class Config:
        unique = ["day", "resolved_model_requested", "user_tier", "api_key_type"]


class DataQualityDaily(pa.DataFrameModel):
    raw_events: Series[np.uint64] = pa.Field(gt=0)
    raw_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    production_events: Series[np.uint64] = pa.Field(ge=0)
    passed_events: Series[np.uint64] = pa.Field(ge=0)
    passed_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    economics_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    other_meter_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        unique = ["day"]

    @pa.dataframe_check
    def filters_do_not_exceed_raw(cls, frame):  # noqa: N805 - pandera passes the class
        removed = frame.non_2xx_events + frame.zero_price_events + frame.bug_window_events
        non_production = frame.raw_events - frame.production_events
        return removed + non_production + frame.passed_events == frame.raw_events
