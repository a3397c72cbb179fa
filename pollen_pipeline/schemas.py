"""Shared pieces of the tables' pandera models (each table's own model is in its folder's
``checks.py``).

Models see one materialized window of summary rows, never raw events. ClickHouse UInt64 /
UInt8 / Float64 arrive as these NumPy dtypes; no coercion, so a type change in the SQL fails
the check instead of being papered over.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
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


def at_most(small: pd.Series, large: pd.Series) -> pd.Series:
    """``small <= large`` up to Float64 rounding."""
    return small <= large + TOLERANCE * large.abs().clip(lower=1)


def _windows_nest(frame: pd.DataFrame) -> pd.Series:
    """1d <= 7d <= 30d <= 90d for every windowed sum; active days fit in their window."""
    ok = pd.Series(True, index=frame.index)
    names = list(windows.WINDOWS)
    for prefix in windows.MEASURES:
        for short, long in itertools.pairwise(names):
            ok &= at_most(frame[f"{prefix}_{short}"], frame[f"{prefix}_{long}"])
    for name in windows.ACTIVE_DAYS_WINDOWS:
        ok &= frame[f"active_days_{name}"] <= windows.WINDOWS[name]
    return ok & (frame.requests_90d > 0) & (frame.active_days_90d > 0)


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

    @pa.dataframe_check
    def windows_nest(cls, frame: pd.DataFrame) -> pd.Series:  # noqa: N805 - pandera's class
        return _windows_nest(frame)


def utc(moments: pd.Series) -> pd.Series:
    """Naive UTC times: clickhouse-connect may hand DateTime('UTC') over in the host's zone."""
    moments = pd.to_datetime(moments)
    return moments.dt.tz_convert("UTC").dt.tz_localize(None) if moments.dt.tz else moments


def utc_days(moments: pd.Series) -> pd.Series:
    return utc(moments).dt.normalize()
