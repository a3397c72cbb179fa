"""Checks of health_daily: its pandera model, and its days against health_hourly's hours."""

from __future__ import annotations

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.defs.health.health_hourly.checks import HealthHourly
from pollen_pipeline.defs.health.rules import SUMMED, SUMMED_AFTER_LATENCY


class HealthDaily(HealthHourly):
    class Config:
        unique = ["day", "model_provider_used", "resolved_model_requested", "event_type"]


def health_hourly_summed(ctx: CheckContext) -> Verdict:
    """Per day of the window: the summed measures, the histograms' counts (arraySum of each
    row's map, then summed: another route than the table's sumMap) and the slowest response
    equal health_hourly's rows of the day."""
    measures = ", ".join(f"sum({column})" for column, _ in (*SUMMED, *SUMMED_AFTER_LATENCY))
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
