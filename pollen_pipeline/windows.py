"""The economics rules of the ``as_of`` tables: rolling windows, thresholds, cohorts, segments.

These tables describe one UTC day ``as_of`` = D from the core daily summaries. Windows are
anchored at midnight UTC and include D: 1d = D, 7d = D-6..D, 30d = D-29..D, 90d = D-89..D.
Thresholds follow the seed plan and the domain reference (momentum only above 10 Pollen of
pack in 30 days). The contract (``contract.py``) decides which events count; this module
decides how the counted Pollen is windowed and ranked.

The SQL fragments below fill ``$name`` placeholders of the tables' ``select.sql`` (see
``catalog.render``). Thresholds are code constants written as literals, like the contract's
labels: only the contract's and the window's values are bound parameters.
"""

from __future__ import annotations

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days

WINDOWS = {"1d": 1, "7d": 7, "30d": 30, "90d": 90}
LOOKBACK_DAYS = max(WINDOWS.values())
# Windowed sums every *_windows table carries: column prefix -> daily column summed.
MEASURES = {
    "pack": "pack_pollen",
    "tier": "tier_pollen",
    "total": "total_pollen",
    "requests": "requests",
}
ACTIVE_DAYS_WINDOWS = ("7d", "30d", "90d")

MOMENTUM_MIN_PACK_30D = 10.0  # seed panel 9: below this, pack_7d / pack_30d is ratio noise
# Developer scatter (seed panel 7): developers with at least this much pack + tier Pollen in the
# range, as the team's economics dashboard draws it (other meters do not count toward it).
SCATTER_MIN_PACK_TIER_POLLEN = 10.0
CONVERSION_DAYS = (7, 30)  # converted_7d, converted_30d
SPIKE_MIN_RATIO_30D = 2.0  # a day at least twice the 30-day daily average
SPIKE_MIN_POLLEN_1D = 1.0  # about 1 USD: tiny entities doubling is not news
# Implicit tiers: users ranked by 30-day total Pollen; a user whose share of users ranked above
# them is below the cut-off falls in that segment.
SEGMENTS = (("top_5", 0.05), ("next_15", 0.20), ("middle_60", 0.80), ("bottom_20", 1.0))
SEGMENT_LABELS = tuple(label for label, _ in SEGMENTS)
QUANTILES = {"p10": 0.10, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p90": 0.90}

_START = "toDate({start:DateTime('UTC')})"
_END = "toDate({end:DateTime('UTC')})"


def in_window(name: str, day: str = "day", as_of: str = "as_of") -> str:
    """SQL condition: ``day`` lies in window ``name`` ending at ``as_of`` (both Dates)."""
    return f"{day} > {as_of} - {WINDOWS[name]} AND {day} <= {as_of}"


def window_column_names() -> list[str]:
    """The windowed columns of every *_windows table, in table order."""
    sums = [f"{prefix}_{name}" for prefix in MEASURES for name in WINDOWS]
    return sums + [f"active_days_{name}" for name in ACTIVE_DAYS_WINDOWS]


def _window_sums() -> str:
    sums = [
        f"sumIf({column}, {in_window(name)}) AS {prefix}_{name}"
        for prefix, column in MEASURES.items()
        for name in WINDOWS
    ]
    days = [
        f"uniqExactIf(day, {in_window(name)}) AS active_days_{name}" for name in ACTIVE_DAYS_WINDOWS
    ]
    return ",\n        ".join(sums + days)


def _conversion_flags() -> str:
    # "not earlier than the first tier event": a pack before it, even the same day, never counts.
    return ",\n    ".join(
        f"toUInt8(ifNull(first_pack >= first_tier AND days_to_pack <= {days}, 0)) "
        f"AS converted_{days}d"
        for days in CONVERSION_DAYS
    )


def _segment() -> str:
    cases = [f"(pollen_rank - 1) / ranked_users < {cut!r}, '{label}'" for label, cut in SEGMENTS]
    return f"multiIf({', '.join(cases[:-1])}, '{SEGMENTS[-1][0]}')"


def _quantiles() -> str:
    levels = ", ".join(repr(level) for level in QUANTILES.values())
    return f"quantilesExactInclusive({levels})(paid_share_30d)"


def _quantile_columns() -> str:
    # quantiles of no values are NaN; say NULL instead, as every other undefined ratio does
    return ",\n    ".join(
        f"if(users_with_share > 0, shares[{n}], NULL) AS paid_share_{name}"
        for n, name in enumerate(QUANTILES, start=1)
    )


# A run's as_of days are [start, end). Daily rows a window table reads: the 89 days before the
# first as_of, then the run's days, so a 90-day window costs 90 days of a daily table.
AS_OF_IN_RUN = f"as_of >= {_START} AND as_of < {_END}"
LOOKBACK_ROWS = f"day >= {_START} - {LOOKBACK_DAYS - 1} AND day < {_END}"
# Each daily row fans out to every as_of of the run whose 90-day window holds it, so days with
# no traffic at all still get their windows from the days before.
AS_OF_FANOUT = (
    f"arrayJoin(arrayFilter(d -> d >= {_START} AND d < {_END}, "
    f"arrayMap(i -> day + i, range({LOOKBACK_DAYS}))))"
)
# For all-time tables (the cohort): rows before the run collapse onto its first day, then fan
# out to each as_of of the run on or after their day.
RUN_START_DAY = f"greatest(day, {_START})"
AS_OF_FANOUT_ALL_TIME = (
    f"arrayJoin(arrayMap(i -> from_day + i, range(toUInt32(dateDiff('day', from_day, {_END})))))"
)

# A developer's portfolio over each window: distinct ids of user_daily's sorted id arrays.
PORTFOLIO = {
    "apps": "named_app_ids",  # named keys: the developer's apps
    "secret_keys": "secret_key_ids",
    "publishable_keys": "publishable_key_ids",
    "temporary_keys": "temporary_key_ids",
    "models": "model_names",
}


def portfolio_column_names() -> list[str]:
    return [f"{name}_{window}" for name in PORTFOLIO for window in WINDOWS]


def _portfolio_counts() -> str:
    return ",\n        ".join(
        f"uniqExactArrayIf({array}, {in_window(window)}) AS {name}_{window}"
        for name, array in PORTFOLIO.items()
        for window in WINDOWS
    )


MOMENTUM = "pack_7d / nullIf(pack_30d, 0)"
PAID_SHARE_30D = "pack_30d / nullIf(pack_30d + tier_30d, 0)"
QUALIFIES = f"toUInt8(pack_30d > {MOMENTUM_MIN_PACK_30D!r})"
IS_SPIKE = (
    f"toUInt8(ifNull(ratio_30d >= {SPIKE_MIN_RATIO_30D!r}, 0) "
    f"AND pollen_1d >= {SPIKE_MIN_POLLEN_1D!r})"
)


def fragments() -> dict[str, str]:
    """Named fragments for the ``$name`` placeholders of the economics SQL files."""
    return {
        "as_of_in_run": AS_OF_IN_RUN,
        "lookback_rows": LOOKBACK_ROWS,
        "as_of_fanout": AS_OF_FANOUT,
        "run_start_day": RUN_START_DAY,
        "as_of_fanout_all_time": AS_OF_FANOUT_ALL_TIME,
        "window_sums": _window_sums(),
        **{f"in_{name}": in_window(name) for name in WINDOWS},
        "window_columns": ",\n    ".join(window_column_names()),
        "portfolio_counts": _portfolio_counts(),
        "portfolio_columns": ",\n    ".join(portfolio_column_names()),
        "momentum": MOMENTUM,
        "paid_share_30d": PAID_SHARE_30D,
        "qualifies": QUALIFIES,
        "conversion_flags": _conversion_flags(),
        "segment": _segment(),
        "is_spike": IS_SPIKE,
        "paid_share_quantiles": _quantiles(),
        "paid_share_quantile_columns": _quantile_columns(),
    }


# --- The check every *_windows table declares ------------------------------------------------


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


def windows_match_daily(ctx: CheckContext, daily: str, key: str) -> Verdict:
    """Per as_of: one row per ``key`` active in 90 days, and every windowed sum equals the sum
    of the ``daily`` table over that window (e.g. pack_30d = 30 days of pack_pollen)."""
    sums = [f"sum({prefix}_{name})" for prefix in MEASURES for name in WINDOWS]
    actual = (
        f"SELECT as_of, count(), {', '.join(sums)} FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} GROUP BY as_of"
    )
    expected = _recomputed_windows(ctx.store.table(daily), key)
    return compare(ctx.store, actual, expected, window_days(ctx))


def developers_with_pollen(ctx: CheckContext, group: str) -> str:
    """SQL: per ``group`` (as_of, and maybe the tier), developers with 30-day Pollen in
    user_windows and their Pollen: what segments and the tier overlay must add up to."""
    return (
        f"SELECT {group}, count(), sum(total_30d), sum(pack_30d), sum(tier_30d) "
        f"FROM {ctx.store.table('user_windows')} WHERE {ctx.in_window} AND total_30d > 0 "
        f"GROUP BY {group}"
    )
