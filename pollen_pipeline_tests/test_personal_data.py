"""Personal data of the side sources never leaves their raw tables: summaries hold ids.

The lists are the research of issue 22 (each datasource file read column by column): what a
person could be recognised or reached by, or a key could be rebuilt from. A summary table with a
column of one of these names would carry it out of the raw table.
"""

from __future__ import annotations

import datetime as dt

from pollen_pipeline import catalog
from pollen_pipeline.cli import main
from pollen_pipeline.components.summary_table import plan_of
from pollen_pipeline_tests.databases import materialize

PERSONAL = {
    "d1_user": {"name", "email", "image", "github_id", "github_username", "ban_reason"},
    "d1_apikey": {"name", "start", "prefix", "metadata"},
    "app_directory": {"github_username", "github_user_id", "discord_username", "other"},
    "app_category_map": {"github_user_id"},
    "tier_event": set(),  # ids only
    "stripe_event": {"customer_email", "payload"},
    "polar_event": {"payload", "customer_id"},
    "product_event": set(),  # ids only (D1 user ids, flow and public app ids, referring hosts)
    "scoring_snapshot": {"github_username"},
}


# Synthetic BYOP keys start on 2026-01-01 (README, "Synthetic data"), after this test's range.
EMPTY_ON_SYNTHETIC_DATA = {"byop_key_daily"}


def columns(store, table: str) -> set[str]:
    return {row[0] for row in store.rows(f"DESCRIBE TABLE {store.table(table)}")}


def test_the_lists_name_columns_the_side_sources_have(store):
    assert sorted(PERSONAL) == sorted(set(catalog.raw_tables()) - set(catalog.EVENT_TABLES))
    for source, personal in PERSONAL.items():
        assert personal <= columns(store, source), source


def leaks(store, tables: list[str]) -> dict[str, list[str]]:
    """Table -> the personal columns it has, for the tables that have any."""
    personal = set().union(*PERSONAL.values())
    found = {table: sorted(columns(store, table) & personal) for table in tables}
    return {table: names for table, names in found.items() if names}


def test_no_summary_table_has_a_personal_column_of_a_side_source(store):
    assert leaks(store, catalog.summary_tables()) == {}


def test_a_summary_carrying_an_email_would_be_caught(store):
    store.command(
        f"CREATE TABLE {store.table('probe_daily')} (day Date, user_id String, email String) "
        "ENGINE = MergeTree ORDER BY day"
    )
    assert leaks(store, ["probe_daily", "user_daily"]) == {"probe_daily": ["email"]}


def test_no_value_of_a_personal_column_reaches_the_tables_reading_side_sources(store):
    """On synthetic data: every string cell of every table built from a side source is
    compared with every value of every personal column."""
    start, days = dt.date(2025, 11, 25), 10
    assert main(["generate", "--start", str(start), "--days", str(days), "--seed", "3"]) == 0
    readers = [
        name for name in catalog.summary_tables() if set(plan_of(name).side_sources) & set(PERSONAL)
    ]
    assert sorted(readers) == [
        "account_daily",
        "api_key_owner_daily",
        "byop_key_daily",
        "category_usage_daily",
        "checkout_daily",
        "devshare_daily",
        "directory_app_daily",
        "directory_listing_daily",
        "directory_usage_daily",
        "key_owner_daily",
        "payments_daily",
        "product_funnel_daily",
        "scoped_usage_daily",
        "tier_moves_daily",
        "user_accounts_daily",
    ]
    # directory_usage_daily and category_usage_daily roll up scoped_user_key_daily, a rollup of
    # the facts
    upstream = ("event_facts_daily", "scoped_user_key_daily")
    materialize(start, start + dt.timedelta(days=days - 1), *upstream, *readers)
    personal = set()
    for source, names in PERSONAL.items():
        for name in names:
            personal |= {
                row[0]
                for row in store.rows(
                    f"SELECT DISTINCT toString({name}) FROM {store.table(source)} "
                    f"WHERE {name} IS NOT NULL AND toString({name}) != ''"
                )
            }
    assert len(personal) > 100  # e-mails, names, usernames, payloads of the synthetic users
    for table in readers:
        strings = [
            row[0]
            for row in store.rows(f"DESCRIBE TABLE {store.table(table)}")
            # a uniq state holds hashes of its values, not the values
            if "String" in row[1] and not row[1].startswith("AggregateFunction")
        ]
        cells = {
            value
            for column in strings
            for (value,) in store.rows(f"SELECT DISTINCT {column} FROM {store.table(table)}")
        }
        assert cells or table in EMPTY_ON_SYNTHETIC_DATA, table
        assert not cells & personal, table
