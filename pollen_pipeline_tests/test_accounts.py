"""user_accounts_daily and payments_daily from hand-made side-source rows, their numbers
computed here in plain Python; and what an absent side source does on a separate source."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest

from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.store import Store
from pollen_pipeline_tests.databases import materialize
from pollen_pipeline_tests.side_rows import account, at, epoch, insert, passed_checks, polar, stripe

DAY1, DAY2 = dt.date(2026, 1, 5), dt.date(2026, 1, 6)
UTC = dt.UTC


# Day 1 is synced twice: only the 23:50 snapshot counts (u9 was deleted before it). Day 2's
# only snapshot adds u4 (signed up that day) and bans u2.
SYNC1_EARLY, SYNC1, SYNC2 = at(DAY1, 6), at(DAY1, 23, 50), at(DAY2, 23, 50)
ACCOUNTS = [
    account("u9", SYNC1_EARLY, "seed", created_at=epoch(DAY1, 1), pack_balance=99.0),
    account("u1", SYNC1_EARLY, "seed", created_at=epoch(DAY1, 1)),
    account("u1", SYNC1, "seed", created_at=epoch(DAY1, 1), tier_balance=2.5, pack_balance=4.0),
    account("u2", SYNC1, "seed", created_at=epoch(DAY1 - dt.timedelta(days=30), 9)),
    account("u3", SYNC1, "flower", created_at=None, tier_balance=-0.25),
    account("u1", SYNC2, "seed", created_at=epoch(DAY1, 1), tier_balance=1.0, pack_balance=3.0),
    account("u2", SYNC2, "seed", created_at=epoch(DAY1 - dt.timedelta(days=30), 9), banned=1),
    account("u3", SYNC2, "nectar", created_at=None, pack_balance=10.0),
    account("u4", SYNC2, "nectar", created_at=epoch(DAY2, 23)),
]


def expected_accounts(rows: list[dict[str, Any]]) -> dict[tuple, tuple]:
    last = {}
    for row in rows:
        day = row["synced_at"].date()
        last[day] = max(last.get(day, row["synced_at"]), row["synced_at"])
    out: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, 0, 0.0, 0.0])
    for row in rows:
        day = row["synced_at"].date()
        if row["synced_at"] != last[day]:
            continue
        sums = out[(day, row["tier"])]
        created = row.get("created_at")
        sums[0] += 1
        sums[1] += created is not None and dt.datetime.fromtimestamp(created, UTC).date() == day
        sums[2] += row.get("banned", 0) == 1
        sums[3] += (row.get("pack_balance") or 0) > 0
        sums[4] += row.get("tier_balance") or 0.0
        sums[5] += row.get("pack_balance") or 0.0
    return {key: tuple(values) for key, values in out.items()}


def table_rows(store, table: str, keys: int) -> dict[tuple, tuple]:
    rows = store.rows(f"SELECT * FROM {store.table(table)} ORDER BY ALL")
    return {tuple(row[:keys]): tuple(row[keys:]) for row in rows}


def test_user_accounts_daily_counts_each_days_last_snapshot(store):
    insert(store, "d1_user", ACCOUNTS)
    result = materialize(DAY1, DAY2, "user_accounts_daily")
    got = table_rows(store, "user_accounts_daily", 2)
    assert got == expected_accounts(ACCOUNTS)
    # by hand: day 1 seed = u1 (signed up that day, 4.0 pack) + u2; flower = u3 (NULL created)
    assert got[(DAY1, "seed")] == (2, 1, 0, 1, 2.5, 4.0)
    assert got[(DAY2, "nectar")] == (2, 1, 0, 1, 0.0, 10.0)
    assert got[(DAY2, "seed")] == (2, 0, 1, 1, 1.0, 3.0)
    assert all(passed_checks(result).values()) and len(passed_checks(result)) == 2


STRIPE = [
    stripe(at(DAY1, 10), "u1", 1000),
    stripe(at(DAY1, 11), "u1", 2500),
    stripe(at(DAY1, 12), "u2", 500, currency="eur"),
    stripe(at(DAY1, 13), "u3", 999, livemode=0),  # a test-mode checkout: no sale
    stripe(at(DAY2, 0), "u3", 5000, event_type="checkout.session.expired", payment_status="unpaid"),
]
POLAR = [polar(at(DAY1, 9), "u4", 1000), polar(at(DAY1, 23, 59), "u5", 2000)]


def test_payments_daily_counts_packs_sold_by_provider_status_and_currency(store):
    insert(store, "stripe_event", STRIPE)
    insert(store, "polar_event", POLAR)
    result = materialize(DAY1, DAY2, "payments_daily")
    completed, expired = "checkout.session.completed", "checkout.session.expired"
    # by hand: (payments, payers, amount in the currency's units)
    assert table_rows(store, "payments_daily", 5) == {
        (DAY1, "polar", "order.paid", "paid", "eur"): (2, 2, 30.0),
        (DAY1, "stripe", completed, "paid", "eur"): (1, 1, 5.0),
        (DAY1, "stripe", completed, "paid", "usd"): (2, 1, 35.0),
        (DAY2, "stripe", expired, "unpaid", "usd"): (1, 1, 50.0),
    }
    assert all(passed_checks(result).values())


@pytest.fixture
def separate_source(store, store_url, monkeypatch):
    """The source is another client of the same store (chdb holds one path per process), the
    raw events named in its database; polar_event is named where there is none."""
    monkeypatch.setenv("POLLEN_SOURCE_CLICKHOUSE_URL", store_url)
    monkeypatch.setenv("POLLEN_SOURCE_TABLE", store.table("generation_event"))
    monkeypatch.setenv("POLLEN_SOURCE_POLAR_EVENT_TABLE", store.table("no_polar_event"))
    return store


def test_side_sources_are_read_on_the_source_and_an_absent_one_leaves_its_table_empty(
    separate_source,
):
    store = separate_source
    insert(store, "d1_user", ACCOUNTS)
    insert(store, "stripe_event", STRIPE)
    insert(store, "payments_daily", [{"day": DAY1, "provider": "stripe", "payments": 7}])
    result = materialize(DAY1, DAY2, "user_accounts_daily", "payments_daily")
    assert table_rows(store, "user_accounts_daily", 2) == expected_accounts(ACCOUNTS)
    assert store.scalar(f"SELECT count() FROM {store.table('payments_daily')}") == 0
    notes = {
        event.asset_key.path[-1]: event.materialization.metadata.get("note")
        for event in result.get_asset_materialization_events()
    }
    assert notes["payments_daily"].value == (
        f"polar_event absent on the source ({store.table('no_polar_event')}): no rows"
    )
    assert notes["user_accounts_daily"] is None


class ReadOnlyClient:
    """A client that refuses what Tinybird's read-only ClickHouse interface refuses: any write
    and any setting changed by a query; it records what it was asked to read."""

    def __init__(self, client: Any, reads: list[str]) -> None:
        self._client, self.reads = client, reads

    def _read(self, method: str, sql: str, parameters: Any = None, **kwargs: Any) -> Any:
        if kwargs.get("settings"):
            raise PermissionError(f"read-only source: settings {kwargs['settings']}")
        self.reads.append(sql)
        return getattr(self._client, method)(sql, parameters=parameters, **kwargs)

    def query(self, sql: str, parameters: Any = None, **kwargs: Any) -> Any:
        return self._read("query", sql, parameters, **kwargs)

    def query_arrow(self, sql: str, parameters: Any = None, **kwargs: Any) -> Any:
        return self._read("query_arrow", sql, parameters, **kwargs)

    def query_df(self, sql: str, parameters: Any = None, **kwargs: Any) -> Any:
        return self._read("query_df", sql, parameters, **kwargs)

    def __getattr__(self, name: str) -> Any:  # command, insert*, set_client_setting ...
        raise PermissionError(f"read-only source: {name}")


def test_side_sources_load_through_a_source_that_refuses_writes_and_settings(
    separate_source, monkeypatch
):
    store, reads = separate_source, []
    monkeypatch.delenv("POLLEN_SOURCE_POLAR_EVENT_TABLE")
    connect_source = ClickHouseResource.source

    def read_only_source(resource: ClickHouseResource) -> Store:
        source = connect_source(resource)
        client = ReadOnlyClient(source.client, reads)
        return Store(client, source.database, exclusions=source.exclusions)

    monkeypatch.setattr(ClickHouseResource, "source", read_only_source)
    insert(store, "d1_user", ACCOUNTS)
    insert(store, "stripe_event", STRIPE)
    insert(store, "polar_event", POLAR)
    result = materialize(DAY1, DAY2, "user_accounts_daily", "payments_daily")
    assert all(passed_checks(result).values())
    assert table_rows(store, "user_accounts_daily", 2) == expected_accounts(ACCOUNTS)
    assert store.scalar(f"SELECT sum(amount) FROM {store.table('payments_daily')}") == 120.0
    # both SELECTs and the recount ran on the source, reading the side tables there
    for table in ("d1_user", "stripe_event", "polar_event"):
        assert any(f"FROM {store.table(table)}" in sql for sql in reads), table


def test_an_absent_snapshot_table_leaves_accounts_empty_with_their_check_passing(store):
    store.command(f"DROP TABLE {store.table('d1_user')}")
    result = materialize(DAY1, DAY2, "user_accounts_daily")
    assert store.scalar(f"SELECT count() FROM {store.table('user_accounts_daily')}") == 0
    assert passed_checks(result) and all(passed_checks(result).values())
