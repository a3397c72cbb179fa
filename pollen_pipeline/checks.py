"""What a check is, and the checks every summary table can declare.

A check is a function ``(ctx: CheckContext, **params) -> Verdict``: it reads the window just
written (and whatever else it needs through ``ctx``) and says whether the rows hold. Its name,
severity and blocking are declared next to the table (``defs/<domain>/<table>/defs.yaml``); the
component turns the verdict into Dagster's ``AssetCheckResult``.

The standard checks, chosen per table in its ``defs.yaml``:

- ``reconciles_with_raw`` (ERROR, blocking) and ``no_gaps`` (ERROR, not blocking), from
  ``reconcile: {scope: ...}``: per period, events and Pollen equal raw events in the scope,
  recomputed straight from ``generation_event`` with the contract's own raw filters, so a bug in
  the summary SQL cannot hide behind itself;
- ``schema_valid`` (ERROR, blocking), from ``schema_model: <pandera model in checks.py>``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from dagster import MetadataValue

from pollen_pipeline import contract
from pollen_pipeline.store import Store, Table, Window
from pollen_pipeline.validation import Schema, validate

SCHEMA_VALID = "schema_valid"
RECONCILES_WITH_RAW = "reconciles_with_raw"
NO_GAPS = "no_gaps"

TOLERANCE = 1e-9  # relative, for Float64 sums that ClickHouse may add in another order
SAMPLE = 20  # offending rows or periods shown in a check's metadata

# Which raw events a table must add up to.
RAW_SCOPES = {
    "all": "1",
    "usage": contract.RAW_USAGE_EVENTS,
    "economics": contract.RAW_ECONOMICS_EVENTS,
    "free": contract.RAW_FREE_EVENTS,  # economics on the tier meter: the tier simulator
    "production": contract.RAW_PRODUCTION_EVENTS,  # every status: health_hourly
    "production_users": contract.RAW_PRODUCTION_USER_EVENTS,  # balances
    "errors": contract.RAW_ERROR_EVENTS,  # production errors: errors_hourly, messages
    "listed": contract.RAW_LISTED_EVENTS,  # users on an exclusion list: exclusions_daily
    "v2_rows": f"NOT ({contract.RAW_V1_ONLY_ROWS})",  # what v2 holds: team_user_daily
}


@dataclass(frozen=True)
class CheckContext:
    """What a check reads: the store and the window just written, and raw events."""

    store: Store
    table: Table
    window: Window
    raw: Store  # the raw-event source when one is configured, else the store
    raw_table: str
    run_id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # the table's own bound parameters
    sides: Mapping[str, str] = field(default_factory=dict)  # side source -> its name on raw

    @property
    def qualified(self) -> str:
        """The table's qualified name, for SQL."""
        return self.store.table(self.table.name)

    def side(self, name: str) -> str:
        """Where side source ``name`` is read (on ``raw``), for SQL."""
        return self.sides.get(name) or self.raw.table(name)

    @property
    def in_window(self) -> str:
        return self.table.in_window

    def params(self) -> dict[str, Any]:
        return {**self.window.params(), **self.extra}


@dataclass(frozen=True)
class Verdict:
    """A check's outcome: whether it passed, one line for a person, numbers to look at."""

    passed: bool
    description: str
    metadata: Mapping[str, Any] = field(default_factory=dict)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if math.isnan(value) else float(value)


def largest_difference(a: Mapping[Any, Sequence[Any]], b: Mapping[Any, Sequence[Any]]) -> float:
    """The largest absolute difference between the numbers of ``a`` and ``b`` at the same key
    and position (a key missing on one side counts as zeros there)."""
    largest = 0.0
    for key in set(a) | set(b):
        x, y = tuple(a.get(key, ())), tuple(b.get(key, ()))
        if x == y:  # equal rows differ by 0: most rows of a passing check, skipped at C speed
            continue
        width = max(len(x), len(y))
        for u, v in zip(x + (0,) * (width - len(x)), y + (0,) * (width - len(y)), strict=True):
            nu, nv = _number(u), _number(v)
            if nu is not None and nv is not None:
                largest = max(largest, abs(nu - nv))
    return largest


def comparison_metadata(compared: int, differing: int, largest: float) -> dict[str, Any]:
    """The numbers every comparing check records, so the UI plots them run after run."""
    return {
        "rows_compared": MetadataValue.int(compared),
        "rows_differing": MetadataValue.int(differing),
        "largest_difference": MetadataValue.float(largest),
    }


# --- schema_valid ----------------------------------------------------------------------------


def schema_valid(ctx: CheckContext, schema: Schema) -> Verdict:
    """The window's rows satisfy the table's pandera model, judged inside ClickHouse."""
    outcome = validate(ctx.store, ctx.qualified, ctx.in_window, ctx.params(), schema)
    if outcome.passed:
        return Verdict(
            True, f"{outcome.rows} rows valid", {"rows": outcome.rows, "rules_broken": 0}
        )
    broken = len(outcome.failed) + len(outcome.types)
    return Verdict(
        False,
        f"{broken} of {schema.model.__name__}'s rules broken in {outcome.rows} rows",
        {
            "rows": outcome.rows,
            "rules_broken": broken,
            "failing_rows_by_rule": MetadataValue.json(dict(outcome.failed)),
            "wrong_types": MetadataValue.json(dict(outcome.types)),
            "sample_rows": MetadataValue.json(dict(outcome.samples)),
        },
    )


# --- reconciles_with_raw and no_gaps ---------------------------------------------------------

RawTotals = dict[tuple[dt.datetime, str], tuple[int, float]]
# One run's hourly raw totals, shared by every check of that run's steps (they all run in the
# run's process): the daily run's many tables then cost one raw scan, not one each.
_raw_totals_of_run: dict[tuple, RawTotals] = {}


def utc(moment: dt.datetime) -> dt.datetime:
    """An aware UTC datetime, whatever zone (or none) the driver attached to it."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC)


def _hourly_raw_totals(raw: Store, raw_table: str, window: Window) -> RawTotals:
    """Events and Pollen of raw events per UTC hour of the window, for every scope at once.

    ``raw_table`` is a validated identifier (settings), so it is formatted in; the scopes are
    the contract's fragments, whose values are bound parameters."""
    columns = ", ".join(
        f"countIf({condition}), sumIf(total_price, {condition})"
        for condition in RAW_SCOPES.values()
    )
    rows = raw.rows(
        f"SELECT toStartOfHour(start_time, 'UTC') AS period, {columns} FROM {raw_table} "
        "WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')} "
        "GROUP BY period",
        window.params(),
    )
    totals: RawTotals = {}
    for period, *values in rows:
        for index, scope in enumerate(RAW_SCOPES):
            totals[(utc(period), scope)] = (values[2 * index], values[2 * index + 1])
    return totals


def raw_totals(ctx: CheckContext, scope: str) -> dict[str, tuple[int, float]]:
    """Raw events and Pollen in ``scope`` per reconcile period of the table's grain."""
    key = (ctx.run_id, ctx.raw_table, ctx.window)
    if ctx.run_id is None or key not in _raw_totals_of_run:
        if ctx.run_id is not None:
            _raw_totals_of_run.clear()  # a new run: earlier runs' totals may be stale
        _raw_totals_of_run[key] = _hourly_raw_totals(ctx.raw, ctx.raw_table, ctx.window)
    per_period: dict[str, tuple[int, float]] = {}
    for (hour, hour_scope), (events, pollen) in _raw_totals_of_run[key].items():
        if hour_scope != scope or events == 0:
            continue
        period = period_key(ctx.table.grain.fold(hour))
        count, total = per_period.get(period, (0, 0.0))
        per_period[period] = (count + events, total + pollen)
    return per_period


def period_key(period: dt.date | dt.datetime) -> str:
    """A period as UTC ISO text, whatever time zone the driver attached to it."""
    if isinstance(period, dt.datetime):
        return utc(period).isoformat()
    return period.isoformat()


def _table_totals(ctx: CheckContext, events: str, pollen: str) -> dict[str, tuple[int, float]]:
    period = ctx.table.grain.reconcile_period
    rows = ctx.store.rows(
        f"SELECT {period} AS period, sum({events}), sum({pollen}) FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} GROUP BY period",
        ctx.params(),
    )
    return {period_key(period): (count, total) for period, count, total in rows}


# math.isclose(pack + tier + other, total) with TOLERANCE as both relative and absolute bound.
_METERS_DIFFER = (
    "abs(pack_pollen + tier_pollen + other_pollen - total_pollen) > greatest({tolerance:Float64}"
    " * greatest(abs(pack_pollen + tier_pollen + other_pollen), abs(total_pollen)), "
    "{tolerance:Float64})"
)


def meters_add_up(ctx: CheckContext) -> tuple[int, list[str]]:
    """How many rows of the window have pack + tier + other != total, and a sample of them (as
    text, for metadata). Counted in ClickHouse: a 90-day window holds millions of rows."""
    rows = ctx.store.rows(
        f"SELECT count() OVER (), toString({ctx.table.time_column}), pack_pollen, tier_pollen, "
        f"other_pollen, total_pollen FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} AND {_METERS_DIFFER} LIMIT {SAMPLE}",
        {**ctx.params(), "tolerance": TOLERANCE},
    )
    sample = [
        f"{period}: {pack} + {tier} + {other} != {total}"
        for _, period, pack, tier, other, total in rows
    ]
    return (rows[0][0] if rows else 0), sample


def reconcile(
    ctx: CheckContext, *, scope: str, events: str, pollen: str, meters: bool
) -> tuple[Verdict, Verdict]:
    """Per period of the window: events and Pollen equal raw events in ``scope`` and (with
    ``meters``) every row's pack + tier + other equals its total; and no period with raw
    events in scope lacks summary rows. Returns the two verdicts, reconciliation then gaps."""
    unbalanced, unbalanced_sample = meters_add_up(ctx) if meters else (0, [])
    expected = raw_totals(ctx, scope)
    actual = _table_totals(ctx, events, pollen)
    mismatched = {
        period: {"raw": list(expected.get(period, (0, 0.0))), "table": list(actual[period])}
        for period in actual
        if expected.get(period, (0, 0.0))[0] != actual[period][0]
        or not close(expected.get(period, (0, 0.0))[1], actual[period][1])
    }
    missing = sorted(set(expected) - set(actual))
    raw_pollen = sum(v[1] for v in expected.values())
    table_pollen = sum(v[1] for v in actual.values())
    reconciliation = Verdict(
        not mismatched and not unbalanced,
        f"{len(mismatched)} of {len(actual)} periods differ from raw events; "
        f"{unbalanced} rows where pack + tier + other != total",
        {
            **comparison_metadata(
                len(set(actual) | set(expected)),
                len(mismatched) + unbalanced,
                largest_difference(expected, actual),
            ),
            "unbalanced_rows": MetadataValue.json(unbalanced_sample),
            "raw_pollen": raw_pollen,
            "table_pollen": table_pollen,
            "difference": table_pollen - raw_pollen,
            "mismatched_periods": MetadataValue.json(dict(list(mismatched.items())[:SAMPLE])),
        },
    )
    gaps = Verdict(
        not missing,
        f"{len(missing)} periods have raw events but no summary rows",
        {
            **comparison_metadata(len(expected), len(missing), 0.0),
            "missing_periods": MetadataValue.json(missing[:50]),
        },
    )
    return reconciliation, gaps


# --- Comparing a table with a recomputation --------------------------------------------------


def _keyed(rows: Sequence[tuple], keys: int) -> dict[tuple, tuple]:
    return {tuple(str(v) for v in row[:keys]): tuple(row[keys:]) for row in rows}


def _same(a: tuple, b: tuple) -> bool:
    if a == b:  # most rows of a passing check, decided at C speed
        return True
    return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))


def compare(
    store: Store,
    actual_sql: str,
    expected_sql: str,
    params: Mapping[str, Any],
    *,
    keys: int = 1,
    what: str = "as_of days",
    expected_on: Store | None = None,
) -> Verdict:
    """Per key (the first ``keys`` columns), the table's aggregates equal the recomputed ones.

    The recomputation should be written another way than the table's SELECT (e.g. window days
    enumerated with ARRAY JOIN instead of fanned out), so one bug cannot hide in both. The
    recomputation runs on ``expected_on`` when given (raw events on their own source)."""
    actual = _keyed(store.rows(actual_sql, params), keys)
    expected = _keyed((expected_on or store).rows(expected_sql, params), keys)
    differing = {
        " ".join(key): {"table": actual.get(key), "recomputed": expected.get(key)}
        for key in sorted(set(actual) | set(expected))
        if not _same(actual.get(key, ()), expected.get(key, ()))
    }
    return Verdict(
        not differing,
        f"{len(differing)} of {len(expected)} {what} differ from their sources",
        {
            **comparison_metadata(
                len(set(actual) | set(expected)),
                len(differing),
                largest_difference(actual, expected),
            ),
            "differing": MetadataValue.json(dict(list(differing.items())[:SAMPLE])),
        },
    )


# The measures a serving copy (a monthly table of another table's rows) is compared on.
COPIED_SUMS = ("requests", "tokens", "pack_pollen", "tier_pollen", "total_pollen")


def copy_matches_source(ctx: CheckContext, source: str) -> Verdict:
    """Per day of the window: the table's rows and :data:`COPIED_SUMS` equal table ``source``'s,
    of which it is a copy laid out for reading (another partitioning and sort order)."""
    measures = ", ".join(f"sum({column})" for column in COPIED_SUMS)
    totals = "SELECT day, count(), {measures} FROM {table} WHERE {window} GROUP BY day"
    return compare(
        ctx.store,
        totals.format(measures=measures, table=ctx.qualified, window=ctx.in_window),
        totals.format(measures=measures, table=ctx.store.table(source), window=ctx.in_window),
        ctx.params(),
        what="days",
    )


def days_sum_hours(
    ctx: CheckContext, source: str, keys: Sequence[str], aggregates: Sequence[str]
) -> Verdict:
    """Per day of the window and ``keys`` (the table's other key columns): each of
    ``aggregates`` (SQL that adds up over rows: ``sum``, ``min``, ``max``) over the table's row
    equals it over table ``source``'s hours of that day and key, of which the table is the
    daily rollup."""
    grouped = ", ".join(["day", *keys])
    selected = ", ".join([*keys, *aggregates])
    return compare(
        ctx.store,
        f"SELECT day, {selected} FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY {grouped}",
        f"SELECT toDate(hour, 'UTC') AS day, {selected} FROM {ctx.store.table(source)} "
        "WHERE hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')} "
        f"GROUP BY {grouped}",
        ctx.params(),
        keys=1 + len(keys),
        what="rows",
    )


def sums_match_raw(ctx: CheckContext, sums: Mapping[str, str], scope: str) -> Verdict:
    """Per period of the table's own grain (minute, hour or day), the window's sum of each
    column of ``sums`` equals its aggregate over raw events in ``scope`` (``sums[column]``, SQL
    over ``generation_event`` columns, e.g. ``countIf(response_status = 429)``).

    Compared as two aligned frames, not period by period in Python: a minute table's 60-day
    window has 86,400 periods."""
    grain = ctx.table.grain
    expected = _sums_by_period(
        ctx.raw,
        f"SELECT {_period_seconds(grain.raw_period)} AS period, "
        f"{', '.join(sums.values())} FROM {ctx.raw_table} "
        "WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')} "
        f"AND ({RAW_SCOPES[scope]}) GROUP BY period",
        ctx.params(),
        sums,
    )
    actual = _sums_by_period(
        ctx.store,
        f"SELECT {_period_seconds(grain.column)} AS period, "
        f"{', '.join(f'sum({column})' for column in sums)} FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} GROUP BY period",
        ctx.params(),
        sums,
    )
    periods = len(expected)
    expected, actual = expected.align(actual, join="outer", fill_value=0)
    raw, table = expected.astype(float), actual.astype(float)
    difference = (table - raw).abs()
    # math.isclose cell by cell, TOLERANCE both the relative and the absolute bound
    differs = (difference > TOLERANCE * np.maximum(np.maximum(raw.abs(), table.abs()), 1.0)).any(
        axis=1
    )
    mismatched = {
        _period_text(seconds, grain.column_type): {
            "raw": dict(zip(sums, expected.loc[seconds].tolist(), strict=True)),
            "table": dict(zip(sums, actual.loc[seconds].tolist(), strict=True)),
        }
        for seconds in differs[differs].index[:SAMPLE]
    }
    return Verdict(
        not mismatched,
        f"{int(differs.sum())} of {periods} periods differ from raw events in {', '.join(sums)}",
        {
            **comparison_metadata(
                len(differs), int(differs.sum()), float(difference.to_numpy().max(initial=0.0))
            ),
            "mismatched_periods": MetadataValue.json(mismatched),
        },
    )


def _period_seconds(period_sql: str) -> str:
    """SQL: a period (a Date or a UTC DateTime) as Unix seconds, one key type on both sides."""
    return f"toUnixTimestamp(toDateTime({period_sql}, 'UTC'))"


def _period_text(seconds: int, column_type: str) -> str:
    moment = dt.datetime.fromtimestamp(int(seconds), dt.UTC)
    return moment.date().isoformat() if column_type == "Date" else moment.isoformat()


def _sums_by_period(
    store: Store, sql: str, params: Mapping[str, Any], columns: Sequence[str]
) -> pd.DataFrame:
    """The ``period`` column as the index, the others named after ``columns`` (in order: a sum
    may be an expression, which ClickHouse names by its text)."""
    frame = store.frame(sql, params)
    if frame.empty:  # no rows: the driver's frame has no columns either
        return pd.DataFrame(columns=list(columns), index=pd.Index([], name="period"))
    frame = frame.set_index("period").sort_index()
    frame.columns = list(columns)
    return frame


def window_days(ctx: CheckContext) -> dict[str, Any]:
    """The window's params plus its UTC days: ``days`` (all), ``first`` and ``last``."""
    days = ctx.window.days()
    return {**ctx.params(), "days": days, "first": days[0], "last": days[-1]}


def recount_sides(
    ctx: CheckContext, sides: Sequence[str], actual: str, expected: Callable[..., str]
) -> Verdict:
    """Per day, ``actual`` (SQL over the table's window) equals ``expected(*tables)``: a recount
    of the side sources ``sides``, given their names where they are read, run there. An absent
    side source passes: its run left the window empty, with a note, so nothing is to recount."""
    tables = [ctx.side(name) for name in sides]
    absent = [table for table in tables if not ctx.raw.has_table(table)]
    if absent:
        return Verdict(True, f"{', '.join(absent)} absent: no rows to recount", {})
    params = window_days(ctx)
    return compare(ctx.store, actual, expected(*tables), params, what="days", expected_on=ctx.raw)
