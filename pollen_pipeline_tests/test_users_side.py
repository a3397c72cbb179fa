"""The users side of D1 joined to usage (account_daily, user_activity_daily, signup_cohort),
the exclusion lists told apart (exclusions_daily, POLLEN_EXCLUDE_D1_BANNED) and tier moves
(tier_moves_daily), from hand-made side-source rows and events; every expected number is worked
out by hand in the comments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pollen_pipeline import exclusions
from pollen_pipeline.store import Window
from pollen_pipeline_tests.checking import evaluate
from pollen_pipeline_tests.databases import materialize
from pollen_pipeline_tests.events import event, insert_events
from pollen_pipeline_tests.side_rows import account, at, epoch, insert, passed_checks

A, B = dt.date(2026, 1, 12), dt.date(2026, 1, 13)  # after the meter bug window
BEFORE = A - dt.timedelta(days=30)


def developer(user_id: str, github_id: str, tier: str) -> dict[str, str]:
    return {"user_id": user_id, "user_github_id": github_id, "user_tier": tier}


U1, U2, U3 = (
    developer("u1", "1001", "seed"),
    developer("u2", "1002", "seed"),
    developer("u3", "1003", "flower"),
)
U4, UX, U7 = (
    developer("u4", "1004", "nectar"),
    developer("ux", "1009", "spore"),
    developer("u7", "1007", "seed"),
)
PACK = {"selected_meter_slug": "local:pack"}

# D1: u1, u3, u5 sign up on A, u2 a month before, u4 on B. u2 is banned in B's (the latest)
# snapshot only, u3 in both; u5 never uses the platform; ux and u7 have no account.
SYNC_A, SYNC_B = at(A, 23, 50), at(B, 23, 50)
ACCOUNTS = [
    account("u1", SYNC_A, "seed", created_at=epoch(A, 1), tier_balance=2.0, pack_balance=0.0),
    account("u2", SYNC_A, "seed", created_at=epoch(BEFORE, 9), tier_balance=-0.5, pack_balance=5.0),
    account("u3", SYNC_A, "flower", created_at=epoch(A, 2), banned=1, github_id=1003),
    account("u5", SYNC_A, "seed", created_at=epoch(A, 3)),
    account("u1", SYNC_B, "seed", created_at=epoch(A, 1), tier_balance=1.0, pack_balance=4.0),
    account("u2", SYNC_B, "seed", created_at=epoch(BEFORE, 9), banned=1, github_id=1002),
    account("u3", SYNC_B, "flower", created_at=epoch(A, 2), banned=1, github_id=1003),
    account("u4", SYNC_B, "nectar", created_at=epoch(B, 4), tier_balance=-1.0),
    account("u5", SYNC_B, "seed", created_at=epoch(A, 3)),
]
EVENTS = [
    event("2026-01-12 10:00:00", **U1),
    event("2026-01-12 11:00:00", **U1),
    event("2026-01-12 10:00:00", total_price=0.5, **PACK, **U2),
    event("2026-01-12 10:00:00", total_price=0.2, **U3),  # hand list and D1: both
    event("2026-01-12 10:00:00", total_price=0.3, **U7),  # the hand list only
    event("2026-01-12 12:00:00", **UX),
    event("2026-01-13 09:00:00", **PACK, **U1),  # u1's first pack, a day after signing up
    event("2026-01-13 09:00:00", **U4),
]
HAND_LIST = ["1003", "1007"]
# signup_cohort and every table it is built from (Dagster's selection syntax)
SIGNUP_COHORT_AND_UPSTREAM = '+key:"signup_cohort"'


@pytest.fixture
def users(store):
    insert(store, "d1_user", ACCOUNTS)
    insert_events(store, EVENTS)
    exclusions.add(store, HAND_LIST, "abuse")
    return store


def rows(store, table: str, keys: int, where: str = "1") -> dict[tuple, tuple]:
    found = store.rows(f"SELECT * FROM {store.table(table)} WHERE {where} ORDER BY ALL")
    return {tuple(row[:keys]): tuple(row[keys:]) for row in found}


def inclusive(values: list[float], level: float) -> float:
    """The inclusive quantile (numpy's default): linear between the two nearest ranks."""
    ordered = sorted(values)
    position = level * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def quantiles(tier: list[float], pack: list[float]) -> tuple[float, ...]:
    return tuple(inclusive(v, q) for v in (tier, pack) for q in (0.95, 0.99))


NO_QUANTILES = (None, None, None, None)


def test_activity_counts_d1_accounts_beside_the_contracts_active_users(users):
    result = materialize(
        A, B, "event_facts_daily", "user_daily", "account_daily", "user_activity_daily"
    )
    assert all(passed_checks(result).values()) and len(passed_checks(result)) >= 5
    # (tier, banned, signup day and moment, tier balance, pack balance): ids and numbers only
    assert rows(users, "account_daily", 2, f"day = '{B}'")[(B, "u2")] == (
        "seed",
        1,
        BEFORE,
        dt.datetime.combine(BEFORE, dt.time(9)),
        0.0,
        0.0,
    )
    # (accounts, active, active accounts, weekly active, negative balances, tier p95, p99, pack
    # p95, p99). A: u3 is excluded (hand list), so seed's active accounts are u1 (2.0 / 0.0)
    # and u2 (-0.5 / 5.0, negative); ux is active without an account: its events' tier, spore.
    assert rows(users, "user_activity_daily", 2) == {
        (A, "seed"): (3, 2, 2, 2, 1, *quantiles([2.0, -0.5], [0.0, 5.0])),
        (A, "flower"): (1, 0, 0, 0, 0, *NO_QUANTILES),
        (A, "spore"): (0, 1, 0, 1, 0, *NO_QUANTILES),
        # B: u1 active (1.0 / 4.0); u2 and ux active in the week only; u4 signs up and uses
        (B, "seed"): (3, 1, 1, 2, 0, *quantiles([1.0], [4.0])),
        (B, "flower"): (1, 0, 0, 0, 0, *NO_QUANTILES),
        (B, "nectar"): (1, 1, 1, 1, 1, *quantiles([-1.0], [0.0])),
        (B, "spore"): (0, 0, 0, 1, 0, *NO_QUANTILES),
    }
    assert inclusive([2.0, -0.5], 0.95) == pytest.approx(1.875)  # -0.5 + 0.95 * 2.5


def test_signup_cohorts_follow_d1_sign_ups_beside_the_first_use_proxy(users):
    result = materialize(A, B, SIGNUP_COHORT_AND_UPSTREAM)
    checks = passed_checks(result)
    assert checks["cohort_matches_accounts"] and checks["schema_valid"]
    # (signups, used, 7d, 30d, packed, 7d, 30d, proxy users, proxy converted 7d, 30d).
    # A's cohort: u1, u3, u5; only u1 uses (u3 is excluded), and buys a pack on B. u2 signed up
    # 30 days before A, used and bought on A (within 30 days, not 7). The proxy cohort of A is
    # who had a first tier event on A: u1 and ux (u2's event was on the pack meter); of B, u4.
    assert rows(users, "signup_cohort", 2) == {
        (A, BEFORE): (1, 1, 0, 1, 1, 0, 1, 0, 0, 0),
        (A, A): (3, 1, 1, 1, 0, 0, 0, 2, 0, 0),
        (B, BEFORE): (1, 1, 0, 1, 1, 0, 1, 0, 0, 0),
        (B, A): (3, 1, 1, 1, 1, 1, 1, 2, 1, 1),
        (B, B): (1, 1, 1, 1, 0, 0, 0, 1, 0, 0),
    }


@pytest.mark.parametrize(
    "corruption", ["UPDATE used = used + 1 WHERE as_of = {day}", "DELETE WHERE as_of = {day}"]
)
def test_the_cohort_recount_fails_on_a_wrong_as_of(users, corruption):
    materialize(A, B, SIGNUP_COHORT_AND_UPSTREAM)
    window = Window(at(A, 0), at(B + dt.timedelta(days=1), 0))
    assert evaluate(users, "signup_cohort", window)["cohort_matches_accounts"].passed
    table, statement = users.table("signup_cohort"), corruption.format(day=f"'{B}'")
    users.command(f"ALTER TABLE {table} {statement} SETTINGS mutations_sync = 1")
    assert not evaluate(users, "signup_cohort", window)["cohort_matches_accounts"].passed


def test_the_exclusion_lists_are_told_apart_and_d1s_applies_only_when_opted_in(users, monkeypatch):
    tables = ("event_facts_daily", "user_daily", "exclusions_daily", "data_quality_daily")
    result = materialize(A, B, *tables)
    assert all(passed_checks(result).values())
    # (listed by, removed, events, Pollen): u2 is only banned in D1, so kept by default
    by_default = {
        (A, "u2"): ("d1_banned", 0, 1, 0.5),
        (A, "u3"): ("both", 1, 1, 0.2),
        (A, "u7"): ("hand_list", 1, 1, 0.3),
    }
    assert rows(users, "exclusions_daily", 2) == by_default
    active = f"SELECT groupArray(user_id) FROM (SELECT user_id FROM {users.table('user_daily')} "
    active += f"WHERE day = '{A}' ORDER BY user_id)"
    assert users.scalar(active) == ["u1", "u2", "ux"]

    monkeypatch.setenv("POLLEN_EXCLUDE_D1_BANNED", "1")
    result = materialize(A, B, *tables)
    assert all(passed_checks(result).values())
    assert rows(users, "exclusions_daily", 2) == {**by_default, (A, "u2"): ("d1_banned", 1, 1, 0.5)}
    assert users.scalar(active) == ["u1", "ux"]
    excluded = f"SELECT excluded_events FROM {users.table('data_quality_daily')} WHERE day = '{A}'"
    assert users.scalar(excluded) == 3


def tier_event(kind: str, when: dt.datetime, **fields: Any) -> dict[str, Any]:
    return {"event_type": kind, "environment": "production", "timestamp": when, **fields}


def score(user: str, when: dt.datetime, current: str, computed: str) -> dict[str, Any]:
    return {"timestamp": when, "user_id": user, "github_username": f"gh-{user}",
            "current_tier": current, "computed_tier": computed, "total_score": 50.0,
            "change": "none"}  # fmt: skip


TIER_EVENTS = [
    tier_event("tier_refill", at(A, 0), tier="seed", pollen_amount=10, user_count=3),
    tier_event("tier_refill", at(A, 0), tier="flower", pollen_amount=15, user_count=1),
    tier_event("user_registration", at(A, 1), user_id="u1", tier="microbe"),
    tier_event("tier_change", at(A, 1, 1), user_id="u1", tier="seed"),
    tier_event("user_registration", at(A, 2), user_id="s1", tier="microbe", environment="staging"),
    tier_event("tier_refill", at(B, 0), tier="seed", pollen_amount=10, user_count=3),
    tier_event("user_registration", at(B, 4), user_id="u4", tier="microbe"),
    tier_event("tier_change", at(B, 4, 1), user_id="u4", tier="nectar"),
]
SCORES = [
    score("u1", at(A, 1), "seed", "seed"),
    score("u2", at(A, 1), "seed", "flower"),
    score("u2", at(A, 13), "seed", "seed"),  # the day's last score counts: no move
    score("u3", at(A, 1), "flower", "seed"),
    score("u2", at(B, 1), "seed", "flower"),
]


def test_tier_moves_count_tier_events_and_the_days_last_scores(store):
    insert(store, "tier_event", TIER_EVENTS)
    insert(store, "scoring_snapshot", SCORES)
    result = materialize(A, B, "tier_moves_daily")
    assert all(passed_checks(result).values()) and len(passed_checks(result)) == 2
    # (registrations, tier changes, refills, accounts refilled, refill Pollen, scored, moved
    # out, moved in); the staging registration is not counted
    assert rows(store, "tier_moves_daily", 2) == {
        (A, "microbe"): (1, 0, 0, 0, 0.0, 0, 0, 0),
        (A, "seed"): (0, 1, 1, 3, 30.0, 2, 0, 1),  # u1 and u2 scored; u3 scored into seed
        (A, "flower"): (0, 0, 1, 1, 15.0, 1, 1, 0),
        (B, "microbe"): (1, 0, 0, 0, 0.0, 0, 0, 0),
        (B, "nectar"): (0, 1, 0, 0, 0.0, 0, 0, 0),
        (B, "seed"): (0, 0, 1, 3, 30.0, 1, 1, 0),
        (B, "flower"): (0, 0, 0, 0, 0.0, 0, 0, 1),
    }


def test_an_absent_scoring_snapshot_leaves_tier_moves_empty_with_their_checks_passing(store):
    insert(store, "tier_event", TIER_EVENTS)
    store.command(f"DROP TABLE {store.table('scoring_snapshot')}")
    result = materialize(A, B, "tier_moves_daily")
    assert store.scalar(f"SELECT count() FROM {store.table('tier_moves_daily')}") == 0
    assert passed_checks(result) and all(passed_checks(result).values())
