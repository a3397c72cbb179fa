"""The side sources (the team's workspace's D1 snapshots, app directory, tier and payment
events, scoring snapshots; our APPS.md category map): tables as their datasource files define
them, loaded by ``pollen load --table`` with the events' guarantees (rejects kept with a reason,
a file loaded once)."""

from __future__ import annotations

import json
import re

import pytest
from dagster import AssetKey

from pollen_pipeline import catalog
from pollen_pipeline.cli import main
from pollen_pipeline_tests.databases import definitions
from pollen_pipeline_tests.event_files import write_csv, write_ndjson

SIDE_SOURCES = [
    "app_category_map",
    "app_directory",
    "d1_apikey",
    "d1_user",
    "polar_event",
    "product_event",
    "scoring_snapshot",
    "stripe_event",
    "tier_event",
]
# A column of a SCHEMA > block: `name` Type `json:$.path` [DEFAULT ...]
SCHEMA_LINE = re.compile(r"^\s*`(\w+)`\s+(.+?)\s+`json:\$\.(\w+)`", re.M)


def datasource_columns(name: str) -> list[tuple[str, str]]:
    text = (catalog.table_folders()[name] / f"{name}.datasource").read_text()
    schema = text.split("SCHEMA >", 1)[1].split("ENGINE", 1)[0]
    return [(column, kind) for column, kind, _ in SCHEMA_LINE.findall(schema)]


def described(store, table: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in store.rows(f"DESCRIBE TABLE {store.table(table)}")]


def count(store, table: str) -> int:
    return store.scalar(f"SELECT count() FROM {store.table(table)}")


def test_every_side_source_is_a_raw_table_with_its_datasource_columns(store):
    assert sorted(set(catalog.raw_tables()) - set(catalog.EVENT_TABLES)) == SIDE_SOURCES
    for name in SIDE_SOURCES:
        expected = datasource_columns(name)
        assert len(expected) >= 6, name  # the pattern read the whole block
        if name == "app_directory":  # Tinybird replaces it daily; here each sync keeps its day
            expected.append(("synced_at", "DateTime"))
        assert described(store, name) == expected, name
        assert described(store, f"{name}_rejected") == described(store, catalog.REJECTED_TABLE)


def test_dagster_shows_each_side_source_as_a_source_asset_it_never_materializes():
    graph = definitions().resolve_asset_graph()
    for name in SIDE_SOURCES:
        node = graph.get(AssetKey(name))
        assert (node.is_materializable, node.group_name) == (False, "raw"), name
        assert node.metadata["kind"] in ("snapshot", "events"), name
    readers = {key.path[-1] for key in graph.get(AssetKey("d1_user")).child_keys}
    assert readers == {
        "user_accounts_daily",
        "directory_app_daily",
        "account_daily",
        "scoped_usage_daily",
        "devshare_daily",
    }


USERS = [
    {
        "id": "u1",
        "name": "Ada L.",
        "email": "ada@example.org",
        "created_at": 1767225600,
        "banned": 0,
        "github_id": 123,
        "github_username": "ada",
        "tier": "seed",
        "pack_balance": 12.5,
        "synced_at": "2026-01-05 23:50:00",
    },
    # only what a record must give: the rest takes the table's defaults (NULL, 0, 'microbe')
    {"id": "u2", "synced_at": "2026-01-05T23:50:00Z"},
]
BROKEN_USERS = [
    ('{"name": "no id", "synced_at": "2026-01-05 23:50:00"}', "missing id"),
    ('{"id": "u3"}', "missing synced_at"),
    ('{"id": "u4", "synced_at": "soon"}', "synced_at is not a valid DateTime"),
    ('{"id": "u5", "synced_at": "2026-01-05 23:50:00", "banned": "yes"}', "banned is not a valid"),
    (
        '{"id": "u6", "synced_at": "2026-01-05 23:50:00", "github_id": 99999999999}',
        "github_id is not a valid Int32",
    ),
    ('{"id": "u7", "synced_at": "2025-01-01 00:00:00"}', "before POLLEN_START_DATE"),
    ("not json", "not valid JSON"),
]


def test_a_d1_user_export_loads_once_and_keeps_its_rejects(store, tmp_path, capsys):
    lines = [*USERS, *(text for text, _ in BROKEN_USERS)]
    path = write_ndjson(tmp_path / "users.ndjson", lines)

    assert main(["load", "--table", "d1_user", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"loaded 2 rows, rejected {len(BROKEN_USERS)}" in out
    assert f"SELECT * FROM {store.table('d1_user_rejected')}" in out
    rows = store.rows(
        "SELECT id, name, email, created_at, banned, github_id, github_username, tier, "
        "pack_balance, toString(synced_at, 'UTC') "
        f"FROM {store.table('d1_user')} ORDER BY id"
    )
    assert rows == [
        ("u1", "Ada L.", "ada@example.org", 1767225600, 0, 123, "ada", "seed", 12.5,
         "2026-01-05 23:50:00"),
        ("u2", "", "", None, 0, None, None, "microbe", None, "2026-01-05 23:50:00"),
    ]  # fmt: skip
    rejected = store.rows(
        f"SELECT line, reason, raw FROM {store.table('d1_user_rejected')} ORDER BY line"
    )
    assert [line for line, *_ in rejected] == list(range(3, 3 + len(BROKEN_USERS)))
    for (_, reason, raw), (text, expected) in zip(rejected, BROKEN_USERS, strict=True):
        assert expected in reason and raw == text, (reason, expected)
    assert count(store, catalog.REJECTED_TABLE) == 0  # the events' rejects are their own

    assert main(["load", "--table", "d1_user", str(path)]) == 1
    assert "already loaded on" in capsys.readouterr().out
    assert count(store, "d1_user") == 2
    assert count(store, "d1_user_rejected") == len(BROKEN_USERS)


def test_a_stripe_csv_export_keeps_its_payloads_whole(store, tmp_path):
    payload = {"id": "cs_1", "customer_details": {"email": "x@y.z"}, "note": 'a, "quoted"\nline'}
    rows = [
        {
            "timestamp": "2026-01-06 10:00:00",
            "event_type": "checkout.session.completed",
            "event_id": f"evt_{n}",
            "user_id": f"u{n}",
            "amount_cents": 1000 * (n + 1),
            "currency": "usd",
            "payment_status": "paid",
            "livemode": 1,
            "payload": json.dumps(payload),
        }
        for n in range(3)
    ]
    rows.append({**rows[0], "event_id": "evt_bad", "amount_cents": "ten dollars"})
    path = write_csv(tmp_path / "stripe.csv", rows)
    assert main(["load", "--table", "stripe_event", str(path)]) == 1
    assert store.rows(
        f"SELECT count(), sum(amount_cents), any(payload) FROM {store.table('stripe_event')}"
    ) == [(3, 6000, json.dumps(payload))]
    reason = store.scalar(f"SELECT reason FROM {store.table('stripe_event_rejected')}")
    assert reason == "amount_cents is not a valid Int32: ten dollars"


@pytest.mark.parametrize(
    ("table", "record", "loaded"),
    [
        ("tier_event", {"event_type": "tier_refill", "timestamp": "2026-01-06 00:00:00"}, 1),
        ("tier_event", {"event_type": "tier_refill"}, 0),  # no time: Tinybird would stamp now()
        ("polar_event", {"event_type": "order.paid", "timestamp": "2026-01-06 00:00:00"}, 1),
        ("app_directory", {"name": "pixel-forge", "category": "creative"}, 1),  # synced: now
        ("app_category_map", {"app": "pixel-forge", "category": "image"}, 1),  # loaded: now
        ("app_category_map", {"app": "pixel-forge", "hostname": "pixel-forge.app"}, 0),
        ("scoring_snapshot", {"user_id": "u1", "timestamp": "2026-01-06 01:00:00"}, 1),
        ("d1_apikey", {"id": "k1", "user_id": "u1", "synced_at": "2026-01-06 23:50:00"}, 1),
        ("product_event", {"event": "page_viewed", "timestamp": "2026-01-06 10:00:00"}, 1),
        ("product_event", {"timestamp": "2026-01-06 10:00:00"}, 0),  # no event: nothing to count
    ],
)
def test_each_side_source_takes_a_record_with_what_it_requires(
    store, tmp_path, table, record, loaded
):
    path = write_ndjson(tmp_path / f"{table}.ndjson", [record])
    assert main(["load", "--table", table, str(path)]) == (0 if loaded else 1)
    assert (count(store, table), count(store, f"{table}_rejected")) == (loaded, 1 - loaded)


def test_a_product_event_keeps_its_milliseconds(store, tmp_path):
    """Its time is DateTime64(3): a person's first view of a range is ordered to the ms."""
    record = {"event": "page_viewed", "timestamp": "2026-01-06 10:00:00.125", "user_id": "u1"}
    path = write_ndjson(tmp_path / "product.ndjson", [record])
    assert main(["load", "--table", "product_event", str(path)]) == 0
    table = store.table("product_event")
    assert store.scalar(f"SELECT toUnixTimestamp64Milli(timestamp) FROM {table}") == (
        1767693600125  # 2026-01-06 10:00:00.125 UTC
    )


def test_an_unknown_table_is_a_one_line_error(store, tmp_path, capsys):
    path = write_ndjson(tmp_path / "x.ndjson", [{"id": "u1"}])
    assert main(["load", "--table", "d1_users", str(path)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("pollen: error: no raw table 'd1_users'; the raw tables: ")
    assert "d1_user" in error
