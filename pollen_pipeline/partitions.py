"""Partitions: UTC hours and UTC days from ``POLLEN_START_DATE`` on."""

from __future__ import annotations

import datetime as dt

from dagster import (
    AssetExecutionContext,
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
)

from pollen_pipeline.clickhouse import Window
from pollen_pipeline.settings import partition_start_date

_start = partition_start_date().isoformat()
hourly_partitions = HourlyPartitionsDefinition(start_date=f"{_start}-00:00", timezone="UTC")
daily_partitions = DailyPartitionsDefinition(start_date=_start, timezone="UTC")

UTC = dt.UTC


def materialized_window(context: AssetExecutionContext) -> Window:
    """The UTC window of the partition, or of the partition range, this run materializes."""
    time_window = context.partition_time_window
    return Window(time_window.start.astimezone(UTC), time_window.end.astimezone(UTC))
