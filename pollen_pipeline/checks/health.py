"""Checks of ``health_hourly``: its pandera model, status classes against raw events, and
latency quantiles that are ordered, in range and what the stored histogram says."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from dagster import AssetCheckResult, MetadataValue
from pandera.typing import Series

from pollen_pipeline import contract, health
from pollen_pipeline.checks import names
from pollen_pipeline.checks.core import _key
from pollen_pipeline.checks.schemas import NON_NEGATIVE
from pollen_pipeline.clickhouse import Store, TableSpec, Window, render

SAMPLE_ROWS = 20
# A quantile is a bucket's geometric middle: it may exceed the largest time by the resolution.
QUANTILE_SLACK = 1 + health.RELATIVE_RESOLUTION + 1e-9


class HealthHourly(pa.DataFrameModel):
    model_provider_used: Series[str]
    resolved_model_requested: Series[str]
    requests: Series[np.uint64] = pa.Field(gt=0)
    status_2xx: Series[np.uint64] = pa.Field(ge=0)
    status_4xx: Series[np.uint64] = pa.Field(ge=0)
    status_429: Series[np.uint64] = pa.Field(ge=0)
    status_5xx: Series[np.uint64] = pa.Field(ge=0)
    latency_p50_ms: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    latency_p95_ms: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    latency_p99_ms: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    latency_max_ms: Series[np.float32] = pa.Field(**NON_NEGATIVE)
    response_time_sum: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    tokens_in: Series[np.uint64] = pa.Field(ge=0)
    tokens_out: Series[np.uint64] = pa.Field(ge=0)
    cache_hits: Series[np.uint64] = pa.Field(ge=0)
    cache_savings_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    total_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        coerce = False
        strict = False
        unique = ["hour", "model_provider_used", "resolved_model_requested"]

    @pa.dataframe_check
    def classes_within_requests(cls, frame):  # noqa: N805 - pandera passes the class
        classified = frame.status_2xx + frame.status_4xx + frame.status_5xx
        return (classified <= frame.requests) & (frame.cache_hits <= frame.requests)

    @pa.dataframe_check
    def rate_limited_within_4xx(cls, frame):  # noqa: N805
        return frame.status_429 <= frame.status_4xx


_CLASSES = tuple(health.STATUS_CLASSES)


def _raw_classes(raw: Store, raw_table: str, window: Window) -> dict:
    counts = ", ".join(f"countIf({condition})" for condition in health.STATUS_CLASSES.values())
    rows = raw.rows(
        render(
            f"SELECT toStartOfHour(start_time, 'UTC') AS period, {counts} FROM $raw_table "
            "WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')} "
            f"AND {contract.RAW_PRODUCTION_EVENTS} GROUP BY period",
            raw_table=raw_table,
        ),
        window.params(),
    )
    return {_key(row[0]): list(row[1:]) for row in rows}


def _table_classes(store: Store, spec: TableSpec, window: Window) -> dict:
    sums = ", ".join(f"sum({name})" for name in _CLASSES)
    rows = store.rows(
        f"SELECT hour, {sums} FROM {store.table(spec.name)} WHERE {spec.in_window} GROUP BY hour",
        window.params(),
    )
    return {_key(row[0]): list(row[1:]) for row in rows}


def check_status_classes(
    store: Store, spec: TableSpec, window: Window, raw: Store, raw_table: str
) -> AssetCheckResult:
    """Per hour, 2xx / 4xx / 429 / 5xx counts equal those of raw production events."""
    expected = _raw_classes(raw, raw_table, window)
    actual = _table_classes(store, spec, window)
    zero = [0] * len(_CLASSES)
    mismatched = {
        hour: {
            "raw": dict(zip(_CLASSES, expected.get(hour, zero), strict=True)),
            "table": dict(zip(_CLASSES, actual.get(hour, zero), strict=True)),
        }
        for hour in sorted(set(expected) | set(actual))
        if expected.get(hour, zero) != actual.get(hour, zero)
    }
    return AssetCheckResult(
        check_name=names.STATUS_CLASSES_MATCH_RAW,
        passed=not mismatched,
        description=f"{len(mismatched)} of {len(expected)} hours differ from raw status classes",
        metadata={"mismatched_hours": MetadataValue.json(dict(list(mismatched.items())[:20]))},
    )


def _quantile_violation() -> str:
    """SQL: the row's quantiles are not ordered, not in range, or not its histogram's."""
    stored = {name: f"latency_{name}_ms" for name in health.QUANTILES}
    rereads = " OR ".join(
        f"abs({column} - {health.quantile_sql('latency_histogram', health.QUANTILES[name])}) "
        f"> 1e-9 * {column}"
        for name, column in stored.items()
    )
    return (
        f"NOT (0 <= latency_p50_ms AND latency_p50_ms <= latency_p95_ms "
        f"AND latency_p95_ms <= latency_p99_ms "
        f"AND latency_p99_ms <= latency_max_ms * {QUANTILE_SLACK!r}) "
        f"OR arraySum(mapValues(latency_histogram)) != requests OR {rereads}"
    )


def check_latency_quantiles(store: Store, spec: TableSpec, window: Window) -> AssetCheckResult:
    """Every row: 0 <= p50 <= p95 <= p99 <= max time (+ bucket resolution), the histogram holds
    every request, and the stored quantiles are what the histogram gives."""
    rows = store.rows(
        f"SELECT toString(hour), model_provider_used, resolved_model_requested, latency_p50_ms, "
        f"latency_p95_ms, latency_p99_ms, latency_max_ms, requests "
        f"FROM {store.table(spec.name)} WHERE {spec.in_window} AND ({_quantile_violation()}) "
        f"LIMIT {SAMPLE_ROWS}",
        window.params(),
    )
    return AssetCheckResult(
        check_name=names.LATENCY_QUANTILES_VALID,
        passed=not rows,
        description=f"{len(rows)} rows (sample of at most {SAMPLE_ROWS}) with invalid quantiles",
        metadata={"rows": MetadataValue.json([[str(value) for value in row] for row in rows])},
    )
