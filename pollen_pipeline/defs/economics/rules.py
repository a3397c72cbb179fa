"""The economics rules of the ``as_of`` tables: rolling windows, thresholds, cohorts.

These tables describe one UTC day ``as_of`` = D from the core daily summaries. Windows are
anchored at midnight UTC and include D: 1d = D, 7d = D-6..D, 30d = D-29..D, 90d = D-89..D.
Thresholds follow the seed plan and the domain reference (momentum only above 10 Pollen of
pack in 30 days). The contract (``contract.py``) decides which events count; this module
decides how the counted Pollen is windowed and ranked.

``fragments()`` fills the ``$name`` placeholders of this domain's ``select.sql`` and
``table.sql`` files (``table_sql``); a rule of one table only lives in that table's folder
(``rules.py``). Thresholds are code constants written as literals, like the contract's labels:
only the contract's and the window's values are bound parameters.
"""

from __future__ import annotations

from pollen_pipeline import contract

WINDOWS = {"1d": 1, "7d": 7, "30d": 30, "90d": 90}
LOOKBACK_DAYS = max(WINDOWS.values())
# Windowed sums every *_windows table carries: column prefix -> daily column summed (a meter
# column of the contract, whose type the windowed column keeps).
MEASURES = {
    "pack": "pack_pollen",
    "tier": "tier_pollen",
    "total": "total_pollen",
    "requests": "requests",
}
ACTIVE_DAYS_WINDOWS = ("7d", "30d", "90d")
# Ranges the ranking panels read from one as_of of a *_ranges table (one row per entity and
# window, ``window_days``) instead of 7-90 partitions of a daily table; 1 day is one partition.
RANGE_WINDOWS = ("7d", "30d", "90d")
# What a *_ranges table sums per window: every meter column of the contract (same types).
RANGE_SUMS = tuple(name for name, _, _ in contract.METER_COLUMNS)

MOMENTUM_MIN_PACK_30D = 10.0  # seed panel 9: below this, pack_7d / pack_30d is ratio noise
# Developer scatter (seed panel 7): developers with at least this much pack + tier Pollen in the
# range, as the team's economics dashboard draws it (other meters do not count toward it).
SCATTER_MIN_PACK_TIER_POLLEN = 10.0
CONVERSION_DAYS = (7, 30)  # converted_7d, converted_30d (user_cohort, cohort_conversion_daily)

_START = "toDate({start:DateTime('UTC')})"
_END = "toDate({end:DateTime('UTC')})"


def in_window(name: str, day: str = "day", as_of: str = "as_of") -> str:
    """SQL condition: ``day`` lies in window ``name`` ending at ``as_of`` (both Dates)."""
    return f"{day} > {as_of} - {WINDOWS[name]} AND {day} <= {as_of}"


def window_columns() -> list[tuple[str, str]]:
    """The windowed columns of every *_windows table and their types, in table order."""
    types = {name: type_ for name, type_, _ in contract.METER_COLUMNS}
    sums = [
        (f"{prefix}_{name}", types[column])
        for prefix, column in MEASURES.items()
        for name in WINDOWS
    ]
    return sums + [(f"active_days_{name}", "UInt64") for name in ACTIVE_DAYS_WINDOWS]


def window_column_names() -> list[str]:
    return [name for name, _ in window_columns()]


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


def per_range(aggregate: str) -> str:
    """``[aggregate over 7d, 30d, 90d]``: ``aggregate`` holds ``{window}`` for the condition."""
    return f"[{', '.join(aggregate.format(window=in_window(name)) for name in RANGE_WINDOWS)}]"


def joined_per_range(name: str) -> str:
    """``{name}_per_range`` (joined per entity: empty when the entity has no rows there, which
    counts 0 as the panels' LEFT JOIN does) as one value per range, for ``ARRAY JOIN``."""
    return f"arrayResize({name}_per_range, length(total_pollen_per_range), 0) AS {name}"


def _range_arrays() -> str:
    """Per entity, one array per ranged column (its value per window), for ``$range_join``."""
    arrays = [
        f"{per_range(f'sumIf({name}, {{window}})')} AS {name}_per_range" for name in RANGE_SUMS
    ]
    arrays.append(f"{per_range('uniqExactIf(day, {window})')} AS active_days_per_range")
    return ",\n        ".join(arrays)


def _range_join() -> str:
    """``ARRAY JOIN`` of :func:`_range_arrays`: one row per window, ``window_days`` long."""
    lengths = ", ".join(str(WINDOWS[name]) for name in RANGE_WINDOWS)
    columns = [f"{name}_per_range AS {name}" for name in RANGE_SUMS]
    columns.append("active_days_per_range AS active_days")
    return f"ARRAY JOIN [{lengths}] AS window_days,\n    " + ",\n    ".join(columns)


def _conversion_flags() -> str:
    # "not earlier than the first tier event": a pack before it, even the same day, never counts.
    return ",\n    ".join(
        f"toUInt8(ifNull(first_pack >= first_tier AND days_to_pack <= {days}, 0)) "
        f"AS converted_{days}d"
        for days in CONVERSION_DAYS
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

MOMENTUM = "pack_7d / nullIf(pack_30d, 0)"
PAID_SHARE_30D = "pack_30d / nullIf(pack_30d + tier_30d, 0)"
QUALIFIES = f"toUInt8(pack_30d > {MOMENTUM_MIN_PACK_30D!r})"


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
        "window_column_definitions": contract.column_definitions(window_columns()),
        "momentum": MOMENTUM,
        "paid_share_30d": PAID_SHARE_30D,
        "qualifies": QUALIFIES,
        "conversion_flags": _conversion_flags(),
        "range_arrays": _range_arrays(),
        "range_join": _range_join(),
        "summed_range_columns": ",\n    ".join(f"sum({name}) AS {name}" for name in RANGE_SUMS),
        "range_columns": ",\n    ".join([*RANGE_SUMS, "active_days"]),
        "range_column_definitions": contract.column_definitions(
            [(name, type_) for name, type_, _ in contract.METER_COLUMNS]
            + [("active_days", "UInt64")]
        ),
        # the most models an app or developer used on one day of each range
        "models_max_per_range": per_range("maxIf(models_used, {window})"),
    }
