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

from collections.abc import Mapping
from dataclasses import dataclass, field

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
        "window_columns": ",\n    ".join(window_column_names()),
        "window_column_definitions": contract.column_definitions(window_columns()),
        "momentum": MOMENTUM,
        "paid_share_30d": PAID_SHARE_30D,
        "qualifies": QUALIFIES,
        "conversion_flags": _conversion_flags(),
        "summed_range_columns": ",\n    ".join(f"sum({name}) AS {name}" for name in RANGE_SUMS),
        "range_columns": ",\n    ".join([*RANGE_SUMS, "active_days"]),
        "range_column_definitions": contract.column_definitions(
            [(name, type_) for name, type_, _ in contract.METER_COLUMNS]
            + [("active_days", "UInt64")]
        ),
    }


# --- One entity's windows per as_of, by either method ---------------------------------------
#
# A *_windows or *_ranges table declares what it aggregates per entity (``Windowed``); both
# SELECTs of its windows are generated from that declaration, so they cannot disagree on a
# column. Both read ``entity.source``: a CTE of the table's select.sql holding the daily rows of
# LOOKBACK_ROWS.
#
# - fan-out (short runs): each daily row is copied to every as_of of the run whose 90-day window
#   holds it, then aggregated per as_of. Cost: daily rows x as_of days.
# - running sums (long runs): each daily row enters its N-day windows on its day and leaves
#   them N days later; a running sum per entity over those change days gives every window on
#   every as_of. Cost: daily rows x (1 + number of windows), whatever the run's length.

# Float64 sums run as Decimal: a running sum that adds then subtracts floats is off by rounding
# (and a window holding only zeros would read 1e-17, not 0: momentum not NULL). 18 decimals keep
# a Float64 of a Pollen price to far better than 1e-9, and 10^20 Pollen of headroom.
_EXACT = {"Float64": "toDecimal128({}, 18)", "UInt64": "toInt64({})"}
_METER_TYPES = {name: type_ for name, type_, _ in contract.METER_COLUMNS}


@dataclass(frozen=True)
class Windowed:
    """What a *_windows or *_ranges table computes per entity and as_of from daily rows."""

    key: str  # the entity's column, or columns ("a, b")
    # alias -> daily column: its value on the latest day in the 90-day window (argMax by day)
    latest: Mapping[str, str] = field(default_factory=dict)
    # column prefix -> daily column summed over each window (a meter column of the contract)
    measures: Mapping[str, str] = field(default_factory=lambda: MEASURES)
    # alias -> (Float64 daily column, window): sums besides the measures x windows columns
    sums: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # column prefix -> daily Array column: distinct ids of the arrays over each window
    id_arrays: Mapping[str, str] = field(default_factory=dict)
    # column prefix -> UInt64 daily column: its largest value on one day of each window
    maxima: Mapping[str, str] = field(default_factory=dict)
    windows: tuple[str, ...] = tuple(WINDOWS)
    source: str = "daily"  # the CTE of daily rows

    def __post_init__(self) -> None:
        widest = max(WINDOWS, key=WINDOWS.get)
        if widest not in self.windows or any(w not in self.windows for _, w in self.sums.values()):
            raise ValueError(
                f"{self.key}: windows {self.windows} must hold {widest} and every sum's"
            )

    def lengths(self) -> list[int]:
        return sorted(WINDOWS[name] for name in self.windows)

    def all_sums(self) -> list[tuple[str, str, str, str]]:
        """(alias, daily column, window, type) of every windowed sum."""
        measures = [
            (f"{prefix}_{name}", column, name, _METER_TYPES[column])
            for prefix, column in self.measures.items()
            for name in self.windows
        ]
        extra = [(alias, column, name, "Float64") for alias, (column, name) in self.sums.items()]
        return measures + extra

    def id_columns(self) -> list[tuple[str, str, str]]:
        """(prefix, daily array column, window) of every distinct-id count, column
        ``<prefix>_<window>``."""
        return [
            (prefix, array, name)
            for prefix, array in self.id_arrays.items()
            for name in self.windows
        ]

    def maximum_columns(self) -> list[tuple[str, str, str]]:
        """(alias, daily column, window) of every largest daily value."""
        return [
            (f"{prefix}_{name}", column, name)
            for prefix, column in self.maxima.items()
            for name in self.windows
        ]

    def active_days_windows(self) -> list[str]:
        return [name for name in ACTIVE_DAYS_WINDOWS if name in self.windows]

    def counts(self) -> list[str]:
        """Every distinct count's column: active days, then distinct ids."""
        days = [f"active_days_{name}" for name in self.active_days_windows()]
        return days + [f"{prefix}_{name}" for prefix, _, name in self.id_columns()]


def _joined(items: list[str], indent: int = 8) -> str:
    return f",\n{' ' * indent}".join(items)


def windows_by_fanout(entity: Windowed) -> str:
    """Per as_of and entity: every column of ``entity`` from the daily rows fanned out."""
    columns = [
        *(f"argMax({column}, day) AS {alias}" for alias, column in entity.latest.items()),
        *(
            f"sumIf({column}, {in_window(name)}) AS {alias}"
            for alias, column, name, _ in entity.all_sums()
        ),
        *(
            f"uniqExactIf(day, {in_window(name)}) AS active_days_{name}"
            for name in entity.active_days_windows()
        ),
        *(
            f"uniqExactArrayIf({array}, {in_window(name)}) AS {prefix}_{name}"
            for prefix, array, name in entity.id_columns()
        ),
        *(
            f"maxIf({column}, {in_window(name)}) AS {alias}"
            for alias, column, name in entity.maximum_columns()
        ),
    ]
    return (
        f"SELECT\n        as_of,\n        {entity.key},\n        {_joined(columns)}\n"
        f"    FROM (SELECT *, {AS_OF_FANOUT} AS as_of FROM {entity.source})\n"
        f"    GROUP BY as_of, {entity.key}"
    )


def _offsets(entity: Windowed) -> list[int]:
    """0: a row enters its windows; N: it leaves its N-day window."""
    return [0, *entity.lengths()]


def _changes(entity: Windowed) -> str:
    """Per entity and change day: the latest attributes of the rows entering their windows
    there (NULL where none does), and what enters minus what leaves each window. Days before
    the run's first as_of fold onto it; changes on or after its end are dropped."""
    entering = [
        f"if(countIf(offset = 0) > 0, argMaxIf({column}, day, offset = 0), NULL) AS l_{alias}"
        for alias, column in entity.latest.items()
    ]
    sums = [
        f"sumIf({exact}, offset = 0) - sumIf({exact}, offset = {WINDOWS[name]}) AS d_{alias}"
        for alias, column, name, type_ in entity.all_sums()
        for exact in [_EXACT[type_].format(column)]
    ]
    days = [
        f"toInt64(uniqExactIf(day, offset = 0)) - "
        f"toInt64(uniqExactIf(day, offset = {WINDOWS[name]})) AS d_active_days_{name}"
        for name in entity.active_days_windows()
    ]
    return (
        f"SELECT {entity.key}, greatest(day + offset, {_START}) AS change_day, "
        f"{_joined(entering + sums + days)} "
        f"FROM {entity.source} ARRAY JOIN {_offsets(entity)} AS offset "
        f"WHERE day + offset < {_END} GROUP BY {entity.key}, change_day"
    )


def _id_changes(entity: Windowed) -> str:
    """Per entity and change day: +1 / -1 where an id's coverage of an N-day window starts or
    ends. An id seen on days d1 < d2 < ... covers the as_of days of the union of [d, d + N);
    a day starts a stretch unless the day before it is less than N days earlier, and ends one
    (at d + N) unless the next is less than N days later."""
    items = ", ".join(
        f"arrayMap(id -> ('{prefix}', id), {array})" for prefix, array in entity.id_arrays.items()
    )
    starts = "arrayFilter((d, i) -> i = 1 OR d - days[i - 1] >= n, days, arrayEnumerate(days))"
    ends = (
        "arrayFilter((d, i) -> i = length(days) OR days[i + 1] - d >= n, days, "
        "arrayEnumerate(days))"
    )
    edges = (
        f"arrayConcat(arrayMap(d -> (greatest(d, {_START}), 1), {starts}), "
        f"arrayMap(d -> (greatest(d + n, {_START}), -1), {ends}))"
    )
    counts = [
        f"sumIf(edge.2, kind = '{prefix}' AND n = {WINDOWS[name]}) AS d_{prefix}_{name}"
        for prefix, _, name in entity.id_columns()
    ]
    return (
        f"SELECT {entity.key}, edge.1 AS change_day, {_joined(counts)} "
        f"FROM (SELECT {entity.key}, item.1 AS kind, arraySort(groupUniqArray(day)) AS days "
        f"FROM {entity.source} ARRAY JOIN arrayConcat({items}) AS item "
        f"GROUP BY {entity.key}, item) "
        f"ARRAY JOIN {entity.lengths()} AS n ARRAY JOIN {edges} AS edge "
        f"WHERE edge.1 < {_END} GROUP BY {entity.key}, change_day"
    )


def _maxima_at_changes(entity: Windowed) -> str:
    """Per entity and change day (the days of :func:`_changes`): the largest daily value in each
    window ending that day. A maximum cannot be run as a sum, but it only changes where a row
    enters or leaves a window: a range frame over the rows and those change points gives it
    there (change points carry NULL, which max skips)."""
    values = [f"toNullable({column}) AS v_{prefix}" for prefix, column in entity.maxima.items()]
    nulls = [f"NULL AS v_{prefix}" for prefix in entity.maxima]
    frames = [
        f"w_{name} AS (PARTITION BY {entity.key} ORDER BY toUInt32(point) "
        f"RANGE BETWEEN {WINDOWS[name] - 1} PRECEDING AND CURRENT ROW)"
        for name in entity.windows
    ]
    columns = [
        f"ifNull(max(v_{prefix}) OVER w_{name}, 0) AS m_{prefix}_{name}"
        for prefix in entity.maxima
        for name in entity.windows
    ]
    names = [f"any(m_{alias}) AS m_{alias}" for alias, _, _ in entity.maximum_columns()]
    return (
        f"SELECT {entity.key}, point AS change_day, {_joined(names)} "
        f"FROM (SELECT {entity.key}, point, {_joined(columns)} "
        f"FROM (SELECT {entity.key}, day AS point, {_joined(values)} FROM {entity.source} "
        f"UNION ALL SELECT {entity.key}, greatest(day + offset, {_START}) AS point, "
        f"{_joined(nulls)} FROM {entity.source} ARRAY JOIN {_offsets(entity)} AS offset "
        f"WHERE day + offset < {_END}) WINDOW {_joined(frames)}) "
        f"WHERE point >= {_START} GROUP BY {entity.key}, change_day"
    )


def _all_changes(entity: Windowed) -> str:
    """The change days of :func:`_changes` with the id counts' and the maxima's there. An id's
    coverage and a maximum change only on a day of the entity's rows or N days after one,
    where its sums change too: a LEFT JOIN keeps every change day (0 where no id does)."""
    changes = _changes(entity)
    joined = []
    if entity.id_arrays:
        joined.append(f"({_id_changes(entity)}) AS ids")
    if entity.maxima:
        joined.append(f"({_maxima_at_changes(entity)}) AS maxima")
    if not joined:
        return changes
    joins = "".join(f"\n    LEFT JOIN {table} USING ({entity.key}, change_day)" for table in joined)
    return f"SELECT * FROM ({changes}) AS sums{joins}"


_DAYS_UNTIL_NEXT_CHANGE = "arrayMap(i -> change_day + i, range(toUInt32(until - change_day)))"


def windows_by_running_sums(entity: Windowed) -> str:
    """Per as_of and entity: the columns of :func:`windows_by_fanout`, as running sums of the
    changes per entity, each change day's values held until the entity's next change day and
    kept on the as_of days the entity is active in its 90-day window."""
    exact_type = {"Float64": "toFloat64", "UInt64": "toUInt64"}
    # last_value skips NULLs: each attribute is the one of the latest row entered so far
    columns = [
        *(
            f"assumeNotNull(last_value(l_{alias}) OVER so_far) AS {alias}"
            for alias in entity.latest
        ),
        *(
            f"{exact_type[type_]}(sum(d_{alias}) OVER so_far) AS {alias}"
            for alias, _, _, type_ in entity.all_sums()
        ),
        *(f"toUInt64(sum(d_{alias}) OVER so_far) AS {alias}" for alias in entity.counts()),
        *(f"m_{alias} AS {alias}" for alias, _, _ in entity.maximum_columns()),
    ]
    names = [
        *entity.latest,
        *(alias for alias, *_ in entity.all_sums()),
        *entity.counts(),
        *(alias for alias, *_ in entity.maximum_columns()),
    ]
    return (
        f"SELECT as_of, {entity.key}, {_joined(names)}\n"
        f"    FROM (SELECT {entity.key}, change_day, "
        f"leadInFrame(change_day, 1, {_END}) OVER next_change AS until, {_joined(columns)} "
        f"FROM ({_all_changes(entity)}) WINDOW so_far AS (PARTITION BY {entity.key} "
        "ORDER BY change_day ROWS UNBOUNDED PRECEDING), next_change AS (PARTITION BY "
        f"{entity.key} ORDER BY change_day ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING))\n"
        f"    ARRAY JOIN {_DAYS_UNTIL_NEXT_CHANGE} AS as_of\n"
        f"    WHERE active_days_{max(WINDOWS, key=WINDOWS.get)} > 0"
    )


def windows_fragments(entity: Windowed, name: str = "windows") -> dict[str, str]:
    """``$<name>`` (the fan-out) and ``$<name>_by_running_sums`` of a *_windows table."""
    return {
        name: windows_by_fanout(entity),
        f"{name}_by_running_sums": windows_by_running_sums(entity),
    }


# --- *_ranges tables: the windows of RANGE_WINDOWS as one row per window -------------------


def ranged(
    key: str,
    latest: Mapping[str, str] | None = None,
    maxima: Mapping[str, str] | None = None,
) -> Windowed:
    """A *_ranges entity: every meter column of the contract summed over RANGE_WINDOWS."""
    return Windowed(
        key=key,
        latest=latest or {},
        measures={name: name for name in RANGE_SUMS},
        maxima=maxima or {},
        windows=RANGE_WINDOWS,
    )


def distinct_per_range(key: str, prefix: str, column: str, source: str) -> Windowed:
    """Distinct ``column`` values per ``key`` over RANGE_WINDOWS, from the daily rows of CTE
    ``source`` (another daily table than the entity's own)."""
    return Windowed(
        key=key,
        measures={},
        id_arrays={prefix: f"[{column}]"},
        windows=RANGE_WINDOWS,
        source=source,
    )


def per_window(prefix: str) -> str:
    """``[<prefix>_7d, <prefix>_30d, <prefix>_90d]``: a wide column's value per range."""
    return f"[{', '.join(f'{prefix}_{name}' for name in RANGE_WINDOWS)}]"


def ranges_join(entity: Windowed, *joined: str) -> str:
    """``ARRAY JOIN`` of the wide windows of ``entity``: one row per range, ``window_days``
    long, each ``<column>_<window>`` as ``<column>``; ``joined``: prefixes of columns another
    entity's windows add (per window too)."""
    lengths = ", ".join(str(WINDOWS[name]) for name in RANGE_WINDOWS)
    prefixes = [*entity.measures, "active_days", *entity.id_arrays, *entity.maxima, *joined]
    columns = [f"{per_window(prefix)} AS {prefix}" for prefix in prefixes]
    return f"ARRAY JOIN [{lengths}] AS window_days,\n    " + ",\n    ".join(columns)


def joined_columns(*prefixes: str) -> str:
    """The wide columns of ``prefixes`` per range, as a joined entity's SELECT lists them."""
    return ", ".join(f"{prefix}_{name}" for prefix in prefixes for name in RANGE_WINDOWS)
