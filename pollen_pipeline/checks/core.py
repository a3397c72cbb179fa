"""Check logic for the core tables; each function returns one ``AssetCheckResult``.

Reconciliation and gaps compare a table with raw events for the same window, recomputed here
straight from ``generation_event`` with the contract's own raw-event filters, so a bug in the
summary SQL cannot hide behind itself.
"""

from __future__ import annotations

import datetime as dt
import math

import pandera.errors
import pandera.pandas as pa
from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue

from pollen_pipeline import contract
from pollen_pipeline.checks import names
from pollen_pipeline.clickhouse import Store, TableSpec, Window, render

OTHER_METER_LIMIT = 0.01  # share of a day's billable Pollen on unclassifiable meters
TOLERANCE = 1e-9  # relative, for Float64 sums that ClickHouse may add in another order

# Which raw events each table must add up to.
RAW_SCOPES = {
    "all": "1",
    "usage": contract.RAW_USAGE_EVENTS,
    "economics": contract.RAW_ECONOMICS_EVENTS,
    "production": contract.RAW_PRODUCTION_EVENTS,  # every status: health_hourly
}


def check_schema(store: Store, spec: TableSpec, window: Window, model: type[pa.DataFrameModel]):
    """Validate the partition's rows against the table's pandera model."""
    frame = store.frame(
        f"SELECT * FROM {store.table(spec.name)} WHERE {spec.in_window}", window.params()
    )
    if frame.empty:  # an empty window has nothing to validate; the gaps check judges it
        return AssetCheckResult(check_name=names.SCHEMA, passed=True, metadata={"rows": 0})
    try:
        model.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as error:
        cases = error.failure_cases
        return AssetCheckResult(
            check_name=names.SCHEMA,
            passed=False,
            description=f"{len(cases)} schema failures in {len(frame)} rows",
            metadata={"failures": MetadataValue.md(cases.head(20).to_markdown(index=False))},
        )
    return AssetCheckResult(check_name=names.SCHEMA, passed=True, metadata={"rows": len(frame)})


RawTotals = dict[tuple[dt.datetime, str], tuple[int, float]]
# One run's hourly raw totals, shared by every check of that run's steps (they all run in the
# run's process): the daily run's many tables then cost one raw scan, not one each.
_raw_totals_of_run: dict[tuple, RawTotals] = {}


def _hourly_raw_totals(raw: Store, raw_table: str, window: Window) -> RawTotals:
    """Events and Pollen of raw events per UTC hour of the window, for every scope at once."""
    columns = ", ".join(
        f"countIf({condition}), sumIf(total_price, {condition})"
        for condition in RAW_SCOPES.values()
    )
    rows = raw.rows(
        render(
            f"SELECT toStartOfHour(start_time, 'UTC') AS period, {columns} FROM $raw_table "
            "WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')} "
            "GROUP BY period",
            raw_table=raw_table,
        ),
        window.params(),
    )
    totals: RawTotals = {}
    for period, *values in rows:
        hour = period if period.tzinfo else period.replace(tzinfo=dt.UTC)
        for index, scope in enumerate(RAW_SCOPES):
            totals[(hour.astimezone(dt.UTC), scope)] = (values[2 * index], values[2 * index + 1])
    return totals


def _raw_totals(
    raw: Store, raw_table: str, spec: TableSpec, window: Window, scope: str, run_id: str | None
) -> dict:
    key = (run_id, raw_table, window)
    if run_id is None or key not in _raw_totals_of_run:
        if run_id is not None:
            _raw_totals_of_run.clear()  # a new run: earlier runs' totals may be stale
        _raw_totals_of_run[key] = _hourly_raw_totals(raw, raw_table, window)
    per_period: dict = {}
    for (hour, hour_scope), (events, pollen) in _raw_totals_of_run[key].items():
        if hour_scope != scope or events == 0:
            continue
        period = hour if spec.grain == "hour" else hour.date()
        count, total = per_period.get(period, (0, 0.0))
        per_period[period] = (count + events, total + pollen)
    return per_period


def _table_totals(store: Store, spec: TableSpec, window: Window, events: str, pollen: str) -> dict:
    rows = store.rows(
        f"SELECT {spec.time_column}, sum({events}), sum({pollen}) FROM {store.table(spec.name)} "
        f"WHERE {spec.in_window} GROUP BY {spec.time_column}",
        window.params(),
    )
    return {period: (count, total) for period, count, total in rows}


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def _key(period: dt.date | dt.datetime) -> str:
    """A period as UTC ISO text, whatever time zone the driver attached to it."""
    if isinstance(period, dt.datetime):
        aware = period if period.tzinfo else period.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat()
    return period.isoformat()


def reconcile(
    store: Store,
    raw: Store,
    raw_table: str,
    spec: TableSpec,
    window: Window,
    *,
    scope: str,
    events: str = "requests",
    pollen: str = "total_pollen",
    meter_columns: bool = True,
    run_id: str | None = None,
) -> list[AssetCheckResult]:
    """Per hour or day of the window: events and Pollen equal raw events in ``scope``, and
    (for economics tables) every row's pack + tier + other equals its total.

    Returns two results: the reconciliation, and the gaps (periods with raw events in scope but
    no summary rows at all).
    """
    unbalanced = meters_add_up(store, spec, window) if meter_columns else []
    expected = {
        _key(p): v for p, v in _raw_totals(raw, raw_table, spec, window, scope, run_id).items()
    }
    actual = {_key(p): v for p, v in _table_totals(store, spec, window, events, pollen).items()}
    mismatched = {
        period: {"raw": list(expected.get(period, (0, 0.0))), "table": list(actual[period])}
        for period in actual
        if expected.get(period, (0, 0.0))[0] != actual[period][0]
        or not _close(expected.get(period, (0, 0.0))[1], actual[period][1])
    }
    missing = sorted(set(expected) - set(actual))
    raw_pollen = sum(v[1] for v in expected.values())
    table_pollen = sum(v[1] for v in actual.values())
    return [
        AssetCheckResult(
            check_name=names.RECONCILES_WITH_RAW,
            passed=not mismatched and not unbalanced,
            description=(
                f"{len(mismatched)} of {len(actual)} periods differ from raw events; "
                f"{len(unbalanced)} rows where pack + tier + other != total"
            ),
            metadata={
                "unbalanced_rows": MetadataValue.json(unbalanced[:20]),
                "raw_pollen": raw_pollen,
                "table_pollen": table_pollen,
                "difference": table_pollen - raw_pollen,
                "mismatched_periods": MetadataValue.json(dict(list(mismatched.items())[:20])),
            },
        ),
        AssetCheckResult(
            check_name=names.NO_GAPS,
            passed=not missing,
            description=f"{len(missing)} periods have raw events but no summary rows",
            metadata={"missing_periods": MetadataValue.json(missing[:50])},
        ),
    ]


def meters_add_up(store: Store, spec: TableSpec, window: Window) -> list[str]:
    """Rows of the window where pack + tier + other differs from total (as text, for metadata)."""
    rows = store.rows(
        f"SELECT toString({spec.time_column}), pack_pollen, tier_pollen, other_pollen, "
        f"total_pollen FROM {store.table(spec.name)} WHERE {spec.in_window}",
        window.params(),
    )
    return [
        f"{period}: {pack} + {tier} + {other} != {total}"
        for period, pack, tier, other, total in rows
        if not _close(pack + tier + other, total)
    ]


def check_meter_classification(store: Store, spec: TableSpec, window: Window) -> AssetCheckResult:
    """Days whose Pollen on unclassifiable meters exceeds 1%: the signature of a meter bug.

    Bug-window events never reach these sums (the contract removes them first), so any other
    day with such a share is a new problem upstream.
    """
    rows = store.rows(
        f"SELECT toString(day), other_meter_pollen, economics_pollen FROM {store.table(spec.name)} "
        f"WHERE {spec.in_window}",
        window.params(),
    )
    offending = {
        day: round(other / total, 6)
        for day, other, total in rows
        if total > 0 and other / total > OTHER_METER_LIMIT
    }
    return AssetCheckResult(
        check_name=names.METER_CLASSIFICATION,
        passed=not offending,
        severity=AssetCheckSeverity.WARN,
        description=(
            f"{len(offending)} days with more than {OTHER_METER_LIMIT:.0%} of Pollen on meters "
            "that are neither pack nor tier"
        ),
        metadata={"other_share_by_day": MetadataValue.json(offending)},
    )
