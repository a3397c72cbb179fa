"""Usage assets: the daily breakdowns the "Pollen Usage & Cost" dashboard needs beyond the core
tables (referrer domains, API routes, routing, an app's model mix).

Each rolls up from ``event_facts_hourly`` inside ClickHouse (no new scan of raw events), under
the economics contract (ROUTER out), with the same partitions, atomic writes, reconciliation
with raw events and pandera checks as the core daily tables.
"""

from __future__ import annotations

import pandera.pandas as pa

from pollen_pipeline import tables
from pollen_pipeline.assets.core import FACTS
from pollen_pipeline.assets.factory import SummaryTable, build_summary_asset
from pollen_pipeline.checks import usage_schemas
from pollen_pipeline.clickhouse import TableSpec
from pollen_pipeline.partitions import daily_partitions


def _usage_table(
    spec: TableSpec, description: str, schema: type[pa.DataFrameModel]
) -> SummaryTable:
    # Under the economics contract (ROUTER out), like the core daily tables it sits next to:
    # reconciled with raw events per day, blocking on a mismatch.
    return SummaryTable(
        spec=spec,
        partitions=daily_partitions,
        upstream=FACTS,
        description=description,
        reconcile_scope="economics",
        group="usage",
        schema=schema,
    )


USAGE_TABLES = (
    _usage_table(
        tables.REFERRER_DAILY,
        "Per referrer domain x app x UTC day: paid vs free Pollen, requests, tokens. Where "
        "usage comes from (an end-user distribution proxy); the app in the grain makes apps "
        "per domain and the top app exact over any range.",
        usage_schemas.ReferrerDaily,
    ),
    _usage_table(
        tables.REQUEST_PATH_DAILY,
        "Per API route x tier x key type x UTC day: paid vs free Pollen, billed / unbilled and "
        "cache-hit requests. Which API surface consumes the budget, and billing leakage.",
        usage_schemas.RequestPathDaily,
    ),
    _usage_table(
        tables.ROUTING_DAILY,
        "Per requested model x used model x provider x UTC day: routing integrity, i.e. when "
        "what was requested is not what served it, and what that cost.",
        usage_schemas.RoutingDaily,
    ),
    _usage_table(
        tables.APP_MODEL_DAILY,
        "Per app x requested model x UTC day: an app's model mix, for the app drill-down.",
        usage_schemas.AppModelDaily,
    ),
)

usage_assets = [build_summary_asset(table) for table in USAGE_TABLES]
USAGE_DAILY = [table.spec.name for table in USAGE_TABLES]
