"""The weekly economics report as an asset: one partition per week (Monday to Sunday, UTC),
written to ``POLLEN_REPORT_DIR`` and shown in the Dagster UI as markdown metadata, and posted to
``POLLEN_REPORT_WEBHOOK_URL`` when set. Mondays at 03:30 UTC, after yesterday's tables are due
(03:00), the schedule writes the week that just ended."""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    DefaultScheduleStatus,
    MaterializeResult,
    MetadataValue,
    WeeklyPartitionsDefinition,
    asset,
    build_schedule_from_partitioned_job,
    define_asset_job,
)

from pollen_pipeline import report
from pollen_pipeline.components.summary_table import OWNERS, STORE_POOL
from pollen_pipeline.grain import CADENCE_TAG, WEEKLY_FRESHNESS
from pollen_pipeline.report import delivery, page
from pollen_pipeline.report.numbers import Span
from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.retries import RETRY_POLICY
from pollen_pipeline.settings import partition_start_date

# The summary tables the report reads: upstream in the asset graph, never raw events.
READS = (
    "user_daily",
    "model_daily",
    "app_daily",
    "data_quality_daily",
    "user_windows",
    "cohort_conversion_daily",
    "tier_daily",
    "tier_simulation_daily",
)
MONDAY = 1  # day_offset of weekly partitions: weeks start on Monday
WEBHOOK_OUTCOME = {True: "delivered", False: "failed (logged)", None: "not configured"}

weeks = WeeklyPartitionsDefinition(
    start_date=partition_start_date().isoformat(), day_offset=MONDAY, timezone="UTC"
)


@asset(
    partitions_def=weeks,
    deps=[AssetKey(name) for name in READS],
    group_name="report",
    kinds={"python", "html"},
    owners=OWNERS,
    pool=STORE_POOL,
    tags={CADENCE_TAG: "weekly"},
    freshness_policy=WEEKLY_FRESHNESS,
    retry_policy=RETRY_POLICY,
    description=(
        "The weekly economics report (report.json, an offline report.html with charts) for the "
        "partition's Monday..Sunday, compared with the week before; posted to the report "
        "webhook when one is set."
    ),
)
def weekly_report(
    context: AssetExecutionContext, clickhouse: ClickHouseResource
) -> MaterializeResult:
    window = context.partition_time_window
    span = Span(window.start.date(), window.end.date() - report.DAY)
    out = report.default_out(span)
    numbers = report.write_report(clickhouse.store(), span, out)
    delivered = delivery.deliver(numbers, context.log)
    return MaterializeResult(
        metadata={
            "summary": MetadataValue.md(page.markdown(numbers)),
            "report": MetadataValue.path(str((out / "report.html").resolve())),
            "total_pollen": numbers["total_pollen"],
            "paid_share": numbers["paid_share"],
            "active_users": numbers["active_users"],
            "webhook": WEBHOOK_OUTCOME[delivered],
        }
    )


weekly_report_job = define_asset_job(
    "pollen_weekly_report",
    selection=[weekly_report],
    partitions_def=weeks,
    description="Write (and post) the report of the week that ended.",
)
weekly_report_schedule = build_schedule_from_partitioned_job(
    weekly_report_job,
    hour_of_day=3,
    minute_of_hour=30,
    default_status=DefaultScheduleStatus.RUNNING,
)
