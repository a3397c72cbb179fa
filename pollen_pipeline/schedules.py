"""Automation: an hourly schedule, and a daily refresh that rescans two days before rolling up.

The daily refresh first rescans the 48 hours of yesterday and the day before (late events land
in event_facts_hourly), and only when that run succeeds does the sensor below roll those days up
into the daily tables, so the daily tables never read facts that are being replaced.
"""

from __future__ import annotations

import datetime as dt

from dagster import (
    DagsterRunStatus,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    RunStatusSensorContext,
    ScheduleEvaluationContext,
    SkipReason,
    run_status_sensor,
    schedule,
)

from pollen_pipeline.jobs import daily_job, day_range_tags, hour_range_tags, hourly_job

DAILY_REFRESH_TAG = "pollen/daily_refresh"  # "<first day>..<last day>" to roll up afterwards
UTC = dt.UTC


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC)


def closed_hours(now: dt.datetime, count: int) -> tuple[dt.datetime, dt.datetime]:
    """The first and last of the ``count`` whole UTC hours that ended before ``now``."""
    last = _utc(now).replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=1)
    return last - dt.timedelta(hours=count - 1), last


def closed_days(now: dt.datetime, count: int) -> tuple[dt.date, dt.date]:
    """The first and last of the ``count`` whole UTC days that ended before ``now``."""
    last = _utc(now).date() - dt.timedelta(days=1)
    return last - dt.timedelta(days=count - 1), last


@schedule(
    job=hourly_job,
    cron_schedule="5 * * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="The hour just closed, plus the one before for late events.",
)
def hourly_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    first, last = closed_hours(context.scheduled_execution_time, 2)
    return RunRequest(run_key=f"hourly-{last:%Y%m%d%H}", tags=hour_range_tags(first, last))


@schedule(
    job=hourly_job,
    cron_schedule="15 0 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Yesterday and the day before: rescan their hours, then roll them up daily.",
)
def daily_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    first_day, last_day = closed_days(context.scheduled_execution_time, 2)
    first = dt.datetime.combine(first_day, dt.time(), UTC)
    last = dt.datetime.combine(last_day, dt.time(23), UTC)
    return RunRequest(
        run_key=f"daily-{last_day:%Y%m%d}",
        tags={**hour_range_tags(first, last), DAILY_REFRESH_TAG: f"{first_day}..{last_day}"},
    )


@run_status_sensor(
    run_status=DagsterRunStatus.SUCCESS,
    monitored_jobs=[hourly_job],
    request_job=daily_job,
    default_status=DefaultSensorStatus.RUNNING,
    description="After a daily refresh rescan succeeds, roll its days up into the daily tables.",
)
def daily_refresh_sensor(context: RunStatusSensorContext) -> RunRequest | SkipReason:
    days = context.dagster_run.tags.get(DAILY_REFRESH_TAG)
    if days is None:
        return SkipReason("an hourly run, not a daily refresh")
    first, last = (dt.date.fromisoformat(day) for day in days.split(".."))
    return RunRequest(run_key=f"daily-rollup-{days}", tags=day_range_tags(first, last))
