"""Every summary table's requests, Pollen and provider cost on v1 + v2 events equal sums counted
here by hand from the logical requests: v2 with fallback attempts, an agent run, adjustments, a
BYOP markup and a community-model reward, v1 before POLLEN_V2_FROM and for its cache hits and
anonymous calls, and a v1/v2 overlap on both days that must count each request once.

The logical requests are restated below in plain Python (which table holds each request on
which day), pinned by a hand-written list of request ids, and every table's expected totals are
sums over them under the contract's scopes as ``oracle`` restates them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from pollen_pipeline.store import Store
from pollen_pipeline_tests import oracle
from pollen_pipeline_tests.databases import fresh_database, materialize
from pollen_pipeline_tests.events import event, insert_events

BEFORE, V2_FROM = dt.date(2026, 2, 9), dt.date(2026, 2, 10)
BOB = {"user_id": "u2", "user_github_id": "1002", "user_github_username": "bob", "api_key_id": "k2"}
CAROL = {"user_id": "u3", "user_github_id": "1003", "user_github_username": "carol"}
ROUTER = {"user_id": "router", "user_github_id": "241978997", "user_tier": "router"}
ANONYMOUS = {"user_id": "undefined", "user_github_id": "undefined", "api_key_id": "undefined"}
SEARCH, RUNTIME = "google.search_query.v1", "e2b.container_runtime.v1"
# Columns of both tables that only some rows set: every row names them (inserts take one list).
EVERY_ROW = {
    "token_count_completion_reasoning": 0,
    "token_count_completion_image": 0,
    "error_message": "undefined",
}
# The columns v2 added, with their defaults: every v2 row names them all; a v1 copy has none.
V2_DEFAULTS: dict = {
    "is_final": True,
    "fallback_used": False,
    "parent_request_id": "",
    "adjustment_costs": {},
    "adjustment_units": {},
    "api_key_client_id": "undefined",
    "api_key_created_for_user_id": "undefined",
    "dev_price": 0.0,
    "markup_rate": 0.0,
    "community_model_reward_user_id": "undefined",
    "community_model_reward_rate": 0.0,
    "community_model_reward_amount": 0.0,
    "token_count_prompt_cache_write": 0,
    "token_count_completion_audio_seconds": 0.0,
    "token_count_completion_video_seconds": 0.0,
}


def v1(start: str, **fields: object) -> dict:
    return event(start, **{**EVERY_ROW, **fields})


def v2(start: str, **fields: object) -> dict:
    return v1(start, **{**V2_DEFAULTS, **fields})


def v1_copy(row: dict) -> dict:
    """The same request as v1 holds it (the populate pipe's copy, or v1's write during the
    switch): the same ids, price and cost, none of v2's columns."""
    return {name: value for name, value in row.items() if name not in V2_DEFAULTS}


ATTEMPT = {"is_final": False, "total_price": 0.0, "is_billed_usage": False}
# v2 from the day before V2_FROM (its backfill: a copy of v1, not read) and on V2_FROM.
CURRENT = [
    v2("2026-02-09 10:00:00", request_id="r-before", total_price=0.5, total_cost=0.3),
    # two web searches inside its price: 0.004 USD of its 0.1 cost; 40 prompt tokens written to
    # the provider's cache
    v2(
        "2026-02-10 09:00:00",
        request_id="r-both",
        total_price=0.25,
        total_cost=0.1,
        adjustment_costs={SEARCH: 0.004},
        adjustment_units={SEARCH: 2.0},
        token_count_prompt_cache_write=40,
    ),
    # m-a failed (its provider still charged 0.01) and m-c was rate limited before m-b served it
    v2(
        "2026-02-10 13:00:00",
        request_id="r-fb",
        model_used="m-a",
        response_status=500,
        total_cost=0.01,
        **ATTEMPT,
    ),
    v2(
        "2026-02-10 13:00:01",
        request_id="r-fb",
        model_used="m-c",
        response_status=429,
        total_cost=0.0,
        **ATTEMPT,
    ),
    v2(
        "2026-02-10 13:00:02",
        request_id="r-fb",
        model_used="m-b",
        total_price=0.4,
        total_cost=0.2,
        fallback_used=True,
        token_count_completion_reasoning=70,
    ),
    # an agent run: the free parent row, a speech step and a code step paying container runtime
    v2(
        "2026-02-10 14:00:00",
        request_id="run-1",
        total_price=0.0,
        total_cost=0.0,
        is_billed_usage=False,
    ),
    v2(
        "2026-02-10 14:00:05",
        request_id="step-1",
        parent_request_id="run-1",
        event_type="generate.audio",
        total_price=0.2,
        total_cost=0.1,
        token_count_completion_audio_seconds=12.5,
    ),
    v2(
        "2026-02-10 14:00:09",
        request_id="step-2",
        parent_request_id="run-1",
        event_type="tool.code",
        total_price=0.3,
        total_cost=0.15,
        adjustment_costs={RUNTIME: 0.15},
        adjustment_units={RUNTIME: 30.0},
    ),
    # carol through u9's BYOP app: 0.5 charged, 0.4 the developer price (markup 0.25)
    v2(
        "2026-02-10 15:00:00",
        request_id="r-byop",
        api_key_id="k3",
        api_key_type="temporary",
        api_key_client_id="app-1",
        api_key_created_for_user_id="u9",
        selected_meter_slug="local:pack",
        balances={"local:tier": 0.0, "local:pack": 5.0},
        total_price=0.5,
        total_cost=0.3,
        dev_price=0.4,
        markup_rate=0.25,
        **CAROL,
    ),
    # a community image model: its owner u8 earns 30% of the 0.3 charged
    v2(
        "2026-02-10 16:00:00",
        request_id="r-community",
        model_provider_used="community",
        resolved_model_requested="zimage",
        model_used="zimage",
        event_type="generate.image",
        token_count_completion_image=1,
        total_price=0.3,
        total_cost=0.2,
        community_model_reward_user_id="u8",
        community_model_reward_rate=0.3,
        community_model_reward_amount=0.09,
    ),
    v2("2026-02-10 17:00:00", request_id="r-router", total_price=1.5, total_cost=1.0, **ROUTER),
    v2(
        "2026-02-10 18:00:00",
        request_id="r-error",
        response_status=500,
        total_price=0.0,
        total_cost=0.05,
        is_billed_usage=False,
        error_message="Provider request failed",
        **BOB,
    ),
    v2(
        "2026-02-10 19:00:00",
        request_id="r-staging",
        environment="staging",
        total_price=0.7,
        total_cost=0.5,
    ),
    v2(
        "2026-02-10 20:00:00",
        request_id="r-video",
        resolved_model_requested="veo",
        model_used="veo",
        event_type="generate.video",
        token_count_completion_video_seconds=8.0,
        total_price=1.2,
        total_cost=0.9,
    ),
]
RUN_ROWS = ("run-1", "step-1", "step-2")  # agent runs: only v2 records them
# v1: every other request v2 holds, once (its final row), plus what only v1 holds.
ARCHIVE = [
    *(v1_copy(row) for row in CURRENT if row["is_final"] and row["request_id"] not in RUN_ROWS),
    v1(
        "2026-02-09 11:00:00",
        request_id="r-old-error",
        response_status=502,
        total_price=0.0,
        is_billed_usage=False,
        error_message="Bad gateway",
        **BOB,
    ),
    v1(
        "2026-02-10 11:00:00",
        request_id="r-cached",
        cache_hit=True,
        total_price=0.1,
        total_cost=0.0,
        **BOB,
    ),
    v1(
        "2026-02-10 12:00:00",
        request_id="r-anon",
        total_price=0.0,
        is_billed_usage=False,
        selected_meter_slug="undefined",
        **ANONYMOUS,
    ),
]
# Counted once each, from the table named: v1 before V2_FROM, v2's final rows from it on with
# v1's cache hit and anonymous call; never v2's backfill, v1's copies from V2_FROM or attempts.
EXPECTED_REQUESTS = {
    ("v1", "r-before"),
    ("v1", "r-old-error"),
    ("v1", "r-cached"),
    ("v1", "r-anon"),
    ("v2", "r-both"),
    ("v2", "r-fb"),
    ("v2", "run-1"),
    ("v2", "step-1"),
    ("v2", "step-2"),
    ("v2", "r-byop"),
    ("v2", "r-community"),
    ("v2", "r-router"),
    ("v2", "r-error"),
    ("v2", "r-staging"),
    ("v2", "r-video"),
}


def logical_requests() -> list[tuple[str, dict]]:
    """(table, row) of each request, by the rule the team's tables follow (restated here)."""
    since = dt.datetime.combine(V2_FROM, dt.time(), tzinfo=dt.UTC)
    v1_only = [e for e in ARCHIVE if e.get("cache_hit") or e["user_id"] in ("", "undefined")]
    return [
        *(("v1", e) for e in ARCHIVE if e["start_time"] < since or e in v1_only),
        *(("v2", e) for e in CURRENT if e["start_time"] >= since and e["is_final"]),
    ]


REQUESTS = [row for _, row in logical_requests()]


def production_users(events: list[dict]) -> list[dict]:
    return [
        e
        for e in oracle.production(events)
        if not oracle.is_router(e) and e["user_github_id"] not in oracle.EXCLUDED
    ]


def tier_meter(events: list[dict]) -> list[dict]:
    return [e for e in oracle.economics_events(events) if oracle.meter(e) == "tier"]


def pack_meter(events: list[dict]) -> list[dict]:
    return [e for e in oracle.economics_events(events) if oracle.meter(e) == "pack"]


SCOPES: dict[str, Callable[[list[dict]], list[dict]]] = {
    "all": list,
    "usage": oracle.usage_events,
    "economics": oracle.economics_events,
    "free": tier_meter,
    "pack": pack_meter,
    "production": oracle.production,
    "production_users": production_users,
    "errors": lambda events: [e for e in oracle.production(events) if oracle.is_error(e)],
}
METERS = ("requests", "total_pollen", "provider_cost")
AS_OF_7D = "as_of = {as_of:Date}"
RANGE_7D = "as_of = {as_of:Date} AND window_days = 7"
# table, scope, its requests, Pollen and cost columns (None: it has none), rows summed
TOTALS = [
    ("event_facts_daily", "all", ("events", "price_sum", "cost_sum"), "1"),
    ("data_quality_daily", "all", ("raw_events", "raw_pollen", None), "1"),
    ("data_quality_daily", "usage", ("passed_events", "passed_pollen", None), "1"),
    ("data_quality_daily", "economics", ("economics_events", "economics_pollen", None), "1"),
    ("usage_classified_hourly", "all", ("all_calls", "total_pollen", None), "1"),
    ("usage_hourly", "usage", METERS, "1"),
    *((name, "economics", METERS, "1") for name in ("user_daily", "app_daily", "model_daily")),
    *(
        (name, "economics", METERS, "1")
        for name in ("app_model_daily", "referrer_daily", "request_path_daily", "routing_daily")
    ),
    ("tier_daily", "economics", ("requests", "total_pollen", None), "1"),
    ("tier_simulation_daily", "free", (None, "actual_tier_pollen", None), "scenario = 'current'"),
    *(
        (name, "economics", ("requests_7d", "total_7d", None), AS_OF_7D)
        for name in ("user_windows", "app_windows", "model_windows")
    ),
    *(
        (name, "economics", METERS, RANGE_7D)
        for name in ("user_ranges", "app_ranges", "model_ranges", "referrer_ranges")
    ),
    ("health_hourly", "production", ("requests", "total_pollen", None), "1"),
    ("load_minutely", "production", ("requests", "total_pollen", None), "1"),
    ("oncall_minutely", "all", ("requests", "total_pollen", "provider_cost"), "1"),
    ("provider_spend_daily", "all", ("requests", "total_pollen", "provider_cost"), "1"),
    ("demand_daily", "production", ("requests", "total_pollen", None), "1"),
    ("provider_daily", "production", ("requests", "pollen_charged", "provider_cost"), "1"),
    ("balance_daily", "production_users", ("events", "charged_pollen", None), "1"),
    ("errors_hourly", "errors", ("events", "total_pollen", None), "1"),
    ("error_messages_daily", "errors", ("events", "total_pollen", None), "1"),
    # no directory loaded: every key is in the one row outside it
    ("app_category_daily", "economics", METERS, "1"),
    ("pack_liability_daily", "pack", (None, "pack_pollen", None), "1"),
]


def hand_totals(events: list[dict]) -> tuple:
    """Requests, Pollen and provider cost of ``events``."""
    pollen = round(sum(e["total_price"] for e in events), 9)
    return len(events), pollen, round(sum(e["total_cost"] for e in events), 9)


def table_totals(store: Store, table: str, columns: tuple, where: str) -> tuple:
    sums = ", ".join(f"round(toFloat64(sum({c})), 9)" if c else "NULL" for c in columns)
    [row] = store.rows(f"SELECT {sums} FROM {store.table(table)} WHERE {where}", {"as_of": V2_FROM})
    return row


@pytest.fixture(scope="module")
def materialized(store_url):
    """Both days, every table, one run, v2 authoritative from V2_FROM."""
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as store:
        insert_events(store, ARCHIVE)
        insert_events(store, CURRENT, "generation_event_v2")
        env.setenv("POLLEN_V2_FROM", V2_FROM.isoformat())
        result = materialize(BEFORE, V2_FROM)
        yield store, result


def test_the_logical_requests_are_each_request_once():
    assert {(table, e["request_id"]) for table, e in logical_requests()} == EXPECTED_REQUESTS
    assert len(REQUESTS) == len(EXPECTED_REQUESTS)  # r-fb's attempts are not requests


@pytest.mark.parametrize(("table", "scope", "columns", "where"), TOTALS)
def test_every_tables_requests_pollen_and_cost_equal_the_hand_count(
    materialized, table: str, scope: str, columns: tuple, where: str
):
    store, _ = materialized
    expected = hand_totals(SCOPES[scope](REQUESTS))
    got = table_totals(store, table, columns, where)
    assert got == tuple(value if c else None for value, c in zip(expected, columns, strict=True))


def test_every_check_passes(materialized):
    _, result = materialized
    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert failed == []


def test_agent_runs_adjustments_and_fallbacks(materialized):
    store, _ = materialized
    steps = [e for e in REQUESTS if e.get("parent_request_id")]
    runs = {e["parent_request_id"] for e in steps}
    [agent] = store.rows(
        f"SELECT sum(runs), sum(steps), round(sum(run_pollen), 9), round(sum(run_cost), 9) "
        f"FROM {store.table('agent_runs_daily')}"
    )
    assert agent == (len(runs), *hand_totals(steps)) == (1, 2, 0.5, 0.25)
    adjustments = store.rows(
        f"SELECT rule_id, requests, cost_usd, units FROM {store.table('adjustments_daily')} "
        "ORDER BY rule_id"
    )
    by_rule = {}
    for e in REQUESTS:
        for rule, usd in e.get("adjustment_costs", {}).items():
            count, cost, units = by_rule.get(rule, (0, 0.0, 0.0))
            by_rule[rule] = (count + 1, cost + usd, units + e["adjustment_units"][rule])
    assert adjustments == sorted((rule, *sums) for rule, sums in by_rule.items())
    assert by_rule == {SEARCH: (1, 0.004, 2.0), RUNTIME: (1, 0.15, 30.0)}
    attempts = [e for e in CURRENT if not e["is_final"]]
    [fallbacks] = store.rows(
        f"SELECT sum(attempts), sum(requests), round(sum(attempt_cost), 9) "
        f"FROM {store.table('fallbacks_daily')}"
    )
    # each attempt is its own group (model tried, status): r-fb counts under both
    assert fallbacks == (len(attempts), 2, round(sum(e["total_cost"] for e in attempts), 9))


def usage_by_kind(events: list[dict]) -> tuple:
    """The new measures over served (2xx) requests: BYOP developers' markup share, community
    owners' rewards (both on billed requests only), cache writes, reasoning, image units, audio
    and video seconds."""
    served = [e for e in events if 200 <= e["response_status"] < 300]
    billed = [e for e in served if e["is_billed_usage"]]
    markup = sum(
        e["total_price"] - e.get("dev_price", 0.0)
        for e in billed
        if e.get("api_key_client_id", "undefined") != "undefined"
        and e.get("api_key_created_for_user_id", "undefined") != "undefined"
        and e["total_price"] > e.get("dev_price", 0.0)
    )
    rewards = sum(
        e.get("community_model_reward_amount", 0.0)
        for e in billed
        if e.get("community_model_reward_user_id", "undefined") != "undefined"
    )
    kinds = (
        "token_count_prompt_cache_write",
        "token_count_completion_reasoning",
        "token_count_completion_image",
        "token_count_completion_audio_seconds",
        "token_count_completion_video_seconds",
    )
    return (round(markup, 9), round(rewards, 9), *(sum(e.get(k, 0) for e in served) for k in kinds))


def test_the_new_measures_equal_the_hand_count(materialized):
    store, _ = materialized
    [row] = store.rows(
        "SELECT round(sum(byop_reward), 9), round(sum(community_reward), 9), "
        "sum(prompt_cache_write_tokens), sum(completion_reasoning_tokens), "
        "sum(completion_image_tokens), sum(completion_audio_seconds), "
        f"sum(completion_video_seconds) FROM {store.table('usage_classified_hourly')}"
    )
    assert row == usage_by_kind(REQUESTS) == (0.1, 0.09, 40, 70, 1, 12.5, 8.0)
