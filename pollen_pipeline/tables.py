"""The tables of the store: the raw events table and the summary tables built from it."""

from __future__ import annotations

import string

from pollen_pipeline.clickhouse import Store, TableSpec, render, sql_text

RAW_TABLE = "generation_event"

EVENT_FACTS_HOURLY = TableSpec("event_facts_hourly", "hour")
USAGE_HOURLY = TableSpec("usage_hourly", "hour")
USER_DAILY = TableSpec("user_daily", "day", grain="day")
APP_DAILY = TableSpec("app_daily", "day", grain="day")
MODEL_DAILY = TableSpec("model_daily", "day", grain="day")
DATA_QUALITY_DAILY = TableSpec("data_quality_daily", "day", grain="day")

SUMMARY_TABLES = (
    EVENT_FACTS_HOURLY,
    USAGE_HOURLY,
    USER_DAILY,
    APP_DAILY,
    MODEL_DAILY,
    DATA_QUALITY_DAILY,
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
    for name in (RAW_TABLE, *(spec.name for spec in SUMMARY_TABLES)):
        if name not in existing:
            store.command(_ddl(name, store.database))
            created.append(name)
    return created


def select_sql(spec: TableSpec, store: Store, raw_table: str) -> str:
    """The SELECT that computes ``spec`` for a bound window, with contract fragments filled in."""
    return render(
        sql_text(spec.name),
        raw_table=raw_table,
        facts=store.table(EVENT_FACTS_HOURLY.name),
    )
