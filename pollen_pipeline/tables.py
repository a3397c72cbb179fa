"""The tables of the store: the raw events table and the summary tables built from it."""

from __future__ import annotations

import string

from pollen_pipeline import cluster, economics, health
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


def _ddl(name: str, store: Store) -> list[str]:
    """The statements creating table ``name``: its DDL file as is, or rewritten for a cluster."""
    template = sql_text(f"ddl/{name}")
    if store.cluster:
        return cluster.cluster_table_ddl(template, store.database, store.cluster, name)
    return [string.Template(template).substitute(database=store.database)]


def _database_ddl(store: Store) -> str:
    if store.cluster:
        return cluster.cluster_database_ddl(store.database, store.cluster)
    return f"CREATE DATABASE IF NOT EXISTS {store.database}"


def init_store(store: Store) -> list[str]:
    """Create the database and every missing table; return the tables that were created.

    Idempotent. An existing raw table is never altered: it belongs to whoever loads events. A
    summary table whose columns differ from its DDL (left by an older version) is recreated
    empty and listed as created: re-materialize it.
    With ``store.cluster`` set, each table is a Replicated ``<name>_local`` plus a Distributed
    ``<name>`` (``pollen_pipeline.cluster``); both statements are ``IF NOT EXISTS``, so a table
    whose Distributed half is missing gets just that.
    """
    store.command(_database_ddl(store))
    existing = {
        row[0]
        for row in store.rows(
            "SELECT name FROM system.tables WHERE database = {database:String}",
            {"database": store.database},
        )
    }
    created = []
    logs = (REJECTED_TABLE, LEDGER_TABLE, CHECK_RESULTS_TABLE)
    summaries = [spec.name for spec in SUMMARY_TABLES]
    outdated = [name for name in summaries if name in existing and _outdated(store, name)]
    for name in outdated:  # derived data: rebuilt by re-materializing, never migrated in place
        store.command(f"DROP TABLE {store.table(name)}")
        existing.discard(name)
    for name in (RAW_TABLE, *logs, *summaries):
        if name not in existing:
            for statement in _ddl(name, store):
                store.command(statement)
            created.append(name)
    return created


def _columns(store: Store, name: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in store.rows(f"DESCRIBE TABLE {store.table(name)}")]


def _outdated(store: Store, name: str) -> bool:
    """Whether summary table ``name`` exists with other columns than its DDL file now gives
    (a newer pipeline version): compared through a probe table built from the DDL."""
    if store.cluster:
        return False  # on a cluster, schema changes are an operator's migration
    probe = f"_probe_{name}"
    template = sql_text(f"ddl/{name}").replace(
        f"${{database}}.{name}\n", f"${{database}}.{probe}\n"
    )
    store.command(f"DROP TABLE IF EXISTS {store.table(probe)}")
    store.command(string.Template(template).substitute(database=store.database))
    try:
        return _columns(store, name) != _columns(store, probe)
    finally:
        store.command(f"DROP TABLE IF EXISTS {store.table(probe)}")


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
