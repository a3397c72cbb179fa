"""A summary table's grain: its time column, how raw events fall into its periods, how often it
is rebuilt and how fresh it must be, all derived here from one name.

Every summary table is partitioned by UTC day, in Dagster and in ClickHouse alike: a day is the
unit that is written (one ``REPLACE PARTITION``), backfilled and re-materialized for late
events. (A few serving tables are partitioned by month in ClickHouse, their ``table.sql`` says
so: a run of a day rewrites its month, ``store.Table.monthly``.) The grain is the table's time
column *inside* a day:

============  =====================  ==================  ========================================
grain         time column            rebuilt             freshness
============  =====================  ==================  ========================================
``minute``    ``minute`` DateTime    each 5 min (today)  the 5 minutes just closed, by 10-20 min
``hour``      ``hour`` DateTime      every hour (today)  the hour just closed, by 2-3 h
``day``       ``day`` Date           daily, 00:15 UTC    yesterday, by 03:00 UTC
``as_of``     ``as_of`` Date         daily, 00:15 UTC    yesterday, by 03:00 UTC
============  =====================  ==================  ========================================

Why daily partitions for hourly tables too: Dagster records one materialization event per
partition and asset, ~10 ms each on its SQLite storage, so hourly partitions made a 60-day demo
spend two minutes writing 4,320 events for a few seconds of SQL (dagster issue #18789). The
hourly schedule rebuilds today's partition instead: up to one day of events a run, a few
seconds of ClickHouse time at a million events a day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Literal

from dagster import DailyPartitionsDefinition, FreshnessPolicy

GrainName = Literal["minute", "hour", "day", "as_of"]
# "5min", "hourly", "daily" (the summary tables) or "weekly" (the report): which schedule
# rebuilds the asset
CADENCE_TAG = "pollen/cadence"
Cadence = Literal["5min", "hourly", "daily", "weekly"]

# Minute tables feed on-call panels and alerts: the 5-minute schedule rebuilds them at :00, :05,
# ..., so the newest materialization is normally under 5 minutes (plus a run) old; WARN after one
# missed run, FAIL after three.
MINUTE_FRESHNESS = FreshnessPolicy.time_window(
    fail_window=dt.timedelta(minutes=20), warn_window=dt.timedelta(minutes=10)
)

# The hourly schedule materializes at :05 each hour, so the newest materialization is normally
# under 1 h 05 min old. The hour that closed at T is due by T + 2 h; the run before it happened
# at T - 55 min, so an age of 3 h means that hour was missed (WARN after one missed run).
HOURLY_FRESHNESS = FreshnessPolicy.time_window(
    fail_window=dt.timedelta(hours=3), warn_window=dt.timedelta(hours=2)
)
# Yesterday must be rolled up between midnight (when it closes) and 03:00 UTC.
DAILY_FRESHNESS = FreshnessPolicy.cron(
    deadline_cron="0 3 * * *", lower_bound_delta=dt.timedelta(hours=3), timezone="UTC"
)

# The week that ended on Sunday must be reported between Monday 00:00 and 06:00 UTC (the
# schedule writes it at 03:30, after the daily tables' 03:00 deadline).
WEEKLY_FRESHNESS = FreshnessPolicy.cron(
    deadline_cron="0 6 * * 1", lower_bound_delta=dt.timedelta(hours=6), timezone="UTC"
)

FRESHNESS: dict[str, FreshnessPolicy] = {
    "5min": MINUTE_FRESHNESS,
    "hourly": HOURLY_FRESHNESS,
    "daily": DAILY_FRESHNESS,
    "weekly": WEEKLY_FRESHNESS,
}


@dataclass(frozen=True)
class Grain:
    """How one grain reads: its time column and type, and its place in the automation."""

    name: GrainName
    column: str
    column_type: str  # "DateTime" or "Date": how a bound UTC instant compares with the column
    raw_period: str  # SQL: the period of a raw event, from its start_time
    cadence: Cadence

    @property
    def is_date(self) -> bool:
        return self.column_type == "Date"

    @property
    def in_window(self) -> str:
        """SQL condition: the row's time lies in the bound window ``[start, end)``."""
        start, end = "{start:DateTime('UTC')}", "{end:DateTime('UTC')}"
        if self.is_date:
            start, end = f"toDate({start}, 'UTC')", f"toDate({end}, 'UTC')"
        return f"{self.column} >= {start} AND {self.column} < {end}"

    @property
    def reconcile_period(self) -> str:
        """SQL over the time column: the period totals are compared in (hours at most, so a
        minute table reconciles per hour, and daily ones per day)."""
        return f"toStartOfHour({self.column}, 'UTC')" if self.name == "minute" else self.column

    @property
    def freshness(self) -> FreshnessPolicy:
        return FRESHNESS[self.cadence]

    def fold(self, hour: dt.datetime) -> dt.datetime | dt.date:
        """The reconcile period of a UTC hour: the hour itself, or its day."""
        return hour.date() if self.is_date else hour


GRAINS: dict[str, Grain] = {
    grain.name: grain
    for grain in (
        Grain("minute", "minute", "DateTime", "toStartOfMinute(start_time, 'UTC')", "5min"),
        Grain("hour", "hour", "DateTime", "toStartOfHour(start_time, 'UTC')", "hourly"),
        Grain("day", "day", "Date", "toDate(start_time, 'UTC')", "daily"),
        Grain("as_of", "as_of", "Date", "toDate(start_time, 'UTC')", "daily"),
    )
}


@cache
def daily_partitions(start_date: dt.date) -> DailyPartitionsDefinition:
    """UTC days from ``start_date`` to today included (``end_offset=1``): the hourly schedule
    rebuilds the day in progress, the daily one the days that closed."""
    return DailyPartitionsDefinition(
        start_date=start_date.isoformat(), timezone="UTC", end_offset=1
    )


# Tags Dagster reads to run one job over a partition range (a single-run backfill).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
DAY_KEY = "%Y-%m-%d"


def range_tags(first: dt.date, last: dt.date) -> dict[str, str]:
    """Run tags for the daily partitions ``first`` .. ``last`` (inclusive)."""
    return {RANGE_START_TAG: first.strftime(DAY_KEY), RANGE_END_TAG: last.strftime(DAY_KEY)}
