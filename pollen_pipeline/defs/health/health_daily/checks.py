"""Checks of health_daily: its pandera model, and its days against health_hourly's hours."""

from __future__ import annotations

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.defs.health.health_hourly.checks import HealthHourly

# What a day sums from its hours (the quantiles are checked against the row's own histogram).
SUMMED = (
    "requests",
    "status_2xx",
    "status_4xx",
    "status_429",
    "status_5xx",
    "errors",
    "tokens_in",
    "tokens_out",
    "cache_hits",
    "cache_savings_pollen",
    "total_pollen",
    "response_time_sum",
)


class HealthDaily(HealthHourly):
    class Config:
        unique = ["day", "model_provider_used", "resolved_model_requested", "event_type"]


def health_hourly_summed(ctx: CheckContext) -> Verdict:
    """Per day of the window: the summed measures, the histograms' counts (arraySum of each
    row's map, then summed: another route than the table's sumMap) and the slowest response
    equal health_hourly's rows of the day."""
    measures = ", ".join(f"sum({column})" for column in SUMMED)
    counted = "sum(arraySum(mapValues(latency_histogram))), max(latency_max_ms)"
    hourly = ctx.store.table("health_hourly")
    return compare(
        ctx.store,
        f"SELECT day, {measures}, {counted} FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} GROUP BY day",
        f"SELECT toDate(hour, 'UTC') AS day, {measures}, {counted} FROM {hourly} "
        "WHERE hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')} GROUP BY day",
        ctx.params(),
        what="days",
    )
