"""Freshness: policies on the summary tables, and a watch on the raw events themselves.

Dagster's freshness daemon (on by default) evaluates the policies against each asset's latest
materialization and records FRESHNESS_STATE_CHANGE events; the alert sensor turns those into
alerts. The policies cannot see *which* partition was materialized, so they are tuned to the
schedules: every hourly run covers the hour just closed, every daily rollup yesterday.

Raw events have no materializations to judge, so a check reads the newest production event
instead. It runs as a job every 30 minutes: inside a run process, which may open the embedded
store, rather than in the daemon, which must not.
"""

import datetime as dt

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetKey,
    AssetSelection,
    DefaultScheduleStatus,
    FreshnessPolicy,
    HourlyPartitionsDefinition,
    MetadataValue,
    PartitionsDefinition,
    ScheduleDefinition,
    asset_check,
    define_asset_job,
)

from pollen_pipeline.check_history import record_history
from pollen_pipeline.clickhouse import ClickHouseResource, render
from pollen_pipeline.tables import RAW_TABLE

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

RAW_STALE_AFTER = dt.timedelta(hours=2)
RAW_FRESHNESS_CHECK = "new_production_events"
RAW_FRESHNESS_SQL = (
    "SELECT toUnixTimestamp(max(start_time)), count() FROM $raw_table "
    "WHERE environment = 'production' AND start_time >= {since:DateTime('UTC')}"
)
# Only the recent past is scanned: the answer is about the last hours, and a full scan of the
# raw table every 30 minutes would be the most expensive query of the pipeline.
RAW_LOOKBACK = dt.timedelta(days=2)


def freshness_for(partitions: PartitionsDefinition) -> FreshnessPolicy:
    """The freshness policy of a summary table, chosen by how it is partitioned."""
    if isinstance(partitions, HourlyPartitionsDefinition):
        return HOURLY_FRESHNESS
    return DAILY_FRESHNESS


def raw_freshness(latest: dt.datetime | None, now: dt.datetime) -> AssetCheckResult:
    """Pass when the newest production event is at most 2 hours old."""
    age = None if latest is None else now - latest
    passed = age is not None and age <= RAW_STALE_AFTER
    described = "none in the last 2 days" if age is None else f"{age.total_seconds() / 60:.0f} min"
    return AssetCheckResult(
        check_name=RAW_FRESHNESS_CHECK,
        passed=passed,
        # ERROR: nothing downstream can be right while ingestion is stopped upstream.
        severity=AssetCheckSeverity.ERROR,
        description=f"Newest production event: {described} ago (limit 2 h)",
        metadata={
            "latest_start_time": MetadataValue.text(latest.isoformat() if latest else ""),
            "age_minutes": round(age.total_seconds() / 60, 1) if age is not None else -1.0,
        },
    )


@asset_check(
    asset=AssetKey(RAW_TABLE),
    name=RAW_FRESHNESS_CHECK,
    description="A production event arrived in the last 2 hours (else ingestion has stopped).",
    blocking=False,  # nothing is materialized in this job; there is nothing to block
)
def raw_freshness_check(
    context: AssetCheckExecutionContext, clickhouse: ClickHouseResource
) -> AssetCheckResult:
    settings = clickhouse.settings()
    store = clickhouse.store()
    raw = clickhouse.source() or store
    now = dt.datetime.now(dt.UTC)
    sql = render(RAW_FRESHNESS_SQL, raw_table=settings.raw_table)
    epoch, count = raw.rows(sql, {"since": now - RAW_LOOKBACK})[0]
    latest = dt.datetime.fromtimestamp(epoch, dt.UTC) if count else None
    result = raw_freshness(latest, now)
    record_history(context, store, RAW_TABLE, "", [result])
    return result


raw_freshness_job = define_asset_job(
    "raw_freshness",
    selection=AssetSelection.checks(raw_freshness_check),
    description="Check that production events keep arriving.",
)
raw_freshness_schedule = ScheduleDefinition(
    name="raw_freshness_schedule",
    job=raw_freshness_job,
    cron_schedule="*/30 * * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Every 30 minutes: has a production event arrived in the last 2 hours?",
)
