"""Jobs: the hourly scan and its rollups, and the daily rollups."""

from __future__ import annotations

import datetime as dt

from dagster import AssetSelection, define_asset_job

from pollen_pipeline.assets.core import DAILY_CORE, HOURLY_CORE
from pollen_pipeline.assets.economics import ECONOMICS
from pollen_pipeline.assets.health import HEALTH_HOURLY_ASSETS
from pollen_pipeline.assets.usage import USAGE_DAILY

hourly_job = define_asset_job(
    "core_hourly",
    selection=AssetSelection.assets(*HOURLY_CORE, *HEALTH_HOURLY_ASSETS),
    description="Scan raw events of the hours into event_facts_hourly, then usage_hourly and "
    "health_hourly.",
)
daily_job = define_asset_job(
    "core_daily",
    selection=AssetSelection.assets(*DAILY_CORE, *ECONOMICS, *USAGE_DAILY),
    description="Roll the days' hourly facts up into the daily tables, then the economics "
    "tables (cohorts, windows, spikes, segments) of those days.",
)

# Tags Dagster reads to run one job over a partition range (a single-run backfill).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
HOUR_KEY = "%Y-%m-%d-%H:%M"
DAY_KEY = "%Y-%m-%d"


def hour_range_tags(first: dt.datetime, last: dt.datetime) -> dict[str, str]:
    """Run tags for the hourly partitions ``first`` .. ``last`` (inclusive)."""
    return {RANGE_START_TAG: first.strftime(HOUR_KEY), RANGE_END_TAG: last.strftime(HOUR_KEY)}


def day_range_tags(first: dt.date, last: dt.date) -> dict[str, str]:
    """Run tags for the daily partitions ``first`` .. ``last`` (inclusive)."""
    return {RANGE_START_TAG: first.strftime(DAY_KEY), RANGE_END_TAG: last.strftime(DAY_KEY)}
