"""Automation: which tables are rebuilt when, chosen by each table's cadence tag (its grain).

- Every 5 minutes, the minute tables (on-call load and its alerts) rebuild the UTC days of the
  last ten closed minutes (today's partition, and yesterday's too just after midnight).
- Every hour at :05, the hourly tables rebuild the UTC days of the hour just closed and the one
  before (today's partition, and yesterday's too just after midnight), after the minute tables
  they are grouped from.
- Every day at 00:15, every summary table rebuilds yesterday and the day before in one run:
  the fine facts rescan raw events (late events land), and the daily rollups, windows and
  cohorts follow in dependency order within the same run, so they never read facts that are
  being replaced.

A new table folder is picked up by its tag; nothing here names a table.
"""

from __future__ import annotations

import datetime as dt

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    RunRequest,
    ScheduleEvaluationContext,
    define_asset_job,
    schedule,
)

from pollen_pipeline.grain import CADENCE_TAG, range_tags

FIVE_MINUTES = AssetSelection.tag(CADENCE_TAG, "5min")
HOURLY = AssetSelection.tag(CADENCE_TAG, "hourly")
SUMMARIES = FIVE_MINUTES | HOURLY | AssetSelection.tag(CADENCE_TAG, "daily")

five_minute_job = define_asset_job(
    "pollen_5min",
    selection=FIVE_MINUTES,
    description="Rebuild the minute tables for the day in progress.",
)

hourly_job = define_asset_job(
    "pollen_hourly",
    # with the minute tables an hourly one is grouped from (health_hourly from load_minutely):
    # rebuilt first in the same run, so the hour just closed is whole
    selection=HOURLY | (HOURLY.upstream() & FIVE_MINUTES),
    description="Rebuild the hourly tables for the day in progress.",
)
daily_job = define_asset_job(
    "pollen_daily",
    selection=SUMMARIES,
    description="Rescan the closed days' raw events and rebuild every summary table of them.",
)


def closed_minutes(now: dt.datetime, count: int) -> tuple[dt.datetime, dt.datetime]:
    """The first and last of the ``count`` whole UTC minutes that ended before ``now``."""
    last = now.astimezone(dt.UTC).replace(second=0, microsecond=0) - dt.timedelta(minutes=1)
    return last - dt.timedelta(minutes=count - 1), last


def closed_hours(now: dt.datetime, count: int) -> tuple[dt.datetime, dt.datetime]:
    """The first and last of the ``count`` whole UTC hours that ended before ``now``."""
    last = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    last -= dt.timedelta(hours=1)
    return last - dt.timedelta(hours=count - 1), last


def closed_days(now: dt.datetime, count: int) -> tuple[dt.date, dt.date]:
    """The first and last of the ``count`` whole UTC days that ended before ``now``."""
    last = now.astimezone(dt.UTC).date() - dt.timedelta(days=1)
    return last - dt.timedelta(days=count - 1), last


@schedule(
    job=five_minute_job,
    cron_schedule="*/5 * * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="The days of the ten minutes just closed (the last two 5-minute runs' spans).",
)
def five_minute_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    first, last = closed_minutes(context.scheduled_execution_time, 10)
    return RunRequest(run_key=f"5min-{last:%Y%m%d%H%M}", tags=range_tags(first.date(), last.date()))


@schedule(
    job=hourly_job,
    cron_schedule="5 * * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="The days of the hour just closed and the one before (late events).",
)
def hourly_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    first, last = closed_hours(context.scheduled_execution_time, 2)
    return RunRequest(run_key=f"hourly-{last:%Y%m%d%H}", tags=range_tags(first.date(), last.date()))


@schedule(
    job=daily_job,
    cron_schedule="15 0 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Yesterday and the day before: rescan raw events, rebuild every summary.",
)
def daily_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    first, last = closed_days(context.scheduled_execution_time, 2)
    return RunRequest(run_key=f"daily-{last:%Y%m%d}", tags=range_tags(first, last))
