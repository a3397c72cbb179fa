"""The provisioned dashboards: every panel and variable query runs against a materialized store
with macros and variables expanded as Grafana + the ClickHouse plugin do, the key panels show
numbers computed here from the hand-made events, and no panel reads raw events."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pollen_pipeline import dashboards
from pollen_pipeline.dashboards import grafana
from pollen_pipeline.dashboards.platform_health import SLO_TARGETS
from pollen_pipeline.report.numbers import Span, top_apps
from pollen_pipeline.store import Store
from pollen_pipeline_tests import oracle
from pollen_pipeline_tests.databases import fresh_database, materialize
from pollen_pipeline_tests.events import event, insert_events
from pollen_pipeline_tests.grafana_panels import (
    as_utc,
    load_dashboard,
    panel_queries,
    resolve_variables,
    rows_as_dicts,
    run_query,
)
from pollen_pipeline_tests.grafana_sql import ALL, Selection, TimeRange, expand

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD_DIR = ROOT / "grafana" / "dashboards"
# Every dashboard must run and must not read raw events; the economics and usage ones must also
# return data for the hand-made events.
DASHBOARDS = sorted(DASHBOARD_DIR.glob("*.json"))
ECONOMICS = DASHBOARD_DIR / "pollen-economics.json"
USAGE = DASHBOARD_DIR / "pollen-usage-cost.json"
BUILT = [ECONOMICS, USAGE]
UTC = dt.UTC
DAY = dt.date(2026, 1, 20)
FIRST = DAY - dt.timedelta(days=10)
RAW_TABLES = re.compile(r"\b(generation_event|event_facts_daily)\b")

ALICE = {"user_id": "u1", "user_github_id": "1001", "user_github_username": "alice"}
BOB = {
    "user_id": "u2",
    "user_github_id": "1002",
    "user_github_username": "bob",
    "user_tier": "flower",
    "api_key_id": "k2",
    "api_key_name": "bob-bot",
    "api_key_type": "publishable",
    "referrer_domain": "bob.example",
}
BOB_BYOP = {**BOB, "api_key_id": "k3", "api_key_name": "bob-byop", "api_key_type": "temporary"}
# Another end user of bob's BYOP app, with a temporary key of its own, from bob's domain: one
# app with bob's key, and bob.example's second app (after bob-bot).
ERIN_BYOP = {
    **BOB_BYOP,
    "user_id": "u5",
    "user_github_id": "1005",
    "user_github_username": "erin",
    "api_key_id": "k5",
}
CAROL = {
    "user_id": "u3",
    "user_github_id": "1003",
    "user_github_username": "carol",
    "user_tier": "spore",
    "api_key_id": "ku",
    "api_key_name": "undefined",
}
ROUTER = {"user_id": "router", "user_github_id": "241978997", "user_tier": "router"}
# A key of no known type, paying partly on the dev meter: out of the BYOP share's denominator,
# and below the scatter's 10 Pollen of pack + tier although its total is above 10.
DAVE = {
    "user_id": "u4",
    "user_github_id": "1004",
    "user_github_username": "dave",
    "api_key_id": "k4",
    "api_key_name": "dave-tool",
    "api_key_type": "undefined",
    "resolved_model_requested": "mistral",
}


def _at(day: dt.date, hour: int, minute: int = 0) -> str:
    return f"{day} {hour:02d}:{minute:02d}:00"


def _days_before(days: int) -> dt.date:
    return DAY - dt.timedelta(days=days)


def hand_made_events() -> list[dict[str, Any]]:
    """openai passes the leaderboard's 1000 requests on DAY alone; alice-app passes the app
    leaderboard's 100 Pollen; bob's apps and carol's unnamed key do not."""
    openai = [
        event(
            _at(DAY, i % 24, i % 60),
            selected_meter_slug="local:pack" if i < 300 else "local:tier",
            total_price=0.01,
            **ALICE,
        )
        for i in range(1100)
    ]
    return [
        *openai,
        *(event(_at(FIRST, 9, i), total_price=0.01, **ALICE) for i in range(10)),
        *(
            event(
                _at(DAY, 12, i),
                resolved_model_requested="flux",
                model_used="flux",
                selected_meter_slug="local:pack",
                total_price=6.0,
                **ALICE,
            )
            for i in range(20)
        ),
        *(
            event(
                _at(DAY, 15, i),
                resolved_model_requested="openai-large",
                model_used="openai",
                total_price=0.05,
                **ALICE,
            )
            for i in range(5)
        ),
        *(
            event(
                _at(_days_before(5), 8, i),
                resolved_model_requested="claude",
                selected_meter_slug="local:pack",
                total_price=0.5,
                **BOB,
            )
            for i in range(30)
        ),
        *(
            event(_at(DAY, 20, i), resolved_model_requested="claude", total_price=0.2, **BOB_BYOP)
            for i in range(10)
        ),
        *(event(_at(_days_before(2), 9, i), total_price=0.3, **ERIN_BYOP) for i in range(4)),
        *(event(_at(_days_before(1), 7, i), total_price=100.0, **CAROL) for i in range(2)),
        *(event(_at(day, 3), total_price=1.0, **ROUTER) for day in (DAY, _days_before(3))),
        *(event(_at(DAY, 6, i), total_price=2.0, **DAVE) for i in range(3)),
        *(
            event(_at(DAY, 7, i), selected_meter_slug="local:dev", total_price=5.0, **DAVE)
            for i in range(2)
        ),
        # removed by the contract: non-production, non-2xx, zero price
        event(_at(DAY, 10), environment="development", total_price=50.0, **ALICE),
        event(_at(DAY, 10), response_status=500, total_price=50.0, **ALICE),
        event(_at(DAY, 10), total_price=0.0, cache_hit=True, is_billed_usage=False, **ALICE),
    ]


RANGES = {
    "30d": TimeRange(
        dt.datetime.combine(DAY - dt.timedelta(days=29), dt.time(), UTC),
        dt.datetime.combine(DAY, dt.time(23, 59, 59), UTC),
        interval_seconds=86400,
    ),
    "1d": TimeRange(
        dt.datetime.combine(DAY, dt.time(), UTC),
        dt.datetime.combine(DAY, dt.time(23, 59, 59), UTC),
        interval_seconds=3600,
    ),
}


# --- Running dashboard queries ---------------------------------------------------------------


def variable_queries(dashboard: dict[str, Any]) -> Iterator[tuple[dict, str]]:
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            yield variable, variable["query"]


def run_dashboard(
    store: Store, dashboard: dict, range_name: str, choose: dict, now: dt.datetime | None = None
) -> dict:
    """Panel title -> (columns, rows) for every panel query of ``dashboard``; with ``now``, the
    panels' ``now()`` (minutes since a check ran) reads that moment instead of the clock."""
    time_range = RANGES[range_name]
    variables = resolve_variables(store, dashboard, time_range, choose)
    results = {}
    for panel, sql in panel_queries(dashboard):
        sql = expand(sql, variables, time_range)
        if now is not None:
            sql = sql.replace("now()", f"toDateTime('{now:%Y-%m-%d %H:%M:%S}', 'UTC')")
        try:
            results[panel["title"]] = run_query(store, sql)
        except Exception as error:
            message = f"panel {panel['title']!r} ({range_name}) failed: {error}"
            raise AssertionError(message) from error
    return results


@pytest.fixture(scope="module")
def loaded_events() -> list[dict[str, Any]]:
    return hand_made_events()


@pytest.fixture(scope="module")
def loaded(store_url: str, loaded_events) -> Iterator[Store]:
    """One materialized database for the whole module (as conftest's ``store``, module-wide):
    the queries only read, and materializing once keeps the module fast."""
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as store:
        insert_events(store, loaded_events)
        materialize(FIRST, DAY)
        store.command(f"USE {store.database}")  # dashboards name tables unqualified, as Grafana
        try:
            yield store
        finally:
            store.command("USE default")  # before the database is dropped


# --- Expected numbers, straight from the events ------------------------------------------------


def economics(events: list[dict]) -> list[dict]:
    return oracle.economics_events(events)


def close(actual: float | None, expected: float | None) -> bool:
    if expected is None or actual is None:
        return actual is expected
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)


def expected_paid_vs_free(events: list[dict], bucket) -> dict[dt.datetime, tuple]:
    expected = {}
    for key, group in oracle.group(economics(events), bucket).items():
        m = oracle.money(group)
        expected[key] = (m["pack"], m["tier"], m["tier"] / (m["pack"] + m["tier"]))
    return expected


def daily_bucket(e: dict) -> dt.datetime:
    return dt.datetime.combine(oracle.day(e), dt.time(), UTC)


def expected_model_row(events: list[dict], model: str) -> dict[str, float]:
    m = oracle.money([e for e in economics(events) if e["resolved_model_requested"] == model])
    return {
        "pollen": m["total"],
        "paid_pollen": m["pack"],
        "free_pollen": m["tier"],
        "paid_share": m["pack"] / (m["pack"] + m["tier"]),
        "request_count": m["requests"],
        "pollen_per_request": m["total"] / m["requests"],
    }


def assert_row(actual: dict[str, Any], expected: dict[str, float]) -> None:
    for name, value in expected.items():
        assert close(actual[name], value), (name, actual[name], value)


# --- Tests -----------------------------------------------------------------------------------


def test_dashboards_have_stable_unique_uids():
    uids = [load_dashboard(path)["uid"] for path in DASHBOARDS]
    assert len(set(uids)) == len(uids)
    built = [load_dashboard(path)["uid"] for path in BUILT]
    assert built == ["pollen-economics", "pollen-usage-cost"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.stem)
def test_no_panel_or_variable_reads_raw_events(path):
    dashboard = load_dashboard(path)
    queries = [*panel_queries(dashboard), *variable_queries(dashboard)]
    assert queries
    offenders = [
        item.get("title", item.get("name")) for item, sql in queries if RAW_TABLES.search(sql)
    ]
    assert not offenders, f"read raw events: {offenders}"


@pytest.mark.parametrize("path", BUILT, ids=lambda p: p.stem)
def test_dashboard_settings(path):
    dashboard = load_dashboard(path)
    assert dashboard["time"] == {"from": "now-30d", "to": "now"}
    assert dashboard["timepicker"]["time_options"] == ["1d", "7d", "30d", "90d"]
    assert dashboard["tags"] and dashboard["timezone"] == "utc"
    names = {variable["name"] for variable in dashboard["templating"]["list"]}
    assert {"datasource", "model", "tier", "keyType", "topN"} <= names
    top_n = next(v for v in dashboard["templating"]["list"] if v["name"] == "topN")
    assert [o["value"] for o in top_n["options"]] == ["5", "10", "20", "50"]
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            assert target["datasource"]["uid"] == "${datasource}"


def test_generated_json_equals_the_builders(monkeypatch):
    for variable in SLO_TARGETS:  # a developer's shell may override the SLO defaults
        monkeypatch.delenv(variable, raising=False)
    rendered = dashboards.render_all()
    assert set(rendered) == {path.name for path in DASHBOARDS}
    for name, content in rendered.items():
        assert (DASHBOARD_DIR / name).read_text() == content, (
            f"{name}: run python -m pollen_pipeline.dashboards"
        )


@pytest.mark.parametrize("range_name", sorted(RANGES))
def test_every_panel_and_variable_runs_with_the_expected_columns(loaded, range_name):
    selections = [
        {},  # All everywhere, top 10, the first app
        {"model": lambda options: options[:2], "tier": lambda options: options[:1]},
        {"keyType": ["developer"], "topN": ["5"]},
        {"keyType": ["enduser"], "topN": ["50"]},
    ]
    for path in DASHBOARDS:
        dashboard = load_dashboard(path)
        for choose in selections:
            results = run_dashboard(loaded, dashboard, range_name, choose)
            for panel in dashboard["panels"]:
                if "targets" not in panel:
                    continue
                columns, rows = results[panel["title"]]
                assert len(set(columns)) == len(columns) > 0, panel["title"]
                if panel["type"] == "timeseries":
                    assert columns[0] == "time", panel["title"]
                if not choose and range_name == "30d" and path in BUILT:
                    assert rows, f"panel {panel['title']!r} returned no rows"


def test_expansion_follows_grafana_and_the_plugin():
    time_range = dataclasses.replace(RANGES["1d"], server_zone="UTC")
    variables = {
        "model": Selection([ALL], ["a", "b"]),
        "tier": Selection(["seed", "o'k"]),
        "topN": Selection(["5"]),
    }
    sql = (
        "SELECT * FROM t WHERE $__conditionalAll(m IN (${model:singlequote}), $model) "
        "AND $__conditionalAll(t IN (${tier:singlequote}), $tier) AND x IN ($model) "
        "AND $__timeFilter(hour) AND $__dateFilter(day) LIMIT ${topN:raw}"
    )
    start, end = int(time_range.start.timestamp()), int(time_range.end.timestamp())
    assert expand(sql, variables, time_range) == (
        "SELECT * FROM t WHERE 1=1 AND t IN ('seed','o\\'k') AND x IN ('a','b') "
        f"AND hour >= toDateTime({start}) AND hour <= toDateTime({end}) "
        f"AND day >= toDate('{DAY}') AND day <= toDate('{DAY}') LIMIT 5"
    )
    with pytest.raises(ValueError, match="unknown macro"):
        expand("SELECT $__timeGroup(hour, 1h)", variables, time_range)
    # On a Grafana server east of UTC the plugin's $__dateFilter ends a day later: the reason
    # the dashboards bound days with toDate($__toTime, 'UTC') instead.
    chatham = dataclasses.replace(time_range, server_zone="Pacific/Chatham")
    next_day = DAY + dt.timedelta(days=1)
    expanded = expand("SELECT 1 WHERE $__dateFilter(day)", variables, chatham)
    assert expanded == f"SELECT 1 WHERE day >= toDate('{DAY}') AND day <= toDate('{next_day}')"


def comparable(rows: list[tuple]) -> list[str]:
    """Rows as sorted text, floats to 9 digits: panels without ORDER BY may list ties in any
    order, and ClickHouse may add floats in another order from one run to the next."""
    return sorted(
        repr(tuple(f"{value:.9g}" if isinstance(value, float) else value for value in row))
        for row in rows
    )


@pytest.mark.parametrize("range_name", sorted(RANGES))
def test_no_panel_depends_on_the_grafana_server_time_zone(loaded, range_name):
    # One moment for the three passes: a minute boundary between them would change "minutes ago".
    now = dt.datetime.now(dt.UTC)
    for path in DASHBOARDS:
        dashboard = load_dashboard(path)
        results = {}
        for zone in ("UTC", "Pacific/Chatham", "America/Los_Angeles"):
            RANGES[f"{range_name}@{zone}"] = dataclasses.replace(
                RANGES[range_name], server_zone=zone
            )
            try:
                panels = run_dashboard(loaded, dashboard, f"{range_name}@{zone}", {}, now)
            finally:
                del RANGES[f"{range_name}@{zone}"]
            results[zone] = {title: comparable(rows) for title, (_, rows) in panels.items()}
        assert results["Pacific/Chatham"] == results["UTC"], path.name
        assert results["America/Los_Angeles"] == results["UTC"], path.name


# Panels that read one as_of of a *_ranges table for a standard range, else the daily tables.
RANGED_PANELS = {
    ECONOMICS: (
        "4. Model economics leaderboard",
        "5. Top models by paid consumption",
        "6. Top models by subsidy burn",
        "7. Developer economics scatter",
        "8. App economy leaderboard",
    ),
    USAGE: (
        "System snapshot",
        "Top models by Pollen",
        "API key types",
        "Top apps by Pollen",
        "Top developers by Pollen",
        "Developer consistency (active days)",
        "Tier cost concentration",
        "Tier scatter: tokens vs Pollen per developer",
        "Referrer domains",
    ),
    DASHBOARD_DIR / "pollen-platform-health.json": (
        "Active users",
        "Users by tier",
        "Top users by requests",
        "Top 5 users by Pollen",
        "Requests per user (top N, daily)",
    ),
}


def served_by_ranges(store: Store, range_name: str) -> bool:
    """Whether the usage dashboard's developer panels read user_ranges for ``range_name``, with
    the dashboard's variables (``$holds_user_ranges``) as Grafana sets them for the range."""
    time_range = RANGES[range_name]
    variables = resolve_variables(store, load_dashboard(USAGE), time_range, {})
    sql = f"SELECT {grafana.served_by_ranges('user_ranges')}"
    return bool(run_query(store, expand(sql, variables, time_range))[1][0][0])


@pytest.mark.parametrize(
    "choose", [{}, {"tier": lambda options: options[:1]}, {"keyType": ["developer"]}]
)
def test_ranged_panels_equal_the_daily_tables_over_the_same_days(loaded, choose):
    """The 30 days as a standard range (one as_of of the *_ranges tables) and starting a second
    after midnight (not standard: the daily tables, over the same UTC days) give equal rows."""
    RANGES["30d+1s"] = dataclasses.replace(
        RANGES["30d"], start=RANGES["30d"].start + dt.timedelta(seconds=1)
    )
    try:
        assert served_by_ranges(loaded, "30d") and not served_by_ranges(loaded, "30d+1s")
        usage = load_dashboard(USAGE)
        apps = [
            resolve_variables(loaded, usage, RANGES[name], {})["app"].options
            for name in ("30d", "30d+1s")
        ]
        assert apps[0] == apps[1]  # the drill-down's apps, from app_ranges or from app_daily
        for path, titles in RANGED_PANELS.items():
            dashboard = load_dashboard(path)
            ranged = run_dashboard(loaded, dashboard, "30d", choose)
            daily = run_dashboard(loaded, dashboard, "30d+1s", choose)
            for title in titles:
                assert ranged[title][1] or choose, title  # a filter may leave no rows
                assert comparable(ranged[title][1]) == comparable(daily[title][1]), title
    finally:
        del RANGES["30d+1s"]


def test_a_standard_range_whose_end_the_ranges_tables_lack_reads_the_daily_tables(loaded):
    """30 whole days ending the day after the last materialized one: no *_ranges table holds
    that as_of, so the hidden $holds_* variables send every ranged panel to the daily tables,
    with the rows of the same days read as a non-standard range."""
    later = dataclasses.replace(
        RANGES["30d"],
        start=RANGES["30d"].start + dt.timedelta(days=1),
        end=RANGES["30d"].end + dt.timedelta(days=1),
    )
    RANGES["30d, a day later"] = later
    RANGES["30d, a day later, +1s"] = dataclasses.replace(
        later, start=later.start + dt.timedelta(seconds=1)
    )
    try:
        assert not served_by_ranges(loaded, "30d, a day later")
        for path, titles in RANGED_PANELS.items():
            dashboard = load_dashboard(path)
            standard = run_dashboard(loaded, dashboard, "30d, a day later", {})
            shifted = run_dashboard(loaded, dashboard, "30d, a day later, +1s", {})
            for title in titles:
                assert standard[title][1], title
                assert comparable(standard[title][1]) == comparable(shifted[title][1]), title
    finally:
        del RANGES["30d, a day later"], RANGES["30d, a day later, +1s"]


def test_variable_options_come_from_summary_tables(loaded, loaded_events):
    dashboard = load_dashboard(USAGE)
    variables = resolve_variables(loaded, dashboard, RANGES["30d"], {})
    events = economics(loaded_events)
    assert variables["model"].options == sorted({e["resolved_model_requested"] for e in events})
    assert variables["tier"].options == sorted({e["user_tier"] for e in events})
    assert variables["app"].options[0] == "k1"  # the named app with the most Pollen first
    assert "ku" not in variables["app"].options  # unnamed keys are not apps to drill into


USAGE_TABLE_KEYS = {
    "referrer_daily": ("referrer_domain", "api_key_id"),
    "request_path_daily": ("request_path", "user_tier", "api_key_type"),
    "routing_daily": ("resolved_model_requested", "model_used", "model_provider_used"),
    "app_model_daily": ("api_key_id", "resolved_model_requested"),
}


@pytest.mark.parametrize("table", sorted(USAGE_TABLE_KEYS))
def test_usage_tables_equal_the_events(loaded, loaded_events, table):
    keys = USAGE_TABLE_KEYS[table]
    rows = loaded.rows(
        f"SELECT day, {', '.join(keys)}, pack_pollen, tier_pollen, total_pollen, requests "
        f"FROM {loaded.table(table)}"
    )
    actual = {tuple(row[: len(keys) + 1]): row[len(keys) + 1 :] for row in rows}
    groups = oracle.group(
        economics(loaded_events), lambda e: (oracle.day(e), *(e[key] for key in keys))
    )
    expected = {}
    for key, group in groups.items():
        m = oracle.money(group)
        expected[key] = (m["pack"], m["tier"], m["total"], m["requests"])
    assert actual.keys() == expected.keys()
    for key, values in expected.items():
        assert all(map(close, actual[key], values)), (key, actual[key], values)


def test_paid_vs_free_over_time(loaded, loaded_events):
    dashboard = load_dashboard(ECONOMICS)
    title = "1. Paid vs free consumption over time"
    cases = {
        "30d": (daily_bucket, loaded_events),
        "1d": (oracle.hour, [e for e in loaded_events if oracle.day(e) == DAY]),
    }
    for range_name, (bucket, events) in cases.items():
        columns, rows = run_dashboard(loaded, dashboard, range_name, {})[title]
        assert columns == ["time", "paid_pollen", "free_pollen", "free_share"]
        actual = {as_utc(row[0]): row[1:] for row in rows}
        expected = expected_paid_vs_free(events, bucket)
        assert actual.keys() == expected.keys(), range_name
        for key, values in expected.items():
            assert all(map(close, actual[key], values)), (range_name, key)
    # End-user keys only: bob's BYOP events on DAY.
    columns, rows = run_dashboard(loaded, dashboard, "30d", {"keyType": ["enduser"]})[title]
    byop = [e for e in loaded_events if e.get("api_key_type") == "temporary"]
    assert {as_utc(r[0]): r[1:] for r in rows} == expected_paid_vs_free(byop, daily_bucket)


def test_model_leaderboard_keeps_models_with_1000_requests(loaded, loaded_events):
    dashboard = load_dashboard(ECONOMICS)
    for range_name in RANGES:
        events = (
            loaded_events
            if range_name == "30d"
            else [e for e in loaded_events if oracle.day(e) == DAY]
        )
        result = run_dashboard(loaded, dashboard, range_name, {})["4. Model economics leaderboard"]
        rows = rows_as_dicts(result)
        assert [row["model"] for row in rows] == ["openai"], range_name
        assert_row(rows[0], expected_model_row(events, "openai"))


def test_app_leaderboard_keeps_named_apps_with_100_pollen(loaded, loaded_events):
    dashboard = load_dashboard(ECONOMICS)
    rows = rows_as_dicts(run_dashboard(loaded, dashboard, "30d", {})["8. App economy leaderboard"])
    assert [row["app"] for row in rows] == ["alice-app"]
    m = oracle.money([e for e in economics(loaded_events) if e["api_key_id"] == "k1"])
    assert rows[0]["developer"] == "alice"
    assert_row(
        rows[0],
        {
            "pollen": m["total"],
            "paid_pollen": m["pack"],
            "free_pollen": m["tier"],
            "paid_share": m["pack"] / (m["pack"] + m["tier"]),
            "request_count": m["requests"],
        },
    )


def test_top_apps_count_a_byop_apps_end_user_keys_as_one_app(loaded, loaded_events):
    """bob-byop's two temporary keys (its end users bob and erin) are one row of the app
    ranking, without a developer, over the 30 days (app_ranges; the same rows from app_daily:
    test_ranged_panels_equal_the_daily_tables_over_the_same_days); bob's developer key stays
    an app of its own, and bob.example has these two apps."""
    dashboard = load_dashboard(USAGE)
    rows = rows_as_dicts(run_dashboard(loaded, dashboard, "30d", {})["Top apps by Pollen"])
    by_app = {row["app"]: row for row in rows}
    assert [row["app"] for row in rows].count("bob-byop") == 1
    byop = [e for e in economics(loaded_events) if e.get("api_key_name") == "bob-byop"]
    assert {e["api_key_id"] for e in byop} == {"k3", "k5"}
    m = oracle.money(byop)
    row = by_app["bob-byop"]
    assert (row["key_type"], row["developer"], row["referrer_domains"]) == ("temporary", "", 1)
    assert_row(row, {"pollen": m["total"], "paid_pollen": m["pack"], "request_count": 14})
    assert math.isclose(m["total"], 10 * 0.2 + 4 * 0.3)
    assert (by_app["bob-bot"]["developer"], by_app["bob-bot"]["key_type"]) == ("bob", "publishable")
    domains = rows_as_dicts(run_dashboard(loaded, dashboard, "30d", {})["Referrer domains"])
    bob = next(row for row in domains if row["domain"] == "bob.example")
    assert (bob["apps"], bob["top_app"]) == (2, "bob-bot")  # bob-bot 30 x 0.5
    on_bob = [e for e in economics(loaded_events) if e.get("referrer_domain") == "bob.example"]
    assert_row(bob, {"pollen": oracle.money(on_bob)["total"], "request_count": 44})
    # the weekly report's top apps count apps alike
    reported = {a["app"]: a for a in top_apps(loaded, Span(FIRST, DAY))}
    assert (reported["bob-byop"]["developer"], reported["bob-bot"]["developer"]) == ("", "bob")
    assert close(reported["bob-byop"]["total_pollen"], m["total"])


def test_the_app_drill_down_shows_a_byop_app_as_one_app(loaded, loaded_events):
    """The $app variable lists bob-byop once, not its end users' keys k3 and k5, and its model
    mix (app_model_by_app) adds up both keys' events, model by model."""
    dashboard = load_dashboard(USAGE)
    options = resolve_variables(loaded, dashboard, RANGES["30d"], {})["app"].options
    assert options.count("byop:bob-byop") == 1 and not {"k3", "k5"} & set(options)
    assert "k2" in options  # bob's developer key stays an app of its own
    results = run_dashboard(loaded, dashboard, "30d", {"app": ["byop:bob-byop"]})
    rows = rows_as_dicts(results["App drill-down: model mix of ${app:text}"])
    byop = [e for e in economics(loaded_events) if e.get("api_key_name") == "bob-byop"]
    models = sorted({e["resolved_model_requested"] for e in byop})
    assert sorted(row["model"] for row in rows) == models
    for row in rows:
        m = oracle.money([e for e in byop if e["resolved_model_requested"] == row["model"]])
        assert_row(row, {"pollen": m["total"], "request_count": m["requests"]})
    assert close(sum(row["pollen"] for row in rows), 10 * 0.2 + 4 * 0.3)


def test_byop_split_leaves_other_key_types_out_of_the_share(loaded, loaded_events):
    dashboard = load_dashboard(ECONOMICS)
    title = "2. BYOP split: developer vs end-user keys (early signal)"
    rows = rows_as_dicts(run_dashboard(loaded, dashboard, "30d", {})[title])
    events = economics(loaded_events)
    for row in rows:
        day = [e for e in events if daily_bucket(e) == as_utc(row["time"])]
        developer = oracle.byop_pollen(day, oracle.DEVELOPER_KEYS)
        enduser = oracle.byop_pollen(day, oracle.ENDUSER_KEYS)
        other_keys = oracle.byop_pollen(day, ("undefined",))
        assert close(row["other_key_types_pollen"], other_keys)
        assert close(row["enduser_share"], enduser / (developer + enduser))
    by_day = {as_utc(row["time"]).date(): row for row in rows}
    assert close(by_day[DAY]["other_key_types_pollen"], 6.0)  # dave's tier, not his dev meter
    # bob's 10 BYOP calls at 0.2 against alice's 1100 x 0.01 + 20 x 6 + 5 x 0.05 on DAY
    assert close(by_day[DAY]["enduser_share"], 2.0 / (2.0 + 11.0 + 120.0 + 0.25))


def test_developer_scatter_counts_pack_and_tier_toward_its_threshold(loaded, loaded_events):
    dashboard = load_dashboard(ECONOMICS)
    title = "7. Developer economics scatter"
    rows = rows_as_dicts(run_dashboard(loaded, dashboard, "30d", {})[title])
    expected = {}
    for group in oracle.group(economics(loaded_events), lambda e: e["user_id"]).values():
        m = oracle.money(group)
        if m["pack"] + m["tier"] >= 10:
            expected[group[0]["user_github_username"]] = (m["tier"], m["pack"])
    actual = {row["developer"]: (row["free_pollen"], row["paid_pollen"]) for row in rows}
    assert actual.keys() == expected.keys()
    for name, values in expected.items():
        assert all(map(close, actual[name], values)), name
    assert "dave" not in expected  # 16 Pollen in all, 6 of them pack + tier


def test_router_share_counts_router_only_there(loaded, loaded_events):
    dashboard = load_dashboard(ECONOMICS)
    title = "ROUTER share over time (diagnostic)"
    rows = rows_as_dicts(run_dashboard(loaded, dashboard, "30d", {})[title])
    usage = oracle.usage_events(loaded_events)
    router = sum(e["total_price"] for e in usage if oracle.is_router(e))
    assert close(sum(row["router_pollen"] for row in rows), router)
    assert close(
        sum(row["total_pollen_incl_router"] for row in rows),
        sum(e["total_price"] for e in usage),
    )


# --- Provisioning and deployment, checked statically (no Docker engine here) -----------------


def test_datasource_provisioning_reads_env_vars_for_a_read_only_user():
    config = yaml.safe_load((ROOT / "grafana/provisioning/datasources/clickhouse.yaml").read_text())
    (source,) = config["datasources"]
    assert source["type"] == "grafana-clickhouse-datasource"
    settings = json.dumps(source)
    for name in ("HOST", "PORT", "PROTOCOL", "DATABASE", "USER", "PASSWORD"):
        assert (
            f"$GRAFANA_CLICKHOUSE_{name}" in settings or f"${{GRAFANA_CLICKHOUSE_{name}" in settings
        )


def test_dashboard_provider_points_at_the_dashboards_folder():
    config = yaml.safe_load((ROOT / "grafana/provisioning/dashboards/pollen.yaml").read_text())
    (provider,) = config["providers"]
    assert provider["options"]["path"].endswith("/dashboards")


def test_compose_wires_clickhouse_grafana_and_dagster():
    compose = yaml.safe_load((ROOT / "deploy/docker-compose.yaml").read_text())
    services = compose["services"]
    assert {"clickhouse", "grafana", "dagster-webserver", "dagster-daemon"} <= set(services)
    assert "grafana-clickhouse-datasource" in json.dumps(services["grafana"]["environment"])
    for name in ("pollen-code-server", "dagster-webserver", "dagster-daemon"):
        environment = services[name]["environment"]
        assert "clickhouse" in environment["POLLEN_CLICKHOUSE_URL"]
    # the webserver and daemon start once the code server (which waits for ClickHouse) is up
    assert "clickhouse" in services["pollen-code-server"]["depends_on"]
    for name in ("dagster-webserver", "dagster-daemon"):
        assert "pollen-code-server" in services[name]["depends_on"]
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (ROOT / "deploy" / source).resolve().exists(), source
        build = service.get("build")
        if build:
            context = ROOT / "deploy" / build["context"]
            assert (context / build["dockerfile"]).exists()
