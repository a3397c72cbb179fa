"""Shared pieces of the tables' pandera models (each table's own model is in its folder's
``checks.py``, a domain's shared ones in ``defs/<domain>/checks.py``; ``validation`` evaluates
them inside ClickHouse).

Fields declare types (NumPy dtypes standing for ClickHouse Float64 / UInt64 / UInt8), bounds and
allowed values; ``ROW_RULES`` are SQL conditions across columns that every row satisfies.
"""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

TOLERANCE = 1e-9  # relative, for Float64 sums that ClickHouse may add in another order
NON_NEGATIVE = {"ge": 0, "nullable": False}
SHARE = {"ge": 0, "le": 1 + TOLERANCE, "nullable": True}  # a ratio in 0..1, NULL if undefined
FLAG = {"isin": [0, 1]}


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


def at_most(small: str, large: str) -> str:
    """SQL: ``small <= large`` up to Float64 rounding."""
    return f"{small} <= {large} + {TOLERANCE!r} * greatest(abs({large}), 1)"


class TrafficColumns(pa.DataFrameModel):
    """The request counts and measures of the tables over production events of every status
    (health_hourly, load_minutely)."""

    model_provider_used: Series[str]
    resolved_model_requested: Series[str]
    event_type: Series[str]
    requests: Series[np.uint64] = pa.Field(gt=0)
    status_2xx: Series[np.uint64] = pa.Field(ge=0)
    status_429: Series[np.uint64] = pa.Field(ge=0)
    status_5xx: Series[np.uint64] = pa.Field(ge=0)
    errors: Series[np.uint64] = pa.Field(ge=0)  # status >= 400 or outside 100..599
    tokens_in: Series[np.uint64] = pa.Field(ge=0)
    tokens_out: Series[np.uint64] = pa.Field(ge=0)
    response_time_sum: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    total_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False


class ErrorColumns(pa.DataFrameModel):
    """What every table of production errors carries (errors_hourly, error_messages_daily)."""

    model_provider_used: Series[str]
    response_status: Series[np.uint32]
    error_response_code: Series[str]
    events: Series[np.uint64] = pa.Field(gt=0)
    total_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)  # charged for failed requests

    class Config:
        coerce = False
        strict = False
