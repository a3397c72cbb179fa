"""Synthetic side sources (``pollen generate``): the same population as the synthetic events.

Every check joins a side table to the events it must agree with: the users, GitHub accounts and
tiers of each day's events are in that day's D1 snapshot, their keys in the key snapshot, pack
use is paid for before it starts, refills count the snapshot's users.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pollen_pipeline.cli import main

START = dt.date(2025, 11, 22)  # Polar's payments before 2025-12-01, Stripe's after
DAYS = 20
EVENTS_PER_DAY = 2000  # 40 users


@pytest.fixture
def generated(store):
    args = ["generate", "--start", START.isoformat(), "--days", str(DAYS)]
    assert main([*args, "--events-per-day", str(EVENTS_PER_DAY), "--seed", "5"]) == 0
    return store


def rows(store, sql: str) -> list[tuple]:
    return store.rows(sql.format(db=store.database, start=START.isoformat()))


def test_each_day_of_events_has_its_users_in_that_days_d1_snapshot(generated):
    missing = rows(
        generated,
        "SELECT DISTINCT e.user_id, e.user_github_id, e.user_github_username, e.user_tier, "
        "toDate(e.start_time, 'UTC') AS day "
        "FROM {db}.generation_event AS e LEFT ANTI JOIN {db}.d1_user AS u "
        "ON u.id = e.user_id AND toString(u.github_id) = e.user_github_id "
        "AND u.github_username = e.user_github_username AND u.tier = e.user_tier "
        "AND toDate(u.synced_at, 'UTC') = toDate(e.start_time, 'UTC') "
        "WHERE e.user_id != 'undefined'",
    )
    assert missing == []
    per_day = rows(
        generated,
        "SELECT toDate(synced_at, 'UTC') AS day, count(), uniqExact(id) "
        "FROM {db}.d1_user GROUP BY day ORDER BY day",
    )
    assert [day for day, *_ in per_day] == [START + dt.timedelta(days=n) for n in range(DAYS)]
    assert all(users == ids for _, users, ids in per_day)  # one row per account and day
    counts = [users for _, users, _ in per_day]
    assert counts == sorted(counts) and counts[0] < counts[-1]  # sign-ups through the range


def test_every_own_key_of_the_events_is_in_the_key_snapshot_with_its_owner(generated):
    missing = rows(
        generated,
        "SELECT DISTINCT e.api_key_id FROM {db}.generation_event AS e "
        "LEFT ANTI JOIN {db}.d1_apikey AS k ON k.id = e.api_key_id AND k.user_id = e.user_id "
        "AND toDate(k.synced_at, 'UTC') = toDate(e.start_time, 'UTC') "
        "WHERE e.api_key_type IN ('secret', 'publishable')",
    )
    assert missing == []
    listed = rows(
        generated,
        "SELECT count(), countIf((a.name, a.github_username) IN "
        "(SELECT k.name, u.github_username FROM {db}.d1_apikey AS k "
        " JOIN {db}.d1_user AS u ON u.id = k.user_id AND u.synced_at = k.synced_at)) "
        "FROM {db}.app_directory AS a",
    )
    assert listed[0][0] > 0 and listed[0][0] == listed[0][1]


def test_pack_use_is_paid_before_it_starts(generated):
    first_pack = rows(
        generated,
        "SELECT user_id, min(start_time) FROM {db}.generation_event "
        "WHERE selected_meter_slug IN ('local:pack', 'v1:meter:pack') GROUP BY user_id",
    )
    assert first_pack
    paid = dict(
        rows(
            generated,
            "SELECT user_id, min(timestamp) FROM ("
            " SELECT user_id, timestamp FROM {db}.stripe_event WHERE payment_status = 'paid'"
            " UNION ALL SELECT user_id, timestamp FROM {db}.polar_event"
            " WHERE event_type = 'order.paid') GROUP BY user_id",
        )
    )
    assert all(user in paid and paid[user] <= first for user, first in first_pack)
    switch = "toDateTime('2025-12-01 00:00:00', 'UTC')"
    polar_before, stripe_after = rows(
        generated,
        f"SELECT (SELECT max(timestamp) < {switch} FROM {{db}}.polar_event), "
        f"(SELECT min(timestamp) >= {switch} FROM {{db}}.stripe_event)",
    )[0]
    assert polar_before and stripe_after


def test_refills_count_the_snapshot_users_and_registrations_the_sign_ups(generated):
    refills = rows(
        generated,
        "SELECT toDate(timestamp, 'UTC'), tier, user_count FROM {db}.tier_event "
        "WHERE event_type = 'tier_refill' ORDER BY 1, 2",
    )
    snapshot = rows(
        generated,
        "SELECT toDate(synced_at, 'UTC'), tier, toInt32(count()) FROM {db}.d1_user "
        "GROUP BY 1, 2 ORDER BY 1, 2",
    )
    assert refills == snapshot
    registered = rows(
        generated,
        "SELECT count(), uniqExact(user_id) FROM {db}.tier_event "
        "WHERE event_type = 'user_registration'",
    )[0]
    new_accounts = rows(
        generated,
        "SELECT count() FROM {db}.d1_user WHERE synced_at = (SELECT max(synced_at) FROM "
        "{db}.d1_user) AND created_at >= toUnixTimestamp(toDateTime('{start}', 'UTC'))",
    )
    # the base users signed up before the range, everyone else during it: one registration each
    assert registered == (new_accounts[0][0], new_accounts[0][0]) and registered[0] > 0


def test_product_events_are_the_accounts_and_payments_of_the_other_sources(generated):
    """A signed-in product event's account is in that day's D1 snapshot, and every payment in
    the range follows a checkout start of its account."""
    strangers = rows(
        generated,
        "SELECT count() FROM {db}.product_event AS e LEFT ANTI JOIN {db}.d1_user AS u "
        "ON u.id = e.user_id AND toDate(u.synced_at, 'UTC') = toDate(e.timestamp, 'UTC') "
        "WHERE e.user_id != ''",
    )
    unstarted = rows(
        generated,
        "SELECT count() FROM (SELECT user_id, timestamp FROM {db}.stripe_event "
        " UNION ALL SELECT user_id, timestamp FROM {db}.polar_event) AS p "
        "WHERE p.timestamp >= toDateTime('{start}', 'UTC') + INTERVAL 1 DAY "
        "AND NOT EXISTS (SELECT 1 FROM {db}.product_event AS e WHERE e.user_id = p.user_id "
        "AND e.event = 'checkout_started' AND e.timestamp < p.timestamp)",
    )
    [(events, signed_in)] = rows(
        generated, "SELECT count(), countIf(user_id != '') FROM {db}.product_event"
    )
    assert strangers == [(0,)] and unstarted == [(0,)] and 0 < signed_in < events


def test_demo_regenerates_side_sources_instead_of_adding_to_them(generated):
    before = rows(generated, "SELECT count() FROM {db}.d1_user")
    from pollen_pipeline import cli

    cli._clear_synthetic_events(generated)
    args = ["generate", "--start", START.isoformat(), "--days", str(DAYS)]
    assert main([*args, "--events-per-day", str(EVENTS_PER_DAY), "--seed", "5"]) == 0
    assert rows(generated, "SELECT count() FROM {db}.d1_user") == before


def test_the_category_map_keys_name_one_app_each_and_the_events_use_them(generated):
    """One load; each hostname and GitHub id on one app (as the team's map), some hostnames
    the names of the events' secret keys and the GitHub ids the events' developers'."""
    [(loads, hosts, distinct_hosts, ids, distinct_ids)] = rows(
        generated,
        "SELECT uniqExact(loaded_at), countIf(hostname != ''), uniqExactIf(hostname, "
        "hostname != ''), countIf(github_user_id != ''), uniqExactIf(github_user_id, "
        "github_user_id != '') FROM {db}.app_category_map",
    )
    assert loads == 1 and hosts == distinct_hosts > 0 and ids == distinct_ids > 0
    [(used_hosts, used_ids)] = rows(
        generated,
        "SELECT uniqExactIf(api_key_name, api_key_type = 'secret' AND api_key_name IN "
        "(SELECT hostname FROM {db}.app_category_map)), uniqExactIf(user_github_id, "
        "user_github_id IN (SELECT github_user_id FROM {db}.app_category_map)) "
        "FROM {db}.generation_event",
    )
    assert used_hosts > 0 and used_ids > 0
