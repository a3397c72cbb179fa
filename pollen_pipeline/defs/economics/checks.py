"""Checks and schema pieces every *_windows table of the economics domain shares."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.defs.economics.rules import (
    ACTIVE_DAYS_WINDOWS,
    LOOKBACK_DAYS,
    MEASURES,
    RANGE_SUMS,
    RANGE_WINDOWS,
    WINDOWS,
)
from pollen_pipeline.schemas import NON_NEGATIVE, SHARE, at_most


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


def _window_rules() -> dict[str, str]:
    """1d <= 7d <= 30d <= 90d for every windowed sum; active days fit in their window."""
    names = list(WINDOWS)
    nested = [
        at_most(f"{prefix}_{short}", f"{prefix}_{long}")
        for prefix in MEASURES
        for short, long in itertools.pairwise(names)
    ]
    days = [f"active_days_{name} <= {WINDOWS[name]}" for name in ACTIVE_DAYS_WINDOWS]
    active = "requests_90d > 0 AND active_days_90d > 0"
    return {"windows_nest": " AND ".join([*nested, *days, active])}


# The rows of every *_windows table satisfy these (their checks.py add their own).
WINDOW_RULES = _window_rules()


class RangeColumns(pa.DataFrameModel):
    """The ranged columns every *_ranges table carries."""

    window_days: Series[np.uint8] = pa.Field(isin=[WINDOWS[name] for name in RANGE_WINDOWS])
    pollen: Series[np.float64] = pa.Field(
        alias=r"^(pack|tier|total)_pollen$", regex=True, **NON_NEGATIVE
    )
    active_days: Series[np.uint64] = pa.Field(ge=1)

    class Config:
        coerce = False
        strict = False


# A row is of a range its entity was active in, and its latest day is in that range.
RANGE_ROWS = {
    "active_in_range": "active_days <= window_days AND last_day > as_of - window_days "
    "AND last_day <= as_of"
}


# The recomputation costs the daily rows of 90 days per as_of day it checks, as much as the
# fan-out it stands beside: a long run checks a sample of its days, so that the check does not
# cost more than the table (every day of a run comes from the same SQL, so a sample catches a
# wrong formula; the first and last days catch a wrong edge).
SAMPLED_DAYS = 5


def _recomputed_windows(daily: str, key: str) -> str:
    """Per as_of: distinct keys over 90 days and every windowed sum, recomputed with the window
    days enumerated (ARRAY JOIN of the as_of days, BETWEEN), not fanned out as the tables do."""
    sums = [
        f"sumIf({column}, day BETWEEN as_of - {length - 1} AND as_of)"
        for column in MEASURES.values()
        for length in WINDOWS.values()
    ]
    return (
        f"SELECT as_of, uniqExact({key}), {', '.join(sums)} FROM {daily} "
        "ARRAY JOIN {days:Array(Date)} AS as_of "
        f"WHERE day >= {{first:Date}} - {LOOKBACK_DAYS - 1} AND day <= {{last:Date}} "
        f"AND day BETWEEN as_of - {LOOKBACK_DAYS - 1} AND as_of GROUP BY as_of"
    )


def sampled_days(days: list[dt.date], count: int = SAMPLED_DAYS) -> list[dt.date]:
    """At most ``count`` of ``days``, evenly spread, always the first and the last (where a
    run's windows begin from days before it, and where they stop)."""
    if len(days) <= count:
        return days
    step = (len(days) - 1) / (count - 1)
    return [days[round(i * step)] for i in range(count)]


def sampled_window_days(ctx: CheckContext) -> dict[str, Any]:
    """The window's params with the sampled as_of ``days``, the ``first`` and the ``last``."""
    days = sampled_days(ctx.window.days())
    return {**ctx.params(), "days": days, "first": days[0], "last": days[-1]}


def windows_match_daily(ctx: CheckContext, daily: str, key: str) -> Verdict:
    """On a sample of the run's as_of days: one row per ``key`` active in 90 days, and every
    windowed sum equals the sum of the ``daily`` table over that window (e.g. pack_30d = 30
    days of pack_pollen)."""
    sums = [f"sum({prefix}_{name})" for prefix in MEASURES for name in WINDOWS]
    actual = (
        f"SELECT as_of, count(), {', '.join(sums)} FROM {ctx.qualified} "
        "WHERE as_of IN {days:Array(Date)} GROUP BY as_of"
    )
    expected = _recomputed_windows(ctx.store.table(daily), key)
    return compare(ctx.store, actual, expected, sampled_window_days(ctx))


def developers_with_pollen(ctx: CheckContext, group: str) -> str:
    """SQL: per ``group`` (as_of, and maybe the tier), developers with 30-day Pollen in
    user_windows and their Pollen: what segments and the tier overlay must add up to."""
    return (
        f"SELECT {group}, count(), sum(total_30d), sum(pack_30d), sum(tier_30d) "
        f"FROM {ctx.store.table('user_windows')} WHERE {ctx.in_window} AND total_30d > 0 "
        f"GROUP BY {group}"
    )


def ranges_match_daily(
    ctx: CheckContext,
    daily: str,
    key: str,
    rows: str = "1",
    counted: str = "sum(active_days)",
    recounted: str = "count()",
    daily_key: str | None = None,
) -> Verdict:
    """On a sample of the run's as_of days (as ``windows_match_daily``), per as_of and range:
    the distinct ``key``s, every ranged sum and ``counted`` (by default the active days:
    ``daily``'s rows, one per key and day) equal ``daily``'s ``rows`` over the range's days
    (``recounted``), enumerated with ARRAY JOIN rather than fanned out as the *_ranges tables
    are. ``daily_key``: the key's expression over ``daily`` when it is not a column there."""
    measures = ", ".join(f"sum({name})" for name in RANGE_SUMS)
    actual = (
        f"SELECT as_of, window_days, uniqExact({key}), {measures}, {counted} "
        f"FROM {ctx.qualified} WHERE as_of IN {{days:Array(Date)}} GROUP BY as_of, window_days"
    )
    lengths = ", ".join(str(WINDOWS[name]) for name in RANGE_WINDOWS)
    expected = (
        f"SELECT as_of, window_days, uniqExact({daily_key or key}), {measures}, {recounted} "
        f"FROM {ctx.store.table(daily)} "
        "ARRAY JOIN {days:Array(Date)} AS as_of "
        f"ARRAY JOIN [{lengths}] AS window_days "
        f"WHERE day >= {{first:Date}} - {LOOKBACK_DAYS - 1} AND day <= {{last:Date}} "
        f"AND day BETWEEN as_of - window_days + 1 AND as_of AND {rows} "
        "GROUP BY as_of, window_days"
    )
    return compare(ctx.store, actual, expected, sampled_window_days(ctx), keys=2)
