"""Checks of demand_ranges: its pandera model, and its counts against demand_daily's days."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.defs.economics.checks import sampled_window_days
from pollen_pipeline.defs.economics.rules import LOOKBACK_DAYS, RANGE_WINDOWS, WINDOWS


class DemandRanges(pa.DataFrameModel):
    window_days: Series[np.uint8] = pa.Field(isin=[WINDOWS[name] for name in RANGE_WINDOWS])
    user_tier: Series[str]
    refused_users: Series[np.uint64] = pa.Field(ge=0)
    active_days: Series[np.uint64] = pa.Field(ge=1)

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "window_days", "user_tier"]


ROW_RULES = {"active_in_range": "active_days <= window_days"}


def refused_users_match_daily(ctx: CheckContext) -> Verdict:
    """On a sample of the run's as_of days, per as_of, range and tier: the refused users and
    the active days equal demand_daily's over the range's days, enumerated with ARRAY JOIN
    rather than fanned out or summed as the table's SELECTs do."""
    actual = (
        f"SELECT as_of, window_days, user_tier, refused_users, active_days FROM {ctx.qualified} "
        "WHERE as_of IN {days:Array(Date)}"
    )
    lengths = ", ".join(str(WINDOWS[name]) for name in RANGE_WINDOWS)
    expected = (
        "SELECT as_of, window_days, user_tier, uniqExactArray(refused_user_ids), uniqExact(day) "
        f"FROM {ctx.store.table('demand_daily')} "
        "ARRAY JOIN {days:Array(Date)} AS as_of "
        f"ARRAY JOIN [{lengths}] AS window_days "
        f"WHERE day >= {{first:Date}} - {LOOKBACK_DAYS - 1} AND day <= {{last:Date}} "
        "AND day BETWEEN as_of - window_days + 1 AND as_of "
        "GROUP BY as_of, window_days, user_tier"
    )
    return compare(ctx.store, actual, expected, sampled_window_days(ctx), keys=3)
