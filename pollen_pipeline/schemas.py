"""Shared pieces of the tables' pandera models (each table's own model is in its folder's
``checks.py``; ``validation`` evaluates them inside ClickHouse).

Fields declare types (NumPy dtypes standing for ClickHouse Float64 / UInt64 / UInt8), bounds and
allowed values; ``ROW_RULES`` are SQL conditions across columns that every row satisfies.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline import windows

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


def _window_rules() -> dict[str, str]:
    """1d <= 7d <= 30d <= 90d for every windowed sum; active days fit in their window."""
    names = list(windows.WINDOWS)
    nested = [
        at_most(f"{prefix}_{short}", f"{prefix}_{long}")
        for prefix in windows.MEASURES
        for short, long in itertools.pairwise(names)
    ]
    days = [
        f"active_days_{name} <= {windows.WINDOWS[name]}" for name in windows.ACTIVE_DAYS_WINDOWS
    ]
    active = "requests_90d > 0 AND active_days_90d > 0"
    return {"windows_nest": " AND ".join([*nested, *days, active])}


# The rows of every *_windows table satisfy these (their checks.py add their own).
WINDOW_RULES = _window_rules()


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


class WindowColumns(pa.DataFrameModel):
    """The windowed columns every *_windows table carries."""

    pollen: Series[np.float64] = pa.Field(
        alias=r"^(pack|tier|total)_\d+d$", regex=True, **NON_NEGATIVE
    )
    windowed_requests: Series[np.uint64] = pa.Field(alias=r"^requests_\d+d$", regex=True)
    active_days: Series[np.uint64] = pa.Field(alias=r"^active_days_\d+d$", regex=True)
    momentum: Series[np.float64] = pa.Field(**SHARE)

    class Config:
        coerce = False
        strict = False
