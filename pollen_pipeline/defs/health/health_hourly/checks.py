"""Checks of health_hourly: its pandera model, status classes against raw events, and latency
quantiles that are ordered, in range and what the stored histogram says."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from dagster import MetadataValue
from pandera.typing import Series

from pollen_pipeline import contract
from pollen_pipeline.checks import SAMPLE, CheckContext, Verdict, period_key
from pollen_pipeline.defs.health import rules as latency
from pollen_pipeline.schemas import NON_NEGATIVE, TrafficColumns

# A quantile is a bucket's geometric middle: it may exceed the largest time by the resolution.
QUANTILE_SLACK = 1 + latency.RELATIVE_RESOLUTION + 1e-9
# Counted columns and the raw condition each counts: the status classes and the errors.
COUNTED = {**contract.STATUS_CLASSES, "errors": contract.RAW_ERROR_STATUS}
CLASSES = tuple(COUNTED)


class HealthHourly(TrafficColumns):
    status_4xx: Series[np.uint64] = pa.Field(ge=0)
    latency_p50_ms: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    latency_p95_ms: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    latency_p99_ms: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    latency_max_ms: Series[np.float32] = pa.Field(**NON_NEGATIVE)
    cache_hits: Series[np.uint64] = pa.Field(ge=0)
    cache_savings_pollen: Series[np.float64] = pa.Field(**NON_NEGATIVE)

    class Config:
        unique = ["hour", "model_provider_used", "resolved_model_requested", "event_type"]


ROW_RULES = {
    "classes_within_requests": "status_2xx + status_4xx + status_5xx <= requests "
    "AND cache_hits <= requests",
    "rate_limited_within_4xx": "status_429 <= status_4xx",
    "errors_are_4xx_5xx_and_more": "status_4xx + status_5xx <= errors "
    "AND status_2xx + errors <= requests",
}


def _raw_classes(ctx: CheckContext) -> dict[str, list[int]]:
    counts = ", ".join(f"countIf({condition})" for condition in COUNTED.values())
    rows = ctx.raw.rows(
        f"SELECT toStartOfHour(start_time, 'UTC') AS period, {counts} FROM {ctx.raw_table} "
        "WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')} "
        f"AND {contract.RAW_PRODUCTION_EVENTS} GROUP BY period",
        ctx.params(),
    )
    return {period_key(row[0]): list(row[1:]) for row in rows}


def _table_classes(ctx: CheckContext) -> dict[str, list[int]]:
    sums = ", ".join(f"sum({name})" for name in CLASSES)
    rows = ctx.store.rows(
        f"SELECT hour, {sums} FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY hour",
        ctx.params(),
    )
    return {period_key(row[0]): list(row[1:]) for row in rows}


def status_classes_match_raw(ctx: CheckContext) -> Verdict:
    """Per hour, 2xx / 4xx / 429 / 5xx / error counts equal those of raw production events."""
    expected, actual = _raw_classes(ctx), _table_classes(ctx)
    zero = [0] * len(CLASSES)
    mismatched = {
        hour: {
            "raw": dict(zip(CLASSES, expected.get(hour, zero), strict=True)),
            "table": dict(zip(CLASSES, actual.get(hour, zero), strict=True)),
        }
        for hour in sorted(set(expected) | set(actual))
        if expected.get(hour, zero) != actual.get(hour, zero)
    }
    return Verdict(
        not mismatched,
        f"{len(mismatched)} of {len(expected)} hours differ from raw status classes",
        {"mismatched_hours": MetadataValue.json(dict(list(mismatched.items())[:SAMPLE]))},
    )


def _quantile_violation() -> str:
    """SQL: the row's quantiles are not ordered, not in range, or not its histogram's."""
    stored = {name: f"latency_{name}_ms" for name in latency.QUANTILES}
    rereads = " OR ".join(
        f"abs({column} - {latency.quantile_sql('latency_histogram', latency.QUANTILES[name])}) "
        f"> 1e-9 * {column}"
        for name, column in stored.items()
    )
    return (
        f"NOT (0 <= latency_p50_ms AND latency_p50_ms <= latency_p95_ms "
        f"AND latency_p95_ms <= latency_p99_ms "
        f"AND latency_p99_ms <= latency_max_ms * {QUANTILE_SLACK!r}) "
        f"OR arraySum(mapValues(latency_histogram)) != requests OR {rereads}"
    )


def latency_quantiles_valid(ctx: CheckContext) -> Verdict:
    """Every row (of health_hourly or health_daily): 0 <= p50 <= p95 <= p99 <= max time (+ bucket
    resolution), the histogram holds every request, and the stored quantiles are what the
    histogram gives."""
    rows = ctx.store.rows(
        f"SELECT toString({ctx.table.grain.column}), model_provider_used, "
        "resolved_model_requested, event_type, "
        f"latency_p50_ms, latency_p95_ms, latency_p99_ms, latency_max_ms, requests "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} AND ({_quantile_violation()}) "
        f"LIMIT {SAMPLE}",
        ctx.params(),
    )
    return Verdict(
        not rows,
        f"{len(rows)} rows (sample of at most {SAMPLE}) with invalid quantiles",
        {"rows": MetadataValue.json([[str(value) for value in row] for row in rows])},
    )
