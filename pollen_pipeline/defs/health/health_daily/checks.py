"""Checks of health_daily: its pandera model, and its days against health_hourly's hours."""

from __future__ import annotations

from pollen_pipeline.checks import CheckContext, Verdict, days_sum_hours
from pollen_pipeline.defs.health.health_hourly.checks import HealthHourly
from pollen_pipeline.defs.health.rules import SUMMED, SUMMED_AFTER_LATENCY


class HealthDaily(HealthHourly):
    class Config:
        unique = ["day", "model_provider_used", "resolved_model_requested", "event_type"]


def health_hourly_summed(ctx: CheckContext) -> Verdict:
    """Per row of the window (day, provider, model, event type): the summed measures, the
    histogram's count (arraySum of each row's map, then summed: another route than the table's
    sumMap) and the slowest response equal health_hourly's rows of the day."""
    sums = [f"sum({column})" for column, _ in (*SUMMED, *SUMMED_AFTER_LATENCY)]
    counted = ["sum(arraySum(mapValues(latency_histogram)))", "max(latency_max_ms)"]
    keys = HealthDaily.Config.unique[1:]
    return days_sum_hours(ctx, "health_hourly", keys, [*sums, *counted])
