"""The core tables equal an independent computation from raw events, on events that hit every
edge of the contract, under a non-UTC time zone, and again after late events arrive."""

from __future__ import annotations

import datetime as dt

import pytest
from dagster import build_init_resource_context

from pollen_pipeline import exclusions
from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.store import Window
from pollen_pipeline_tests import oracle
from pollen_pipeline_tests.checking import evaluate
from pollen_pipeline_tests.databases import fresh_database, materialize
from pollen_pipeline_tests.events import at, event, insert_events

ROUTER = {"user_id": "router", "user_github_id": "241978997", "user_tier": "router"}
BANNED = {"user_id": "u9", "user_github_id": "9009", "user_github_username": "banned"}
DUPLICATE = event("2026-01-10 14:00:00", event_id="dup-1", total_price=0.21)
BOB = {"user_id": "u2", "user_github_id": "1002", "user_github_username": "bob", "api_key_id": "k2"}

EDGE_EVENTS = [
    # older meter-slug generation
    event("2025-11-20 10:00:00", selected_meter_slug="v1:meter:tier", total_price=0.01),
    event("2025-11-20 10:05:00", selected_meter_slug="v1:meter:pack", total_price=0.2),
    # bug window: both boundary seconds are excluded, the seconds outside are kept
    event("2025-12-30 16:59:44", total_price=0.03),
    event("2025-12-30 16:59:45", selected_meter_slug="local:combined", total_price=0.04),
    event("2026-01-08 18:19:58", selected_meter_slug="local:combined", total_price=0.05),
    event("2026-01-08 18:19:59", selected_meter_slug="local:pack", total_price=0.06),
    # status boundaries
    event("2026-01-10 09:00:00", response_status=199, total_price=0.5),
    event("2026-01-10 09:01:00", response_status=200, total_price=0.07),
    event("2026-01-10 09:02:00", response_status=299, total_price=0.08),
    event("2026-01-10 09:03:00", response_status=300, total_price=0.5),
    # zero price (cache hit), non-production
    event("2026-01-10 09:04:00", total_price=0.0, cache_hit=True, is_billed_usage=False),
    event("2026-01-10 09:05:00", environment="development", total_price=0.9),
    # ROUTER: in usage_hourly (flagged), out of economics
    event("2026-01-10 10:00:00", total_price=1.5, **ROUTER),
    # unnamed apps count in totals, other meters count in totals only
    event("2026-01-10 10:10:00", api_key_name="undefined", api_key_id="kx", total_price=0.11),
    event("2026-01-10 10:11:00", api_key_name="", api_key_id="ky", total_price=0.12),
    event("2026-01-10 10:12:00", selected_meter_slug="local:dev", total_price=0.13),
    event("2026-01-10 10:13:00", selected_meter_slug="undefined", total_price=0.14),
    # BYOP end-user key; bob changes tier during the day: the last event's tier counts
    event("2026-01-10 11:00:00", api_key_type="temporary", total_price=0.15, **BOB),
    event("2026-01-10 12:00:00", selected_meter_slug="local:pack", total_price=0.16, **BOB),
    event("2026-01-10 23:59:59", user_tier="flower", total_price=0.17, **BOB),
    # one second later is the next UTC day (a different local day in Chatham)
    event("2026-01-11 00:00:00", total_price=0.18, resolved_model_requested="flux", **BOB),
    # an excluded (banned) user: out of usage and economics, counted in data quality
    event("2026-01-10 13:00:00", total_price=0.3, **BANNED),
    event("2026-01-10 13:01:00", selected_meter_slug="local:pack", total_price=0.4, **BANNED),
    # delivered twice: counted twice (nothing collapses it), and flagged
    DUPLICATE,
    DUPLICATE,
]
DAYS = [dt.date(2025, 11, 20), dt.date(2025, 12, 30), dt.date(2026, 1, 8)]
SPAN = (dt.date(2026, 1, 10), dt.date(2026, 1, 11))
CORE = "group:core"  # the tables under test; the others roll up from them


def materialize_all(store) -> None:
    exclusions.add(store, sorted(oracle.EXCLUDED), "banned in D1")
    for day in DAYS:
        materialize(day, day, CORE)
    materialize(*SPAN, CORE)


@pytest.fixture(scope="module")
def loaded(store_url):
    """One materialized database for the tests that only read it."""
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as store:
        insert_events(store, EDGE_EVENTS)
        materialize_all(store)
        yield store


@pytest.fixture
def rewritten(store):
    """A materialized database of the test's own, for tests that change it."""
    insert_events(store, EDGE_EVENTS)
    materialize_all(store)
    return store


def user_daily_rows(store) -> dict:
    rows = store.rows(
        f"SELECT day, user_id, pack_pollen, tier_pollen, other_pollen, total_pollen, requests, "
        "enduser_pollen, developer_pollen, user_tier, first_tier_at, first_pack_at "
        f"FROM {store.table('user_daily')}"
    )
    return {(r[0], r[1]): r[2:] for r in rows}


def expected_user_daily(events) -> dict:
    expected = {}
    for (day, user), group in oracle.group(
        oracle.economics_events(events), lambda e: (oracle.day(e), e["user_id"])
    ).items():
        m = oracle.money(group)
        firsts = {
            meter: min((e["start_time"] for e in group if oracle.meter(e) == meter), default=None)
            for meter in ("tier", "pack")
        }
        expected[(day, user)] = (
            m["pack"],
            m["tier"],
            m["other"],
            m["total"],
            m["requests"],
            oracle.byop_pollen(group, oracle.ENDUSER_KEYS),
            oracle.byop_pollen(group, oracle.DEVELOPER_KEYS),
            max(group, key=lambda e: e["start_time"])["user_tier"],
            firsts["tier"],
            firsts["pack"],
        )
    return expected


def assert_same(actual: dict, expected: dict) -> None:
    assert actual.keys() == expected.keys()
    for key, values in expected.items():
        for got, want in zip(actual[key], values, strict=True):
            if isinstance(want, float):
                assert got == pytest.approx(want, abs=1e-12), key
            elif isinstance(want, dt.datetime):
                assert got.replace(tzinfo=dt.UTC) == want, key
            else:
                assert got == want, key


def test_user_daily_equals_independent_computation(loaded):
    assert_same(user_daily_rows(loaded), expected_user_daily(EDGE_EVENTS))


def test_usage_hourly_keeps_router_flagged(loaded):
    rows = loaded.rows(
        f"SELECT hour, is_router, sum(total_pollen), sum(requests) "
        f"FROM {loaded.table('usage_hourly')} GROUP BY hour, is_router"
    )
    actual = {(r[0].astimezone(dt.UTC), r[1]): (r[2], r[3]) for r in rows}
    expected = {
        (hour, int(router)): (oracle.money(group)["total"], oracle.money(group)["requests"])
        for (hour, router), group in oracle.group(
            oracle.usage_events(EDGE_EVENTS), lambda e: (oracle.hour(e), oracle.is_router(e))
        ).items()
    }
    assert_same(actual, expected)
    assert (dt.datetime(2026, 1, 10, 10, tzinfo=dt.UTC), 1) in actual


def test_app_daily_marks_unnamed_keys_and_keeps_them_in_totals(loaded):
    rows = loaded.rows(
        f"SELECT api_key_id, is_named_app, total_pollen FROM {loaded.table('app_daily')} "
        "WHERE day = '2026-01-10'"
    )
    actual = {r[0]: (r[1], r[2]) for r in rows}
    economics = [e for e in oracle.economics_events(EDGE_EVENTS) if oracle.day(e) == SPAN[0]]
    expected = {
        key: (int(group[0]["api_key_name"] not in ("undefined", "")), oracle.money(group)["total"])
        for key, group in oracle.group(economics, lambda e: e["api_key_id"]).items()
    }
    assert_same(actual, expected)
    assert actual["kx"][0] == 0 and actual["ky"][0] == 0


def test_model_daily_totals(loaded):
    rows = loaded.rows(
        f"SELECT day, resolved_model_requested, user_tier, api_key_type, pack_pollen, "
        f"tier_pollen, total_pollen, users FROM {loaded.table('model_daily')}"
    )
    actual = {r[:4]: r[4:] for r in rows}
    expected = {}
    for key, group in oracle.group(
        oracle.economics_events(EDGE_EVENTS),
        lambda e: (oracle.day(e), e["resolved_model_requested"], e["user_tier"], e["api_key_type"]),
    ).items():
        m = oracle.money(group)
        expected[key] = (m["pack"], m["tier"], m["total"], len({e["user_id"] for e in group}))
    assert_same(actual, expected)


def test_data_quality_daily_counts_each_filter_once(loaded):
    rows = loaded.rows(
        f"SELECT day, raw_events, production_events, non_2xx_events, zero_price_events, "
        f"bug_window_events, excluded_events, excluded_pollen, router_events, "
        f"other_meter_events, unnamed_app_events, economics_events, economics_pollen, "
        f"duplicate_event_ids FROM {loaded.table('data_quality_daily')}"
    )
    actual = {r[0]: r[1:] for r in rows}
    expected = {}
    for day, group in oracle.group(EDGE_EVENTS, oracle.day).items():
        status = [oracle.filter_status(e) for e in group]
        economics = oracle.economics_events(group)
        expected[day] = (
            len(group),
            sum(s != "non_production" for s in status),
            status.count("non_2xx"),
            status.count("zero_price"),
            status.count("bug_window"),
            status.count("excluded"),
            sum(e["total_price"] for e in group if oracle.filter_status(e) == "excluded"),
            sum(oracle.is_router(e) for e in oracle.usage_events(group)),
            sum(oracle.meter(e) == "other" for e in economics),
            sum(e["api_key_name"] in ("undefined", "") for e in economics),
            len(economics),
            oracle.money(economics)["total"],
            len(group) - len({e["event_id"] for e in group}),
        )
    assert_same(actual, expected)
    assert actual[SPAN[0]][-1] == 1  # the event delivered twice


def test_excluded_users_and_duplicates_are_told_apart(loaded):
    assert "u9" not in {
        row[0] for row in loaded.rows(f"SELECT user_id FROM {loaded.table('user_daily')}")
    }
    assert not loaded.rows(f"SELECT 1 FROM {loaded.table('usage_hourly')} WHERE users = 0")
    results = evaluate(
        loaded, "data_quality_daily", Window(at("2026-01-10 00:00:00"), at("2026-01-12 00:00:00"))
    )
    duplicates = results["no_duplicate_events"]
    assert not duplicates.passed and duplicates.severity.value == "WARN"
    assert duplicates.metadata["duplicates_by_day"].value == {"2026-01-10": 1}
    # counted twice everywhere, so every table still adds up to raw events
    assert all(results[name].passed for name in ("reconciles_with_raw", "schema_valid"))


def test_rematerializing_is_idempotent_and_picks_up_late_events(rewritten):
    loaded = rewritten
    before = user_daily_rows(loaded)
    materialize(*SPAN, CORE)
    assert user_daily_rows(loaded) == before  # replaced, not doubled

    late = [
        event("2026-01-10 10:30:00", selected_meter_slug="local:pack", total_price=2.0, **BOB),
        event("2026-01-10 13:00:00", total_price=0.25),
    ]
    insert_events(loaded, late)
    materialize(*SPAN, CORE)
    assert_same(user_daily_rows(loaded), expected_user_daily(EDGE_EVENTS + late))


def test_scan_on_a_separate_source_moves_only_summary_rows(store, store_url, monkeypatch):
    # The source is another client of the same store here (chdb holds one path per process);
    # the path under test is the one that queries the source and inserts its summary rows.
    monkeypatch.setenv("POLLEN_SOURCE_CLICKHOUSE_URL", store_url)
    monkeypatch.setenv("POLLEN_SOURCE_TABLE", store.table("generation_event"))
    span = [e for e in EDGE_EVENTS if SPAN[0] <= oracle.day(e) <= SPAN[1]]
    insert_events(store, span)
    exclusions.add(store, sorted(oracle.EXCLUDED), "banned")  # kept in the store, not the source
    materialize(*SPAN, CORE)
    assert_same(user_daily_rows(store), expected_user_daily(span))


def test_a_run_reads_the_exclusion_lists_once_and_the_next_run_reads_them_again(store):
    run = ClickHouseResource()
    assert run.store() is not run.store()  # outside a run: opened afresh each time
    run.setup_for_execution(build_init_resource_context())
    assert run.store() is run.store()  # in a run: its steps share one store and its lists

    day = dt.date(2026, 2, 3)
    insert_events(store, [event("2026-02-03 10:00:00", **BANNED), event("2026-02-03 11:00:00")])
    materialize(day, day, "event_facts_daily", "user_daily")
    assert {row[0] for row in store.rows(f"SELECT user_id FROM {store.table('user_daily')}")} == {
        "u1",
        "u9",
    }
    exclusions.add(store, [BANNED["user_github_id"]], "banned")
    materialize(day, day, "event_facts_daily", "user_daily")  # a new run: the list as it is now
    assert [row[0] for row in store.rows(f"SELECT user_id FROM {store.table('user_daily')}")] == [
        "u1"
    ]
