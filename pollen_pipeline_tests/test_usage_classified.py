"""usage_classified_hourly: the team's classification and measures (their generation_usage_hourly)
over hand-made v2 events and a v1 cache hit; byop_app_model_daily, their byop_app_daily, over
hand-made BYOP rows; every expected number is counted by hand below."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pollen_pipeline.contract import RAW_BUSINESS_STREAM
from pollen_pipeline.settings import SettingsError
from pollen_pipeline.store import Store, Window
from pollen_pipeline_tests.checking import evaluate
from pollen_pipeline_tests.databases import materialize
from pollen_pipeline_tests.events import at, event, insert_events
from pollen_pipeline_tests.grafana_panels import (
    load_dashboard,
    panel_queries,
    resolve_variables,
    rows_as_dicts,
    run_query,
)
from pollen_pipeline_tests.grafana_sql import TimeRange, expand
from pollen_pipeline_tests.side_rows import passed_checks

DAY = dt.date(2026, 2, 10)
NEXT_DAY = DAY + dt.timedelta(days=1)
WORKSPACE = Path(__file__).resolve().parents[1] / "grafana" / "dashboards" / "pollen-workspace.json"
LEGACY_KEY, INTERNAL_KEY = "lIa3Q9Wdq2jAw1mkdI38g5zpsaZr45qz", "OHD2QWIGKWUHr1GVM403RKgUIWl2nLQS"
PACK, TIER = "local:pack", "local:tier"


def v2(start: str, **fields: object) -> dict:
    """A final v2 row of every v2 column the test sets (alice's key k1 unless given)."""
    defaults = {"is_final": True, "api_key_client_id": "undefined", "dev_price": 0.0}
    defaults |= {
        "community_model_reward_user_id": "undefined",
        "community_model_reward_amount": 0.0,
    }
    defaults |= {"api_key_created_for_app": "undefined", "api_key_created_for_user_id": "undefined"}
    return event(start, **{**defaults, **fields})


CAROL_BYOP = {
    "user_id": "u3",
    "api_key_id": "k3",
    "api_key_client_id": "app-1",
    "api_key_created_for_user_id": "u9",
    "selected_meter_slug": PACK,
    "total_price": 0.5,
    "dev_price": 0.4,
}
CURRENT = [
    # a paid request of alice, and before it a failed attempt of the same request (not a call)
    v2(
        "2026-02-10 10:00:00", request_id="r1", is_final=False, response_status=500, total_price=0.0
    ),
    v2("2026-02-10 10:00:01", request_id="r1", selected_meter_slug=PACK, total_price=1.0),
    v2("2026-02-10 10:01:00", api_key_id=LEGACY_KEY, selected_meter_slug=TIER, total_price=0.2),
    v2("2026-02-10 10:02:00", api_key_id=INTERNAL_KEY, selected_meter_slug=TIER, total_price=0.1),
    # BYOP: carol's app key, the end user pays 0.5 of which 0.4 is the developer price
    v2("2026-02-10 10:03:00", **CAROL_BYOP),
    # a community model: its owner u8 is rewarded 0.05 of alice's 0.3
    v2(
        "2026-02-10 10:04:00",
        model_provider_used="community",
        community_model_reward_user_id="u8",
        community_model_reward_amount=0.05,
        selected_meter_slug=TIER,
        total_price=0.3,
    ),
    # bob refused for lack of Pollen: a call, unfunded, not served
    v2(
        "2026-02-10 10:05:00",
        user_id="u2",
        api_key_id="k2",
        response_status=402,
        selected_meter_slug="undefined",
        is_billed_usage=False,
        total_price=0.0,
    ),
    v2("2026-02-10 10:06:00", environment="staging", total_price=0.7),
]
# a cache hit, which only v1 holds: alice's, on her tier
ARCHIVE = [event("2026-02-10 10:07:00", cache_hit=True, selected_meter_slug=TIER, total_price=0.1)]


def sums(store: Store, where: str) -> tuple:
    [row] = store.rows(
        "SELECT sum(all_calls), sum(successful_calls), sum(billed_calls), uniqMerge(users), "
        "uniqIfMerge(apps), round(sum(gross_consumption), 9), round(sum(byop_reward), 9), "
        "round(sum(community_reward), 9), sum(prompt_text_tokens) "
        f"FROM {store.table('usage_classified_hourly')} WHERE {where}"
    )
    return row


@pytest.fixture
def classified(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    insert_events(store, CURRENT, "generation_event_v2")
    insert_events(store, ARCHIVE)
    monkeypatch.setenv("POLLEN_V2_FROM", DAY.isoformat())
    materialize(DAY, DAY, "usage_classified_hourly")
    return store


def test_regular_production_traffic_as_the_team_counts_it(classified: Store):
    regular = "environment = 'production' AND traffic_group = 'regular'"
    # their scope (v2 rows): calls r1 once, carol's, the community call, bob's 402; served: not
    # bob's; users: alice, carol, bob; one BYOP app; Pollen of served billed calls 1 + 0.5 + 0.3;
    # prompt tokens: 100 for each of the three served calls
    assert sums(classified, f"{regular} AND v1_only = 0") == (4, 3, 3, 3, 1, 1.8, 0.1, 0.05, 300)
    # the cache hit only v1 holds: its own rows
    assert sums(classified, f"{regular} AND v1_only = 1") == (1, 1, 1, 1, 0, 0.1, 0.0, 0.0, 100)
    assert sums(classified, "traffic_group = 'legacy'")[:2] == (1, 1)
    assert sums(classified, "traffic_group = 'internal'")[:2] == (1, 1)
    assert sums(classified, "environment = 'staging'")[0] == 1


def test_funding_and_business_stream(classified: Store):
    rows = classified.rows(
        "SELECT funding_source, business_stream, sum(all_calls), round(sum(gross_consumption), 9) "
        f"FROM {classified.table('usage_classified_hourly')} "
        "WHERE environment = 'production' AND traffic_group = 'regular' AND v1_only = 0 "
        "GROUP BY ALL ORDER BY ALL"
    )
    # r1's failed attempt (the tier meter, the default here) is a row of its own: no call, its
    # user in users_with_attempts only
    assert rows == [
        ("paid", "byop", 1, 0.5),
        ("paid", "core", 1, 1.0),
        ("quest", "community_direct", 1, 0.3),
        ("quest", "core", 0, 0.0),
        ("unfunded", "core", 1, 0.0),
    ]


def test_a_fallback_attempt_counts_its_user_in_its_own_stream(
    store: Store, monkeypatch: pytest.MonkeyPatch
):
    # dave's community-model request: a failed attempt at another provider (Direct API by its
    # own row), then the community model serves it
    dave = {"user_id": "u4", "request_id": "r4"}
    attempt = {"is_final": False, "model_provider_used": "google", "response_status": 502}
    insert_events(
        store,
        [
            v2("2026-02-10 11:00:00", **dave, **attempt, total_price=0.0),
            v2("2026-02-10 11:00:02", **dave, model_provider_used="community", total_price=0.3),
        ],
        "generation_event_v2",
    )
    monkeypatch.setenv("POLLEN_V2_FROM", DAY.isoformat())
    materialize(DAY, DAY, "usage_classified_hourly")
    rows = store.rows(
        "SELECT business_stream, sum(all_calls), sum(successful_calls), "
        "round(sum(total_pollen), 9), uniqMerge(users), uniqMerge(users_with_attempts) "
        f"FROM {store.table('usage_classified_hourly')} GROUP BY ALL ORDER BY ALL"
    )
    # by hand: one request (community), dave its user; Direct API: no call, dave by the attempt
    assert rows == [("community_direct", 1, 1, 0.3, 1, 1), ("core", 0, 0, 0.0, 0, 1)]


def test_the_fine_facts_carry_the_classification(classified: Store):
    materialize(DAY, DAY, "event_facts_daily")
    rows = classified.rows(
        f"SELECT traffic_group, funding_source, {RAW_BUSINESS_STREAM} AS stream, workload, "
        "sum(events), round(sum(price_sum), 9) "
        f"FROM {classified.table('event_facts_daily')} GROUP BY ALL ORDER BY ALL"
    )
    # by hand: every final v2 row and v1's cache hit (the failed attempt is no request); the
    # staging call (0.7) and the cache hit (0.1) are both regular tier calls of alice
    text = "generate.text"
    assert rows == [
        ("internal", "quest", "core", text, 1, 0.1),
        ("legacy", "quest", "core", text, 1, 0.2),
        ("regular", "paid", "byop", text, 1, 0.5),
        ("regular", "paid", "core", text, 1, 1.0),
        ("regular", "quest", "community_direct", text, 1, 0.3),
        ("regular", "quest", "core", text, 2, 0.8),
        ("regular", "unfunded", "core", text, 1, 0.0),
    ]


def test_byop_apps_by_owner_and_model_as_the_team_counts_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
):
    tutor = {"api_key_client_id": "app-1", "api_key_created_for_app": "Tutor"}
    tutor |= {"api_key_created_for_user_id": "u9"}
    carol = {"user_id": "u3", "request_id": "r5", "selected_meter_slug": PACK, **tutor}
    attempt = {"is_final": False, "model_provider_used": "google", "response_status": 500}
    refused = {"response_status": 402, "is_billed_usage": False, "selected_meter_slug": "x"}
    insert_events(
        store,
        [
            # carol's request through Tutor: a failed attempt (the hour before), then a community
            # model serves it
            v2("2026-02-10 11:59:59", **carol, **attempt, total_price=0.0),
            v2(
                "2026-02-10 12:00:02",
                **carol,
                model_provider_used="community",
                total_price=0.5,
                dev_price=0.4,
            ),
            # dave through Tutor on his tier
            v2("2026-02-10 13:00:00", **tutor, user_id="u4", total_price=0.2, dev_price=0.15),
            # erin refused through an app with neither name nor owner
            v2("2026-02-10 14:00:00", user_id="u5", api_key_client_id="app-2", **refused),
            v2("2026-02-10 15:00:00", total_price=0.3),  # alice, no app: not BYOP
        ],
        "generation_event_v2",
    )
    monkeypatch.setenv("POLLEN_V2_FROM", DAY.isoformat())
    result = materialize(DAY, DAY, "usage_classified_hourly", "byop_app_model_daily")
    rows = store.rows(
        "SELECT client_id, app_name, owner_user_id, model, is_community, funding_source, "
        "all_calls, successful_calls, billed_calls, uniqMerge(users_with_attempts), "
        "round(gross_consumption, 9), round(byop_reward, 9) "
        f"FROM {store.table('byop_app_model_daily')} GROUP BY ALL ORDER BY ALL"
    )
    # by hand: carol's attempt is a row of its own (not community: no call, carol its user)
    assert rows == [
        ("app-1", "Tutor", "u9", "openai", 0, "paid", 0, 0, 0, 1, 0.0, 0.0),
        ("app-1", "Tutor", "u9", "openai", 0, "quest", 1, 1, 1, 1, 0.2, 0.05),
        ("app-1", "Tutor", "u9", "openai", 1, "paid", 1, 1, 1, 1, 0.5, 0.1),
        ("app-2", "app-2", "unknown", "openai", 0, "unfunded", 1, 0, 0, 1, 0.0, 0.0),
    ]
    # by hand: apps per hour; carol's attempt, alone in its hour, is Tutor's there as the team
    # counts apps (every row), not as a request
    hours = store.rows(
        "SELECT toHour(hour), uniqIfMerge(apps), uniqIfMerge(apps_with_attempts) "
        f"FROM {store.table('usage_classified_hourly')} GROUP BY ALL ORDER BY ALL"
    )
    assert hours == [(11, 0, 1), (12, 1, 1), (13, 1, 1), (14, 1, 1), (15, 0, 0)]
    checks = passed_checks(result)
    assert {"schema_valid", "apps_match_usage_classified"} <= set(checks)
    assert all(checks.values()), checks


def test_a_traffic_groups_file_with_an_unknown_group_is_refused(
    tmp_path, monkeypatch: pytest.MonkeyPatch
):
    from pollen_pipeline.defs.usage.usage_classified_hourly.rules import traffic_groups

    path = tmp_path / "groups.yaml"
    path.write_text("legacy: [a]\nvip: [b]\n")
    monkeypatch.setenv("POLLEN_TRAFFIC_GROUPS", str(path))
    with pytest.raises(SettingsError, match="not \\['vip'\\]"):
        traffic_groups()


# carol's BYOP call of CURRENT twice more, the next day: the end user pays 0.5, the developer 0.4
NEXT_DAY_BYOP = [v2(f"{NEXT_DAY} {time}", **CAROL_BYOP) for time in ("11:00:00", "23:30:00")]


def workspace_panels(store: Store, span: TimeRange) -> dict[str, list[dict]]:
    """The workspace's classified-usage panels over ``span``: title -> rows."""
    dashboard = load_dashboard(WORKSPACE)
    store.command(f"USE {store.database}")  # Grafana's unqualified table names
    try:
        variables = resolve_variables(store, dashboard, span, {})
        return {
            panel["title"]: rows_as_dicts(run_query(store, expand(sql, variables, span)))
            for panel, sql in panel_queries(dashboard)
            if panel["title"].startswith(("Calls by traffic", "Billed Pollen", "Business"))
        }
    finally:
        store.command("USE default")


def test_the_daily_rollup_sums_the_hours_and_serves_whole_days(
    store: Store, monkeypatch: pytest.MonkeyPatch
):
    """usage_classified_daily holds each day's hours summed; the panels read it for the days a
    range covers whole and give the hours' numbers; its check fails on a changed day."""
    insert_events(store, [*CURRENT, *NEXT_DAY_BYOP], "generation_event_v2")
    insert_events(store, ARCHIVE)
    monkeypatch.setenv("POLLEN_V2_FROM", DAY.isoformat())
    materialize(DAY, NEXT_DAY, "usage_classified_hourly", "usage_classified_daily")
    byop_days = store.rows(
        "SELECT day, sum(all_calls), round(sum(gross_consumption), 9), round(sum(byop_reward), 9) "
        f"FROM {store.table('usage_classified_daily')} WHERE business_stream = 'byop' "
        "GROUP BY day ORDER BY day"
    )
    assert byop_days == [(DAY, 1, 0.5, 0.1), (NEXT_DAY, 2, 1.0, 0.2)]

    whole_days = TimeRange(at(f"{DAY} 00:00:00"), at(f"{NEXT_DAY} 23:59:59"), 86400)
    from_days = workspace_panels(store, whole_days)
    [byop] = [
        r for r in from_days["Business streams (regular traffic)"] if r["business_stream"] == "byop"
    ]
    assert (byop["successful_calls_count"], round(byop["billed_pollen"], 9)) == (3, 1.5)
    # the same range read from the hours alone (the rollup emptied: it serves no day)
    store.command(f"TRUNCATE TABLE {store.table('usage_classified_daily')}")
    assert workspace_panels(store, whole_days) == from_days
    materialize(DAY, NEXT_DAY, "usage_classified_daily")

    window = Window(at(f"{DAY} 00:00:00"), at(f"{NEXT_DAY + dt.timedelta(days=1)} 00:00:00"))
    assert evaluate(store, "usage_classified_daily", window)["days_sum_hours"].passed
    store.command(
        f"ALTER TABLE {store.table('usage_classified_daily')} UPDATE all_calls = all_calls + 1 "
        "WHERE day = {day:Date} AND business_stream = 'byop' SETTINGS mutations_sync = 1",
        {"day": NEXT_DAY},
    )
    assert not evaluate(store, "usage_classified_daily", window)["days_sum_hours"].passed
