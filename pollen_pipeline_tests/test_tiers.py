"""Tiers and pricing (issue 14): tier_daily, tier_simulation_daily, provider_daily,
balance_daily and byop_daily equal numbers worked out by hand from a small event set with an
excluded user, a developer over the grant, a scenario that caps, ROUTER and bug-window traffic
at a provider, and two last events of a day on the same second.

Days: B = 2026-01-08 (the meter:combined bug window ends 18:19:58 that day), P = 01-09, D = 01-10.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pollen_pipeline import exclusions
from pollen_pipeline.dashboards import tiers_pricing
from pollen_pipeline.defs.tiers import rules as tiers
from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.settings import SettingsError
from pollen_pipeline.store import Store, Window
from pollen_pipeline_tests import oracle
from pollen_pipeline_tests.checking import evaluate
from pollen_pipeline_tests.databases import fresh_database, materialize
from pollen_pipeline_tests.events import at, event, insert_events
from pollen_pipeline_tests.grafana_panels import holds_selections, run_query
from pollen_pipeline_tests.grafana_sql import ALL, Selection, TimeRange, expand

B, P, D = dt.date(2026, 1, 8), dt.date(2026, 1, 9), dt.date(2026, 1, 10)
WINDOW = Window(at("2026-01-08 00:00:00"), at("2026-01-11 00:00:00"))
ASSETS = ("group:core", "group:tiers", "group:pricing", "user_ranges")
NEW_TABLES = (
    "tier_daily",
    "tier_simulation_daily",
    "tier_capped_user_daily",
    "tier_grant_scale_daily",
    "provider_daily",
    "balance_daily",
    "balance_latest",
    "byop_daily",
)
TIER, PACK = "local:tier", "local:pack"

# A scenario file of the test's own: the defaults' current and halved, and a tight dynamic
# budget (base 2, floor 1, ceiling 3; half to seed, half to flower) that caps everyone.
SCENARIOS = """
scenarios:
  current: {kind: fixed, scale: 1.0}
  halved: {kind: fixed, scale: 0.5}
  tight:
    kind: dynamic
    base_budget: 2
    floor: 1
    ceiling: 3
    shares: {seed: 0.5, flower: 0.5}
"""


def person(user_id: str, github_id: str, tier: str, key: str, key_type: str) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "user_github_id": github_id,
        "user_github_username": user_id,
        "user_tier": tier,
        "api_key_id": f"k-{user_id}",
        "api_key_name": key,
        "api_key_type": key_type,
    }


ANN = person("ann", "2001", "seed", "ann-app", "secret")
BEN = person("ben", "2002", "seed", "ben-app", "publishable")
CAT = person("cat", "2003", "flower", "cat.example.com", "secret")  # BYOP by heuristic
BANNED = person("banned", next(iter(oracle.EXCLUDED)), "seed", "banned-app", "secret")
ROUTER = person("router", "241978997", "router", "pollen-router", "secret")


def charge(slug: str, start: str, price: float, who: dict, **fields: Any) -> dict[str, Any]:
    """An event on meter ``slug`` whose provider cost equals its price unless given."""
    return event(
        start,
        selected_meter_slug=slug,
        **{"total_price": price, "total_cost": price, **who, **fields},
    )


def paid(start: str, price: float, who: dict, **fields: Any) -> dict[str, Any]:
    return charge(PACK, start, price, who, **fields)


def free(start: str, price: float, who: dict, **fields: Any) -> dict[str, Any]:
    return charge(TIER, start, price, who, **fields)


EVENTS = [
    paid("2026-01-08 10:00:00", 1.0, ANN),  # bug window: provider cost only
    paid("2026-01-09 12:00:00", 3.0, ANN),  # R7 of D
    free("2026-01-10 09:00:00", 2.5, ANN),
    free("2026-01-10 10:00:00", 1.0, ANN),
    paid("2026-01-10 11:00:00", 0.5, ANN, total_cost=0.4),  # 0.1 of margin
    # ann's two last events of D share a second: the larger event_id holds the balances
    free(
        "2026-01-10 23:00:00",
        0.01,
        ANN,
        event_id="evt-ann-a",
        balances={TIER: 0.9, PACK: 9.0},
    ),
    free(
        "2026-01-10 23:00:00",
        0.01,
        ANN,
        event_id="evt-ann-b",
        balances={TIER: 0.4, "v1:meter:tier": 0.1, PACK: 7.0, "v1:meter:pack": 1.0},
    ),
    free("2026-01-10 23:30:00", 1.0, ANN, environment="development"),  # not production
    free("2026-01-10 08:00:00", 1.0, BEN),
    # ben's last production event of D failed: it still read his balances, and cost money
    free(
        "2026-01-10 22:00:00",
        0.0,
        BEN,
        response_status=500,
        total_cost=0.2,
        balances={TIER: 0.7, PACK: 0.0},
    ),
    free("2026-01-10 12:00:00", 4.0, CAT, model_used="flux", model_provider_used="bfl"),
    paid("2026-01-10 13:00:00", 2.0, CAT, model_used="flux", model_provider_used="bfl"),
    free("2026-01-10 14:00:00", 5.0, BANNED),
    free("2026-01-10 15:00:00", 7.0, ROUTER),
]


@pytest.fixture(scope="module")
def loaded(store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    scenarios = tmp_path_factory.mktemp("tiers") / "scenarios.yaml"
    scenarios.write_text(SCENARIOS)
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as store:
        env.setenv(tiers.SCENARIOS_VARIABLE, str(scenarios))
        env.delenv(tiers.GRANTS_VARIABLE, raising=False)
        exclusions.add(store, sorted(oracle.EXCLUDED), "banned")
        insert_events(store, EVENTS)
        materialize(B, D, *ASSETS)
        yield ClickHouseResource().store()  # a store that knows the exclusion, as a run's does


def rows(store: Store, table: str, keys: int) -> dict[tuple, dict[str, Any]]:
    """Rows of ``table`` by their first ``keys`` columns (as text)."""
    result = store.client.query(f"SELECT * FROM {store.table(table)}")
    key_columns = result.column_names[:keys]
    return {tuple(str(record[c]) for c in key_columns): record for record in result.named_results()}


def assert_close(actual: dict[str, Any], expected: dict[str, float]) -> None:
    for column, value in expected.items():
        assert math.isclose(actual[column], value, rel_tol=1e-9, abs_tol=1e-12), (
            column,
            actual[column],
            value,
        )


def test_tier_daily_counts_grants_and_who_used_them(loaded):
    table = rows(loaded, "tier_daily", 2)
    # banned (excluded) and ROUTER are out; B has no economics events at all
    assert set(table) == {(str(P), "seed"), (str(D), "seed"), (str(D), "flower")}
    seed_free = 2.5 + 1.0 + 0.01 + 0.01 + 1.0  # ann 3.52 (over her grant of 3), ben 1.0
    assert_close(
        table[(str(D), "seed")],
        {
            "users": 2,
            "requests": 6,  # ann 5, ben 1 (his 500 is not a billable success)
            "tier_pollen": seed_free,
            "pack_pollen": 0.5,
            "total_pollen": seed_free + 0.5,
            "grant_per_user": 3.0,
            "grant_pollen": 6.0,
            "grant_used_share": seed_free / 6.0,
            "users_at_grant": 1,
            "tier_pollen_per_user": seed_free / 2,
            "pack_pollen_per_user": 0.25,
        },
    )
    assert_close(
        table[(str(D), "flower")],
        {"users": 1, "tier_pollen": 4.0, "pack_pollen": 2.0, "grant_pollen": 10.0},
    )
    assert table[(str(D), "flower")]["users_at_grant"] == 0
    assert_close(table[(str(P), "seed")], {"users": 1, "pack_pollen": 3.0, "grant_used_share": 0})


def test_tier_simulation_caps_each_developer_at_the_scenario_grant(loaded):
    table = rows(loaded, "tier_simulation_daily", 3)
    ann, ben, cat = 3.52, 1.0, 4.0
    expected = {
        ("current", "seed"): (min(ann, 3) + min(ben, 3), 1, 3.0, 6.0),
        ("current", "flower"): (cat, 0, 10.0, 10.0),
        ("halved", "seed"): (min(ann, 1.5) + min(ben, 1.5), 1, 1.5, 3.0),
        ("halved", "flower"): (cat, 0, 5.0, 5.0),
    }
    # tight on D: R7 = 3 Pollen of pack on P (ann's bug-window pack on B does not count), so the
    # day's budget is 2 ln(1 + 3) = 2.77 (within 1..3); half of it to each tier, shared equally.
    budget = 2 * math.log(4)
    expected[("tight", "seed")] = (2 * budget / 4, 2, budget / 4, budget / 2)
    expected[("tight", "flower")] = (budget / 2, 1, budget / 2, budget / 2)
    for (scenario, tier), (simulated, capped, grant, total) in expected.items():
        row = table[(str(D), scenario, tier)]
        actual = {"seed": ann + ben, "flower": cat}[tier]
        assert_close(
            row,
            {
                "actual_tier_pollen": actual,
                "simulated_tier_pollen": simulated,
                "users_capped": capped,
                "grant_per_user": grant,
                "budget_pollen": total,
                "r7_pack_pollen": 3.0,
            },
        )
    # P: R7 = 0 (the 7 days before are all in the bug window): the floor, 1, half to seed
    assert_close(table[(str(P), "tight", "seed")], {"budget_pollen": 0.5, "r7_pack_pollen": 0})


# Free Pollen of D per developer; ann and ben are seed (grant 3), cat flower (grant 10).
FREE_ON_D = {"ann": 3.52, "ben": 1.0, "cat": 4.0}
GRANTS = {"ann": 3.0, "ben": 3.0, "cat": 10.0}
TIGHT_GRANT = {"ann": 2 * math.log(4) / 4, "ben": 2 * math.log(4) / 4, "cat": 2 * math.log(4) / 2}


def test_capped_developer_days_are_those_over_the_scenario_grant(loaded):
    table = rows(loaded, "tier_capped_user_daily", 3)
    expected = {
        "current": {"ann": 3.0},
        "halved": {"ann": 1.5},  # ben's 1.0 is within 1.5, cat's 4 within 5
        "tight": TIGHT_GRANT,  # everyone, as the scenario file says
    }
    assert set(table) == {
        (str(D), scenario, user) for scenario, users in expected.items() for user in users
    }
    for scenario, grants in expected.items():
        for user, grant in grants.items():
            assert_close(
                table[(str(D), scenario, user)],
                {
                    "tier_pollen": FREE_ON_D[user],
                    "grant_per_user": grant,
                    "cut_pollen": FREE_ON_D[user] - grant,
                },
            )


def panel_rows(store: Store, sql: str, time_range: TimeRange, **chosen: str) -> list[tuple]:
    selections = {"tier": Selection([ALL], ["seed", "flower"]), "topN": Selection(["10"])}
    selections |= {name: Selection([value]) for name, value in chosen.items()}
    store.command(f"USE {store.database}")  # dashboards name tables unqualified
    try:
        selections |= holds_selections(store, sql, time_range)
        return run_query(store, expand(sql, selections, time_range))[1]
    finally:
        store.command("USE default")


# A standard range (the 7 days to D: one as_of of user_ranges) and another (B..D: user_daily).
RANGES = {
    "standard": TimeRange(at("2026-01-04 00:00:00"), at("2026-01-10 23:59:59")),
    "other": TimeRange(at("2026-01-08 00:00:00"), at("2026-01-10 23:59:59")),
}


@pytest.mark.parametrize("range_name", sorted(RANGES))
def test_who_breaks_ranks_the_scenario_capped_developers(loaded, range_name):
    tight = panel_rows(loaded, tiers_pricing.WHO_BREAKS, RANGES[range_name], scenario="tight")
    cut = {user: FREE_ON_D[user] - TIGHT_GRANT[user] for user in FREE_ON_D}
    assert [row[0] for row in tight] == sorted(cut, key=cut.get, reverse=True)
    # ann's range: free Pollen on D only, paid on P (3) and D (0.5); B is the bug window
    paid = {"ann": 3.5, "ben": 0.0, "cat": 2.0}
    tiers_of = {"ann": "seed", "ben": "seed", "cat": "flower"}
    for developer, tier, days, free, cut_pollen, paid_pollen in tight:
        assert (tier, days) == (tiers_of[developer], 1)
        assert math.isclose(free, FREE_ON_D[developer], rel_tol=1e-9)
        assert math.isclose(cut_pollen, cut[developer], rel_tol=1e-9)
        assert math.isclose(paid_pollen, paid[developer], rel_tol=1e-9, abs_tol=1e-12)
    halved = panel_rows(loaded, tiers_pricing.WHO_BREAKS, RANGES[range_name], scenario="halved")
    assert [row[:3] for row in halved] == [("ann", "seed", 1)]
    assert math.isclose(halved[0][4], 3.52 - 1.5, rel_tol=1e-9)


def test_what_if_caps_each_developer_day_at_the_scaled_grant(loaded):
    for scale in ("0.5", "1", "2"):
        series = panel_rows(loaded, tiers_pricing.WHAT_IF_SCALE, RANGES["other"], grantScale=scale)
        caps = {user: float(scale) * grant for user, grant in GRANTS.items()}
        on_d = (
            sum(FREE_ON_D.values()),
            sum(min(free, caps[user]) for user, free in FREE_ON_D.items()),
            sum(free > caps[user] for user, free in FREE_ON_D.items()),
        )
        # P: ann's paid day, no free Pollen; B: no developer-day (the bug window)
        assert [row[0].date() for row in series] == [P, D]
        assert series[0][1:] == (0.0, 0.0, 0)
        assert all(
            math.isclose(a, e, rel_tol=1e-9) for a, e in zip(series[1][1:], on_d, strict=True)
        )


def test_provider_daily_counts_every_production_request(loaded):
    table = rows(loaded, "provider_daily", 3)
    azure_cost = 2.5 + 1.0 + 0.4 + 0.01 + 0.01 + 1.0 + 0.2 + 5.0 + 7.0
    azure_charged = 2.5 + 1.0 + 0.5 + 0.01 + 0.01 + 1.0 + 0.0 + 5.0 + 7.0
    assert_close(
        table[(str(D), "azure", "openai")],
        {
            "requests": 9,  # ann 5, ben 2, banned 1, ROUTER 1; not the development event
            "failed_requests": 1,
            "provider_cost": azure_cost,
            "pollen_charged": azure_charged,
            "router_cost": 7.0,
            "margin_pollen": azure_charged - azure_cost,
            "pack_pollen": 0.5,  # economics: no ROUTER, no banned user
            "tier_pollen": 2.5 + 1.0 + 0.01 + 0.01 + 1.0,
        },
    )
    # the bug window: real cost, no paid or free Pollen
    assert_close(
        table[(str(B), "azure", "openai")],
        {"requests": 1, "provider_cost": 1.0, "pack_pollen": 0.0, "tier_pollen": 0.0},
    )
    assert_close(table[(str(D), "bfl", "flux")], {"provider_cost": 6.0, "margin_pollen": 0.0})


def test_balance_daily_reads_the_last_production_event_of_the_day(loaded):
    table = rows(loaded, "balance_daily", 2)
    assert {user for day, user in table if day == str(D)} == {"ann", "ben", "cat"}
    ann = table[(str(D), "ann")]
    assert ann["last_event_id"] == "evt-ann-b"  # same second as evt-ann-a: larger id wins
    assert_close(ann, {"tier_balance": 0.5, "pack_balance": 8.0, "events": 5})
    assert_close(table[(str(D), "ben")], {"tier_balance": 0.7, "pack_balance": 0.0})


def test_balance_panels_read_the_same_balances_from_balance_latest(loaded):
    """The liability and largest-balance panels for a range ending on D: one as_of of
    balance_latest ($holds_balance_latest set, as the dashboard finds it), and every day of
    balance_daily (as when balance_latest lacks the day), give equal rows."""
    time_range = TimeRange(at("2026-01-04 00:00:00"), at("2026-01-10 23:59:59"))
    loaded.command(f"USE {loaded.database}")  # dashboards name tables unqualified
    try:
        for panel in (tiers_pricing.LIABILITY, tiers_pricing.TOP_PAID_BALANCES):
            found = holds_selections(loaded, panel, time_range)
            assert found == {"holds_balance_latest": Selection(["1"])}
            rows = {
                holds: run_query(
                    loaded,
                    expand(
                        panel,
                        {"topN": Selection(["10"]), "holds_balance_latest": Selection([holds])},
                        time_range,
                    ),
                )
                for holds in ("1", "0")
            }
            assert rows["1"][1] and rows["1"] == rows["0"]
    finally:
        loaded.command("USE default")


def test_byop_daily_counts_host_named_secret_keys(loaded):
    table = rows(loaded, "byop_daily", 3)
    assert set(table) == {(str(D), "hostname_key", "cat.example.com")}
    row = table[(str(D), "hostname_key", "cat.example.com")]
    assert_close(row, {"requests": 2, "tier_pollen": 4.0, "pack_pollen": 2.0, "users": 1})
    assert row["key_columns"] == 0  # the seed schema has no key-origin columns


def test_every_check_of_the_new_tables_passes(loaded):
    for table in NEW_TABLES:
        results = evaluate(loaded, table, WINDOW)
        assert results and all(r.passed for r in results.values()), (table, results)


# (table, corruption, the checks it must make fail); leaf tables first.
CORRUPTIONS = [
    (
        "tier_simulation_daily",
        "UPDATE simulated_tier_pollen = actual_tier_pollen + 1 WHERE scenario = 'halved'",
        ["schema_valid"],
    ),
    (
        "tier_simulation_daily",
        "UPDATE budget_pollen = budget_pollen + 1, actual_tier_pollen = actual_tier_pollen + 1 "
        "WHERE scenario = 'current'",
        ["current_budget_matches_tier_daily", "actual_matches_raw", "actual_matches_user_daily"],
    ),
    ("tier_daily", "UPDATE users_at_grant = users + 1 WHERE 1", ["schema_valid"]),
    ("tier_capped_user_daily", "DELETE WHERE user_id = 'ben'", ["capped_matches_simulation"]),
    (
        "tier_grant_scale_daily",
        "UPDATE users_capped = users_capped + 1 WHERE grant_scale = 2",
        ["scales_match_user_daily"],
    ),
    ("provider_daily", "UPDATE router_cost = provider_cost + 1 WHERE 1", ["schema_valid"]),
    ("provider_daily", "UPDATE pollen_charged = 0 WHERE 1", ["reconciles_with_raw"]),
    ("balance_latest", "UPDATE pack_balance = pack_balance + 1 WHERE 1", ["latest_matches_daily"]),
    ("balance_daily", "DELETE WHERE user_id = 'ben'", ["reconciles_with_raw"]),
    ("byop_daily", "UPDATE requests = requests + 1 WHERE 1", ["byop_matches_raw"]),
]


def test_each_new_check_fails_on_a_corrupted_row(store, monkeypatch, tmp_path):
    scenarios = Path(tmp_path) / "scenarios.yaml"
    scenarios.write_text(SCENARIOS)
    monkeypatch.setenv(tiers.SCENARIOS_VARIABLE, str(scenarios))
    exclusions.add(store, sorted(oracle.EXCLUDED), "banned")
    insert_events(store, EVENTS)
    materialize(B, D, *ASSETS)
    store = ClickHouseResource().store()  # one that knows the exclusion, as a run's does
    for table, corruption, failing in CORRUPTIONS:
        store.command(f"ALTER TABLE {store.table(table)} {corruption} SETTINGS mutations_sync = 1")
        results = evaluate(store, table, WINDOW)
        for check_name in failing:
            assert not results[check_name].passed, (table, corruption, check_name)


# --- configuration ------------------------------------------------------------------------


def test_default_grants_and_scenarios(monkeypatch):
    monkeypatch.delenv(tiers.GRANTS_VARIABLE, raising=False)
    monkeypatch.delenv(tiers.SCENARIOS_VARIABLE, raising=False)
    assert tiers.tier_grants() == {
        "microbe": 0.1,
        "spore": 1.0,
        "seed": 3.0,
        "flower": 10.0,
        "nectar": 20.0,
    }
    assert [s.name for s in tiers.scenarios()] == ["current", "halved", "dynamic"]


@pytest.mark.parametrize(
    ("grants", "message"),
    [
        ("seed=abc", "POLLEN_TIER_GRANTS: seed must be a number, not 'abc'"),
        ("seed", "POLLEN_TIER_GRANTS: 'seed' is not tier=amount"),
        ("seed=-1", "POLLEN_TIER_GRANTS: seed must not be negative"),
    ],
)
def test_bad_grants_name_the_variable_and_the_tier(monkeypatch, grants, message):
    monkeypatch.setenv(tiers.GRANTS_VARIABLE, grants)
    with pytest.raises(SettingsError, match=message):
        tiers.tier_grants()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("scenarios: {a: {kind: fixed, scale: x}}", "scenarios.a.scale must be a number"),
        ("scenarios: {a: {kind: other}}", "scenarios.a.kind must be one of fixed, dynamic"),
        (
            "scenarios: {a: {kind: dynamic, base_budget: 1, floor: 1, ceiling: 2, "
            "shares: {seed: 0.4}}}",
            "scenarios.a.shares must add up to 1",
        ),
        ("other: 1", "expected a 'scenarios' mapping"),
    ],
)
def test_bad_scenario_file_names_the_file_and_the_key(monkeypatch, tmp_path, text, key):
    path = Path(tmp_path) / "bad.yaml"
    path.write_text(text)
    monkeypatch.setenv(tiers.SCENARIOS_VARIABLE, str(path))
    with pytest.raises(SettingsError) as error:
        tiers.scenarios()
    assert str(path) in str(error.value) and key in str(error.value)


def test_byop_uses_the_newer_key_columns_when_the_raw_table_has_them(store):
    raw = store.table("generation_event")
    for column in ("api_key_created_via", "api_key_client_id"):
        store.command(f"ALTER TABLE {raw} ADD COLUMN {column} String DEFAULT ''")
    app = {**BEN, "api_key_type": "temporary"}
    origins = {"api_key_created_via": "", "api_key_client_id": ""}  # every row names both
    events = [
        free(
            "2026-01-10 09:00:00",
            1.0,
            {**app, "api_key_id": "t1"},
            api_key_created_via="redirect-auth",
        ),
        free("2026-01-10 10:00:00", 2.0, {**app, "api_key_id": "t2"}, api_key_client_id="pk_app"),
        # a host-named key minted by redirect-auth counts once, as redirect-auth
        free("2026-01-10 11:00:00", 4.0, CAT, api_key_created_via="redirect-auth"),
        free("2026-01-10 12:00:00", 8.0, CAT, api_key_client_id="undefined"),
        free("2026-01-10 13:00:00", 16.0, ANN),  # no origin, not host-named: not BYOP
    ]
    insert_events(store, [{**origins, **e} for e in events])
    materialize(D, D, "event_facts_daily", "byop_daily")
    pollen = {
        origin: total
        for origin, total in store.rows(
            f"SELECT key_origin, sum(total_pollen) FROM {store.table('byop_daily')} "
            "WHERE key_columns = 1 GROUP BY key_origin"
        )
    }
    assert pollen == {"redirect_auth": 1.0 + 4.0, "client_id": 2.0, "hostname_key": 8.0}
    window = Window(at("2026-01-10 00:00:00"), at("2026-01-11 00:00:00"))
    assert all(r.passed for r in evaluate(store, "byop_daily", window).values())
