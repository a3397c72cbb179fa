"""The tables of the store: the raw events table and the summary tables built from it."""

from __future__ import annotations

import string

from pollen_pipeline import economics, health
from pollen_pipeline.clickhouse import Store, TableSpec, render, sql_text

RAW_TABLE = "generation_event"
# Written by `pollen load`: lines that could not be loaded, and the files already loaded.
REJECTED_TABLE = "generation_event_rejected"
LEDGER_TABLE = "load_ledger"
# Every asset-check evaluation, written from inside the run (issue 5), for Grafana.
CHECK_RESULTS_TABLE = "pipeline_check_results"

EVENT_FACTS_HOURLY = TableSpec("event_facts_hourly", "hour")
USAGE_HOURLY = TableSpec("usage_hourly", "hour")
USER_DAILY = TableSpec("user_daily", "day", grain="day")
APP_DAILY = TableSpec("app_daily", "day", grain="day")
MODEL_DAILY = TableSpec("model_daily", "day", grain="day")
DATA_QUALITY_DAILY = TableSpec("data_quality_daily", "day", grain="day")
# Economics tables (issue 3): derived from the daily summaries, one partition per as_of day.
USER_COHORT = TableSpec("user_cohort", "as_of", grain="day")
COHORT_CONVERSION_DAILY = TableSpec("cohort_conversion_daily", "as_of", grain="day")
USER_WINDOWS = TableSpec("user_windows", "as_of", grain="day")
APP_WINDOWS = TableSpec("app_windows", "as_of", grain="day")
MODEL_WINDOWS = TableSpec("model_windows", "as_of", grain="day")
SPIKES_DAILY = TableSpec("spikes_daily", "as_of", grain="day")
USER_SEGMENTS = TableSpec("user_segments", "as_of", grain="day")
TIER_OVERLAY_DAILY = TableSpec("tier_overlay_daily", "as_of", grain="day")
# Usage tables (issue 4): daily breakdowns for the "Pollen Usage & Cost" dashboard.
REFERRER_DAILY = TableSpec("referrer_daily", "day", grain="day")
REQUEST_PATH_DAILY = TableSpec("request_path_daily", "day", grain="day")
ROUTING_DAILY = TableSpec("routing_daily", "day", grain="day")
APP_MODEL_DAILY = TableSpec("app_model_daily", "day", grain="day")
# Platform health (issue 7): every production event, by hour, provider and model.
HEALTH_HOURLY = TableSpec("health_hourly", "hour")

SUMMARY_TABLES = (
    EVENT_FACTS_HOURLY,
    USAGE_HOURLY,
    USER_DAILY,
    APP_DAILY,
    MODEL_DAILY,
    DATA_QUALITY_DAILY,
    USER_COHORT,
    COHORT_CONVERSION_DAILY,
    USER_WINDOWS,
    APP_WINDOWS,
    MODEL_WINDOWS,
    SPIKES_DAILY,
    USER_SEGMENTS,
    TIER_OVERLAY_DAILY,
    REFERRER_DAILY,
    REQUEST_PATH_DAILY,
    ROUTING_DAILY,
    APP_MODEL_DAILY,
    HEALTH_HOURLY,
)


def _ddl(name: str, database: str) -> str:
    return string.Template(sql_text(f"ddl/{name}")).substitute(database=database)


def init_store(store: Store) -> list[str]:
    """Create the database and every missing table; return the tables that were created.

    Idempotent. An existing raw table is never altered: it belongs to whoever loads events.
    """
    store.command(f"CREATE DATABASE IF NOT EXISTS {store.database}")
    existing = {
        row[0]
        for row in store.rows(
            "SELECT name FROM system.tables WHERE database = {database:String}",
            {"database": store.database},
        )
    }
    created = []
    logs = (REJECTED_TABLE, LEDGER_TABLE, CHECK_RESULTS_TABLE)
    for name in (RAW_TABLE, *logs, *(spec.name for spec in SUMMARY_TABLES)):
        if name not in existing:
            store.command(_ddl(name, store.database))
            created.append(name)
    return created


def select_sql(spec: TableSpec, store: Store, raw_table: str) -> str:
    """The SELECT that computes ``spec`` for a bound window, with contract fragments filled in.

    Tables derived from summaries name them as ``$<table>``; the economics tables also take the
    window and threshold fragments of ``economics``.
    """
    return render(
        sql_text(spec.name),
        raw_table=raw_table,
        facts=store.table(EVENT_FACTS_HOURLY.name),
        **{table.name: store.table(table.name) for table in SUMMARY_TABLES},
        **economics.fragments(),
        **health.fragments(),
    )
