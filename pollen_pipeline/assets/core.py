"""Core assets: raw events to the hourly and daily summary tables everything else reads.

Raw events are scanned once, into ``event_facts_hourly``; the usage, user, app, model and
data-quality tables roll up from it inside ClickHouse.
"""

from __future__ import annotations

import datetime as dt

from dagster import AssetKey, AssetSpec

from pollen_pipeline import tables
from pollen_pipeline.assets.factory import OWNERS, ExtraCheck, SummaryTable, build_summary_asset
from pollen_pipeline.checks import core as checks
from pollen_pipeline.checks import names, schemas
from pollen_pipeline.partitions import daily_partitions, hourly_partitions

generation_event = AssetSpec(
    key=tables.RAW_TABLE,
    description=(
        "One row per API request, written by the gateway (enter.pollinations.ai) to Tinybird. "
        "Read in place: in the store, or on POLLEN_SOURCE_CLICKHOUSE_URL when set."
    ),
    kinds={"clickhouse"},
    owners=OWNERS,
    group_name="raw",
)

FACTS = AssetKey(tables.EVENT_FACTS_HOURLY.name)

CORE_TABLES = (
    SummaryTable(
        spec=tables.EVENT_FACTS_HOURLY,
        partitions=hourly_partitions,
        upstream=generation_event.key,
        description=(
            "Every raw event of the hour, grouped at the finest grain any summary needs and "
            "tagged with the contract filter that removed it ('ok' if none). The one full "
            "scan of raw events: every economics and usage table rolls up from here (only "
            "health_hourly reads a few narrow raw columns of its own)."
        ),
        reconcile_scope="all",
        reads_raw=True,
        # The scan's hash table holds every fine group of a chunk: six hours bound its memory
        # to a quarter of a day's (measured: see benchmarks/README.md) at no extra time.
        chunk=dt.timedelta(hours=6),
        events_column="events",
        pollen_column="price_sum",
        meter_columns=False,
    ),
    SummaryTable(
        spec=tables.USAGE_HOURLY,
        partitions=hourly_partitions,
        upstream=FACTS,
        description=(
            "Hourly paid (pack) vs free (tier) Pollen by model, tier and key type. ROUTER is "
            "kept with is_router = 1 so its share of consumption can be shown; economics "
            "panels filter is_router = 0. Short-range Grafana panels read this table."
        ),
        reconcile_scope="usage",
        schema=schemas.UsageHourly,
    ),
    SummaryTable(
        spec=tables.USER_DAILY,
        partitions=daily_partitions,
        upstream=FACTS,
        description=(
            "Per developer and UTC day: paid vs free Pollen, end-user (BYOP) spend, breadth "
            "of models and apps, and the day's first tier and pack events, which drive the "
            "tier-to-pack conversion cohorts. Answers 'who actually spends'."
        ),
        reconcile_scope="economics",
        schema=schemas.UserDaily,
    ),
    SummaryTable(
        spec=tables.APP_DAILY,
        partitions=daily_partitions,
        upstream=FACTS,
        description=(
            "Per app (API key) and UTC day: paid vs free Pollen, owner and reach (referrer "
            "domains). Unnamed keys stay in totals, flagged is_named_app = 0 for rankings. "
            "Answers 'which apps to fund'."
        ),
        reconcile_scope="economics",
        schema=schemas.AppDaily,
    ),
    SummaryTable(
        spec=tables.MODEL_DAILY,
        partitions=daily_partitions,
        upstream=FACTS,
        description=(
            "Per requested model, tier and key type and UTC day: paid vs free Pollen, users "
            "and the main provider. Answers 'which models are healthy, which burn subsidy'."
        ),
        reconcile_scope="economics",
        schema=schemas.ModelDaily,
    ),
    SummaryTable(
        spec=tables.DATA_QUALITY_DAILY,
        partitions=daily_partitions,
        upstream=FACTS,
        description=(
            "Per UTC day: raw events and what each contract filter removed (non-2xx, zero "
            "price, bug window, ROUTER, other meters, unnamed apps). The meter check here is "
            "how the next meter bug gets caught."
        ),
        reconcile_scope="all",
        schema=schemas.DataQualityDaily,
        events_column="raw_events",
        pollen_column="raw_pollen",
        meter_columns=False,
        extra_checks=(
            ExtraCheck(
                names.METER_CLASSIFICATION,
                "At most 1% of a day's billable Pollen on meters that are neither pack nor "
                "tier. WARN, not blocking: the numbers stay correct under the contract, but "
                "someone must look upstream.",
                checks.check_meter_classification,
            ),
        ),
    ),
)

core_assets = [build_summary_asset(table) for table in CORE_TABLES]
HOURLY_CORE = [table.spec.name for table in CORE_TABLES if table.partitions is hourly_partitions]
DAILY_CORE = [table.spec.name for table in CORE_TABLES if table.partitions is daily_partitions]
