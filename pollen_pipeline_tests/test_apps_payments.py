"""The apps and payments tables (issue 22, item 3) from hand-made events and side-source rows:
directory_app_daily, byop_key_daily, app_category_daily, byop_app_owner_daily and
pack_liability_daily; every expected number is counted by hand in the comments."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from pollen_pipeline_tests.databases import materialize
from pollen_pipeline_tests.events import event, insert_events
from pollen_pipeline_tests.side_rows import at, insert, passed_checks, polar, stripe

DAY0, DAY1, DAY2 = dt.date(2026, 2, 9), dt.date(2026, 2, 10), dt.date(2026, 2, 11)
PACK, TIER = "local:pack", "local:tier"
USERS = {"u1": "1001", "u2": "1002", "u3": "1003"}  # user id -> GitHub id
APPS = ["directory_app_daily", "byop_key_daily", "app_category_daily", "byop_app_owner_daily"]
LEDGER = [
    "model_daily",
    "balance_daily",
    "balance_latest",
    "payments_daily",
    "pack_liability_daily",
]
TABLES = ["event_facts_daily", "app_daily", *APPS, *LEDGER]


def use(when: str, key: str, user: str, name: str, meter: str, price: float, cost: float,
        pack_balance: float = 0.0, **fields: Any) -> dict[str, Any]:  # fmt: skip
    """One request of ``user`` through key ``key`` named ``name``."""
    return event(
        when, api_key_id=key, api_key_name=name, user_id=user, user_github_id=USERS[user],
        user_github_username=f"gh-{user}", selected_meter_slug=meter, total_price=price,
        total_cost=cost, balances={TIER: 3.0, PACK: pack_balance}, **fields,
    )  # fmt: skip


EVENTS = [
    # u1 (alice) lists "alice-app": her key k1 is named after it (case and spaces aside)
    use("2026-02-10 08:00:00", "k1", "u1", "Alice-App ", PACK, 0.7, 0.0, response_status=500),
    use("2026-02-10 09:00:00", "k1", "u1", "Alice-App ", PACK, 1.0, 0.4),
    use("2026-02-10 09:30:00", "k1", "u1", "Alice-App ", TIER, 0.5, 0.2),
    use("2026-02-10 10:00:00", "k2", "u1", "scratch", TIER, 0.3, 0.1),  # not a listed name
    use("2026-02-10 10:30:00", "k3", "u2", "bob-draw", PACK, 2.0, 0.5),
    # BYOP keys minted for alice's app (client cl-alice): carol's and alice's own
    use("2026-02-10 11:00:00", "k4", "u3", "alice-app", PACK, 0.8, 0.3, api_key_type="temporary"),
    use(
        "2026-02-10 12:00:00",
        "k5",
        "u1",
        "alice-app",
        TIER,
        0.2,
        0.05,
        4.0,
        api_key_type="temporary",
    ),
    # k9 was minted for an app but deleted before the day's last key snapshot
    use("2026-02-10 13:00:00", "k9", "u2", "x", PACK, 0.1, 0.02, 1.5, api_key_type="temporary"),
    use("2026-02-11 09:00:00", "k1", "u1", "Alice-App ", TIER, 0.25, 0.1, 3.5),
]


def listing(name: str, category: str, github_id: str, synced: dt.datetime) -> dict[str, Any]:
    personal = {"github_username": f"gh-{github_id}", "discord_username": "d#1"}
    return {"name": name, "category": category, "github_user_id": github_id, **personal,
            "synced_at": synced}  # fmt: skip


# Synced on both days (the same listings: counted once). ghost-app's owner has no D1 account.
DIRECTORY = [
    listing(name, category, github_id, at(day, 23, 50))
    for day in (DAY1, DAY2)
    for name, category, github_id in [
        ("alice-app", "chat", "1001"),
        ("bob-draw", "creative", "1002"),
        ("bob-other", "creative", "1002"),
        ("ghost-app", "games", "9999"),
    ]
]
D1_USERS = [
    {
        "id": user,
        "name": f"Name {user}",
        "email": f"{user}@example.org",
        "github_id": int(github_id),
        "synced_at": at(DAY2, 23, 50),
    }
    for user, github_id in USERS.items()
]


def key(key_id: str, user: str, synced: dt.datetime, **metadata: str) -> dict[str, Any]:
    return {"id": key_id, "name": f"name of {key_id}", "start": "abc", "prefix": "pk_",
            "user_id": user, "created_at": 0, "updated_at": 0,
            "metadata": json.dumps(metadata), "synced_at": synced}  # fmt: skip


APP = {"clientId": "cl-alice", "createdForUserId": "u1", "createdForApp": "alice-app"}
KEYS = [
    key("k9", "u2", at(DAY1, 6), clientId="cl-gone", createdForUserId="u2"),  # early snapshot
    key("k1", "u1", at(DAY1, 23, 50), keyType="secret"),  # the developer's own: no client id
    key("k4", "u3", at(DAY1, 23, 50), **APP),
    key("k5", "u1", at(DAY1, 23, 50), **APP),
    key("k4", "u3", at(DAY2, 23, 50), **APP),
]


@pytest.fixture
def apps_store(store):
    insert_events(store, EVENTS)
    insert(store, "app_directory", DIRECTORY)
    insert(store, "d1_user", D1_USERS)
    insert(store, "d1_apikey", KEYS)
    return store


def rows(store, table: str, keys: int) -> dict[tuple, tuple]:
    got = store.rows(f"SELECT * FROM {store.table(table)} ORDER BY ALL")
    return {tuple(row[:keys]): tuple(row[keys:]) for row in got}


def named(store, table: str, columns: str) -> list[tuple]:
    return store.rows(f"SELECT {columns} FROM {store.table(table)} ORDER BY ALL")


def test_app_categories_and_byop_owners_from_the_directory_and_key_snapshots(apps_store):
    store = apps_store
    result = materialize(DAY1, DAY2, "event_facts_daily", "app_daily", *APPS)
    # 4 listings a day: alice's, bob's two, ghost-app without a D1 owner
    assert named(store, "directory_app_daily", "day, owner_user_id, category") == [
        (day, owner, category)
        for day in (DAY1, DAY2)
        for owner, category in [
            ("", "games"),
            ("u1", "chat"),
            ("u2", "creative"),
            ("u2", "creative"),
        ]
    ]
    # the day's last key snapshot: k4 and k5 on day 1 (k9's snapshot was not the last), k4 on
    # day 2
    assert named(store, "byop_key_daily", "*") == [
        (DAY1, "k4", "cl-alice", "u1"),
        (DAY1, "k5", "cl-alice", "u1"),
        (DAY2, "k4", "cl-alice", "u1"),
    ]
    columns = (
        "day, in_directory, category, apps_listed, apps_used, keys, requests, "
        "round(pack_pollen, 9), round(tier_pollen, 9), round(total_pollen, 9), "
        "round(provider_cost, 9), round(margin_pollen, 9)"
    )
    # by hand, day 1: chat = k1 (1.0 pack + 0.5 tier; the 500 is out) + k4 (0.8 pack: carol
    # through alice's app) + k5 (0.2 tier); creative = k3 (bob-draw; bob-other unused); games
    # listed, unused; not listed: k2 (a name alice lists no app of) + k9 (bob's "x")
    assert named(store, "app_category_daily", columns) == [
        (DAY1, 0, "", 0, 0, 2, 2, 0.1, 0.3, 0.4, 0.12, 0.28),
        (DAY1, 1, "chat", 1, 1, 3, 4, 1.8, 0.7, 2.5, 0.95, 1.55),
        (DAY1, 1, "creative", 2, 1, 1, 1, 2.0, 0.0, 2.0, 0.5, 1.5),
        (DAY1, 1, "games", 1, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0),
        (DAY2, 1, "chat", 1, 1, 1, 1, 0.0, 0.25, 0.25, 0.1, 0.15),
        (DAY2, 1, "creative", 2, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0),
        (DAY2, 1, "games", 1, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ]
    # by hand: alice's app on day 1: k4 (carol, 0.8 pack, external) and k5 (alice, 0.2 tier)
    columns = (
        "day, client_id, owner_user_id, keys, users, external_users, round(external_pollen, 9), "
        "requests, round(pack_pollen, 9), round(tier_pollen, 9), round(provider_cost, 9)"
    )
    assert named(store, "byop_app_owner_daily", columns) == [
        (DAY1, "cl-alice", "u1", 2, 2, 1, 0.8, 2, 0.8, 0.2, 0.35)
    ]
    checks = passed_checks(result)
    assert {"categories_match_sources", "owners_match_app_daily"} <= set(checks)
    assert all(checks.values()), checks


PAYMENTS = [
    stripe(at(DAY0, 12), "u2", 500),  # before the first day of usage: the ledger starts here
    stripe(at(DAY1, 8), "u1", 300),
    stripe(at(DAY1, 9), "u2", 500, event_type="checkout.session.expired", payment_status="unpaid"),
    # paid later: the completed checkout says unpaid, the async success sells the pack once
    stripe(at(DAY2, 7), "u3", 1000, payment_status="unpaid"),
    stripe(at(DAY2, 8), "u3", 1000, event_type="checkout.session.async_payment_succeeded"),
]


def test_pack_liability_is_payments_minus_pack_spend_beside_the_balance_estimate(apps_store):
    store = apps_store
    insert(store, "stripe_event", PAYMENTS)
    insert(store, "polar_event", [polar(at(DAY2, 10), "u2", 2000)])
    result = materialize(DAY0, DAY2, "event_facts_daily", *LEDGER)
    columns = (
        "day, packs_sold, sold_pollen, round(pack_pollen, 9), sold_pollen_to_date, "
        "round(pack_pollen_to_date, 9), round(paid_liability, 9), pack_balance_estimate, "
        "pack_holders"
    )
    # by hand: sold 5 (day 0), 3 (day 1), 10 + 20 (day 2); pack spent on day 1: k1 1.0 + k3 2.0
    # + k4 0.8 + k9 0.1 = 3.9. Balances: day 1 u1 4.0 (k5, her last), u2 1.5 (k9), u3 0;
    # day 2 u1 3.5, u2's 1.5 of day 1 still her latest.
    assert named(store, "pack_liability_daily", columns) == [
        (DAY0, 1, 5.0, 0.0, 5.0, 0.0, 5.0, 0.0, 0),
        (DAY1, 1, 3.0, 3.9, 8.0, 3.9, 4.1, 5.5, 2),
        (DAY2, 2, 30.0, 0.0, 38.0, 3.9, 34.1, 5.0, 2),
    ]
    checks = passed_checks(result)
    assert "liability_matches_summaries" in checks and all(checks.values()), checks


def test_absent_side_sources_leave_the_app_tables_empty_with_their_checks_passing(apps_store):
    store = apps_store
    store.command(f"DROP TABLE {store.table('app_directory')}")
    store.command(f"DROP TABLE {store.table('d1_apikey')}")
    result = materialize(DAY1, DAY2, "event_facts_daily", "app_daily", *APPS)
    for table in ("directory_app_daily", "byop_key_daily", "byop_app_owner_daily"):
        assert store.scalar(f"SELECT count() FROM {store.table(table)}") == 0, table
    # every key is then outside the directory, by hand: day 1's six keys, 1.5 + 0.3 + 2.0 + 0.8
    # + 0.2 + 0.1 = 4.9 Pollen, on one row; day 2's k1, 0.25
    columns = "day, in_directory, keys, round(total_pollen, 9)"
    assert named(store, "app_category_daily", columns) == [(DAY1, 0, 6, 4.9), (DAY2, 0, 1, 0.25)]
    assert all(passed_checks(result).values())
