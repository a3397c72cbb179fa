"""The economics tables (issue 3) equal an independent computation from hand-made events, on
every as_of day of a range that spans the bug window, both meter-slug generations and a day with
no traffic at all; and each of their checks fails when a row is corrupted."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from dagster import AssetCheckSeverity, AssetKey

from pollen_pipeline import catalog, checks
from pollen_pipeline.components.summary_table import plan_of
from pollen_pipeline.headline import headline_numbers
from pollen_pipeline.store import Store, Window
from pollen_pipeline_tests import economics_oracle as expect
from pollen_pipeline_tests import oracle
from pollen_pipeline_tests.checking import evaluate
from pollen_pipeline_tests.databases import definitions, fresh_database, materialize
from pollen_pipeline_tests.events import at, event, insert_events

FIRST, LAST = dt.date(2025, 12, 20), dt.date(2026, 1, 24)
NO_TRAFFIC = dt.date(2026, 1, 15)
DAYS = [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
WINDOW = Window(at("2025-12-20 00:00:00"), at("2026-01-25 00:00:00"))
# The core tables these read (and referrer_daily, which the app and referrer ranges read), and
# the economics tables; other domains' assets are not needed.
ASSETS = ("group:core", "referrer_daily", "group:economics")
ECONOMICS = sorted(
    name for name, folder in catalog.table_folders().items() if folder.parent.name == "economics"
)
TIER, PACK, V1_TIER, V1_PACK = "local:tier", "local:pack", "v1:meter:tier", "v1:meter:pack"


def person(user_id: str, github_id: str, name: str, **fields: Any) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "user_github_id": github_id,
        "user_github_username": name,
        "api_key_id": f"k-{user_id}",
        "api_key_name": f"{name}-app",
        **fields,
    }


SEVEN = person("u7", "7007", "seven")
EIGHT = person("u8", "8008", "eight", user_tier="flower")
EARLY = person("ue", "5005", "early")
IDLE = person("ui", "3003", "idle", user_tier="nectar")
OLDGEN = person("ug", "4004", "oldgen", user_tier="spore")
BUGGY = person("ub", "6006", "buggy")
ROUTER = person("router", "241978997", "pollen-router", user_tier="router")

EVENTS = [
    # idle: tier then pack (older slug generation) on the first day, 31 idle days, back on 01-21
    event("2025-12-20 10:00:00", selected_meter_slug=V1_TIER, total_price=0.2, **IDLE),
    event("2025-12-20 11:00:00", selected_meter_slug=V1_PACK, total_price=11.0, **IDLE),
    event("2026-01-21 12:00:00", selected_meter_slug=PACK, total_price=0.3, **IDLE),
    # oldgen: both slug generations, both sides of the bug window, an image model, an unnamed
    # key, and a tier change (spore -> seed)
    event("2025-12-21 09:00:00", selected_meter_slug=V1_TIER, total_price=0.05, **OLDGEN),
    event(
        "2025-12-22 09:00:00",
        selected_meter_slug=V1_PACK,
        total_price=0.4,
        resolved_model_requested="flux",
        **OLDGEN,
    ),
    event("2025-12-30 16:59:44", selected_meter_slug=TIER, total_price=0.07, **OLDGEN),
    event("2025-12-30 16:59:45", selected_meter_slug="local:combined", total_price=0.5, **OLDGEN),
    event("2026-01-08 18:19:59", selected_meter_slug=PACK, total_price=0.9, **OLDGEN),
    event(
        "2026-01-09 08:00:00",
        selected_meter_slug=TIER,
        total_price=0.08,
        **{**OLDGEN, "api_key_id": "k-undefined", "api_key_name": "undefined"},
    ),
    event(
        "2026-01-16 09:00:00",
        selected_meter_slug=TIER,
        total_price=0.06,
        **{**OLDGEN, "user_tier": "seed"},
    ),
    # buggy: tier and pack inside the bug window do not count, so the signup is 01-09
    event("2026-01-02 10:00:00", selected_meter_slug=TIER, total_price=0.1, **BUGGY),
    event("2026-01-03 10:00:00", selected_meter_slug=PACK, total_price=0.1, **BUGGY),
    event("2026-01-08 18:19:58", selected_meter_slug=TIER, total_price=0.1, **BUGGY),
    event("2026-01-09 09:00:00", selected_meter_slug=TIER, total_price=0.1, **BUGGY),
    event("2026-01-11 09:00:00", selected_meter_slug=PACK, total_price=2.0, **BUGGY),
    # seven: a development event is no signup; signup 01-10, first pack exactly 7 UTC days later
    event("2026-01-05 10:00:00", environment="development", total_price=0.1, **SEVEN),
    event("2026-01-10 10:00:00", selected_meter_slug=TIER, total_price=0.3, **SEVEN),
    event("2026-01-11 10:00:00", selected_meter_slug="local:dev", total_price=0.2, **SEVEN),
    event("2026-01-17 09:00:00", selected_meter_slug=PACK, total_price=6.0, **SEVEN),
    event(
        "2026-01-20 09:00:00",
        selected_meter_slug=PACK,
        total_price=6.0,
        resolved_model_requested="flux",
        **SEVEN,
    ),
    # eight: signup late on 01-10, first pack 8 UTC days later (only 7 days 1.5 hours elapsed),
    # then spending through an end-user (temporary) key
    event("2026-01-10 23:00:00", selected_meter_slug=TIER, total_price=0.4, **EIGHT),
    event("2026-01-18 00:30:00", selected_meter_slug=PACK, total_price=15.0, **EIGHT),
    event(
        "2026-01-22 14:00:00",
        selected_meter_slug=PACK,
        total_price=1.5,
        **{**EIGHT, "api_key_id": "k-u8-byop", "api_key_type": "temporary"},
    ),
    # early: a pack one hour before the first tier event of the same day: never a conversion
    event("2026-01-12 08:00:00", selected_meter_slug=PACK, total_price=0.5, **EARLY),
    event("2026-01-12 09:00:00", selected_meter_slug=TIER, total_price=0.2, **EARLY),
    event("2026-01-13 10:00:00", selected_meter_slug=PACK, total_price=0.8, **EARLY),
    # ROUTER is out of economics
    event("2026-01-10 12:00:00", selected_meter_slug=TIER, total_price=5.0, **ROUTER),
    event("2026-01-16 12:00:00", selected_meter_slug=PACK, total_price=50.0, **ROUTER),
    # nothing at all on 2026-01-15
]


def tier_first(events: list[dict]) -> list[dict]:
    """Balances as the gateway sees them: the pack meter is used once the tier balance is gone."""
    empty_tier = {"local:tier": 0.0, "local:pack": 50.0}
    return [
        {**e, "balances": empty_tier} if e["selected_meter_slug"] in (PACK, V1_PACK) else e
        for e in events
    ]


EVENTS = tier_first(EVENTS)
ECON = oracle.economics_events(EVENTS)


@pytest.fixture(scope="module")
def loaded(store_url: str) -> Iterator[Store]:
    """One database with EVENTS materialized FIRST..LAST through Dagster, shared by the
    read-only tests below (materializing 36 days once keeps the module fast)."""
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as store:
        insert_events(store, EVENTS)
        materialize(FIRST, LAST, *ASSETS)
        yield store


# --- comparing a table with expected rows ----------------------------------------------------


def _key(value: Any) -> Any:
    return value.date() if isinstance(value, pd.Timestamp) else value


def rows(store: Store, table: str, keys: list[str]) -> dict[tuple, dict[str, Any]]:
    frame = store.frame(f"SELECT * FROM {store.table(table)}")
    return {tuple(_key(row[k]) for k in keys): row for row in frame.to_dict("records")}


def _instant(moment: Any) -> pd.Timestamp:
    stamp = pd.Timestamp(moment)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp


def same(actual: Any, expected: Any) -> bool:
    if (
        expected is None
        or expected is pd.NA
        or (isinstance(expected, float) and math.isnan(expected))
    ):
        return actual is None or actual is pd.NA or pd.isna(actual)
    if isinstance(expected, dt.datetime):  # the client may hand UTC times over in the host's zone
        return _instant(actual) == _instant(expected)
    if isinstance(expected, dt.date):
        return pd.Timestamp(actual).date() == expected
    if isinstance(expected, str):
        return actual == expected
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12)


def assert_table(store: Store, table: str, keys: list[str], expected: dict[tuple, dict]) -> None:
    actual = rows(store, table, keys)
    assert sorted(actual) == sorted(expected), table
    for key, columns in expected.items():
        for column, value in columns.items():
            got = actual[key][column]
            assert same(got, value), f"{table} {key} {column}: {got!r} != expected {value!r}"


def per_day(compute, days: list[dt.date] = DAYS) -> dict[tuple, dict]:
    """Expected rows of an as_of table: ``compute(as_of)`` gives {key: row} for one day."""
    return {
        (day, *(key if isinstance(key, tuple) else (key,))): row
        for day in days
        for key, row in compute(day).items()
    }


def user_windows(day: dt.date) -> dict[str, dict]:
    return expect.user_windows(ECON, day)


# --- tables ----------------------------------------------------------------------------------


def test_user_cohort_equals_independent_computation(loaded):
    expected = per_day(lambda day: expect.cohort(ECON, day))
    assert_table(loaded, "user_cohort", ["as_of", "user_id"], expected)


def test_cohort_edge_cases(loaded):
    cohort = rows(loaded, "user_cohort", ["as_of", "user_id"])
    flags = {
        user: (cohort[(LAST, user)]["converted_7d"], cohort[(LAST, user)]["converted_30d"])
        for user in ("u7", "u8", "ue", "ub", "ui", "ug")
    }
    assert flags == {
        "u7": (1, 1),  # first pack exactly 7 UTC days after signup
        "u8": (0, 1),  # 8 UTC days, although less than 8 x 24 hours
        "ue": (0, 0),  # a pack one hour before the first tier event, same day
        "ub": (1, 1),  # signup 01-09: its tier and pack inside the bug window do not count
        "ui": (1, 1),
        "ug": (1, 1),
    }
    assert cohort[(LAST, "ue")]["pack_before_tier"] == 1
    assert same(cohort[(LAST, "ub")]["first_tier_at"], at("2026-01-09 09:00:00"))
    assert (LAST, "router") not in cohort
    # as known on 01-17, eight has not bought yet
    assert pd.isna(cohort[(dt.date(2026, 1, 17), "u8")]["first_pack_at"])
    assert cohort[(dt.date(2026, 1, 17), "u8")]["converted_30d"] == 0


def test_cohort_conversion_daily_counts_cohorts(loaded):
    def conversion(day: dt.date) -> dict:
        return expect.conversion(expect.cohort(ECON, day), day)

    assert_table(loaded, "cohort_conversion_daily", ["as_of", "cohort_day"], per_day(conversion))


def test_user_windows_equal_independent_computation(loaded):
    assert_table(loaded, "user_windows", ["as_of", "user_id"], per_day(user_windows))


def test_idle_user_and_day_without_traffic(loaded):
    windows = rows(loaded, "user_windows", ["as_of", "user_id"])
    # idle's 11 Pollen pack of 12-20 is in the 30-day window of 01-18, not of 01-19
    assert windows[(dt.date(2026, 1, 18), "ui")]["qualifies"] == 1
    idle = windows[(dt.date(2026, 1, 19), "ui")]
    assert idle["pack_30d"] == 0 and pd.isna(idle["momentum"]) and idle["pack_90d"] == 11.0
    # a day with no traffic still has the windows of everyone active in the 90 days before
    quiet = {user: row for (day, user), row in windows.items() if day == NO_TRAFFIC}
    assert set(quiet) == {"ui", "ug", "ub", "u7", "u8", "ue"}
    assert all(row["total_1d"] == 0 and row["total_90d"] > 0 for row in quiet.values())
    system = rows(loaded, "spikes_daily", ["as_of", "entity_type", "entity_id"])
    assert system[(NO_TRAFFIC, "system", "system")]["pollen_1d"] == 0


def test_app_and_model_windows_equal_independent_computation(loaded):
    apps = per_day(lambda day: expect.app_windows(ECON, day))
    assert_table(loaded, "app_windows", ["as_of", "app_id"], apps)
    by_app = rows(loaded, "app_windows", ["as_of", "app_id"])
    assert by_app[(LAST, "k-undefined")]["is_named_app"] == 0
    # eight's BYOP key is the app "eight-app" of its end users, apart from eight's own key
    assert by_app[(LAST, "byop:eight-app")]["user_id"] == ""
    assert by_app[(LAST, "k-u8")]["user_id"] == "u8"
    models = per_day(lambda day: expect.model_windows(ECON, day))
    assert_table(loaded, "model_windows", ["as_of", "resolved_model_requested"], models)


WINDOW_TABLES = {  # the tables with two methods: their key and their oracle
    "user_windows": ("user_id", expect.user_windows),
    "app_windows": ("app_id", expect.app_windows),
    "model_windows": ("resolved_model_requested", expect.model_windows),
}
LEAVES_30D = dt.date(2026, 1, 19)  # idle's 11 Pollen of 12-20 has just left its 30-day window


def test_one_day_fans_out_and_a_long_run_sums_running_both_as_the_oracle(loaded, store):
    """The fixture's 36-day run took the running sums; one day alone takes the fan-out. Both
    equal the oracle on that day, and so do the idle user's hand-counted windows."""
    one_day = Window(at("2026-01-19 00:00:00"), at("2026-01-20 00:00:00"))
    for name in WINDOW_TABLES:
        assert plan_of(name).is_long(WINDOW) and not plan_of(name).is_long(one_day)
    insert_events(store, EVENTS)
    materialize(FIRST, LAST, "group:core")
    result = materialize(LEAVES_30D, LEAVES_30D, *WINDOW_TABLES)
    for name, (key, compute) in WINDOW_TABLES.items():
        ran = result.asset_materializations_for_node(name)[0].metadata["sql"].value
        assert "arrayJoin(arrayFilter" in ran and "OVER so_far" not in ran  # the fan-out ran
        expected = per_day(lambda day, compute=compute: compute(ECON, day), [LEAVES_30D])
        assert_table(store, name, ["as_of", key], expected)
        long_run = {
            k: v for k, v in rows(loaded, name, ["as_of", key]).items() if k[0] == LEAVES_30D
        }
        assert sorted(long_run) == sorted(expected)
    idle = rows(store, "user_windows", ["as_of", "user_id"])[(LEAVES_30D, "ui")]
    assert (idle["pack_30d"], idle["pack_90d"], idle["tier_90d"]) == (0.0, 11.0, 0.2)
    assert (idle["active_days_30d"], idle["active_days_90d"], idle["apps_90d"]) == (0, 1, 1)
    assert pd.isna(idle["momentum"])


RANGE_TABLES = {  # the *_ranges tables: their rows' key
    "user_ranges": ["as_of", "window_days", "user_id", "user_tier"],
    "app_ranges": ["as_of", "window_days", "app_id"],
    "referrer_ranges": ["as_of", "window_days", "referrer_domain"],
    "model_ranges": [
        "as_of",
        "window_days",
        "resolved_model_requested",
        "user_tier",
        "api_key_type",
    ],
}


@pytest.mark.parametrize("name", [*WINDOW_TABLES, *RANGE_TABLES])
def test_running_sums_of_the_long_run_equal_the_fan_out_on_every_as_of(loaded, name):
    """The fixture's 36-day run took the running sums, in queries of up to 30 days: every row of
    every as_of (the first days of a query included, where rows before it fold onto its first
    day) equals the fan-out's over the same days."""
    plan = plan_of(name)
    assert plan.is_long(WINDOW)
    if name in RANGE_TABLES:  # a run of several queries: the fold onto a query's first day too
        assert len(plan.parts(WINDOW, loaded, "")) > 1
    keys = RANGE_TABLES.get(name) or ["as_of", WINDOW_TABLES[name][0]]
    fan_out = plan.render(loaded, loaded, loaded.table(catalog.RAW_TABLE), long_run=False)
    frame = loaded.frame(fan_out.sql, {**WINDOW.params(), **fan_out.params})
    expected = {tuple(_key(row[k]) for k in keys): row for row in frame.to_dict("records")}
    assert len(expected) > len(DAYS)
    assert_table(loaded, name, keys, expected)


def test_spikes_equal_independent_computation(loaded):
    expected = per_day(lambda day: expect.spikes(ECON, day))
    assert_table(loaded, "spikes_daily", ["as_of", "entity_type", "entity_id"], expected)
    assert expected[(dt.date(2026, 1, 18), "system", "system")]["is_spike"] == 1  # eight's 15


def test_segments_and_tier_overlay_equal_independent_computation(loaded):
    segments = per_day(lambda day: expect.segments(user_windows(day)))
    assert_table(loaded, "user_segments", ["as_of", "user_id"], segments)
    assert {row["segment"] for (day, _), row in segments.items() if day == LAST} == {
        "top_5",
        "next_15",
        "middle_60",
        "bottom_20",
    }
    overlay = per_day(lambda day: expect.tier_overlay(user_windows(day)))
    assert_table(loaded, "tier_overlay_daily", ["as_of", "user_tier"], overlay)


def evaluate_all(store: Store, window: Window) -> dict[tuple[str, str], Any]:
    """Every check of every economics table, as their materializations run them."""
    return {
        (table, name): result
        for table in ECONOMICS
        for name, result in evaluate(store, table, window).items()
    }


def test_every_check_passes_on_the_materialized_range(loaded):
    failed = {key: r.description for key, r in evaluate_all(loaded, WINDOW).items() if not r.passed}
    assert failed == {}


def test_headline_reports_conversion_and_rising_developers(loaded):
    report = headline_numbers(loaded, FIRST, LAST)
    # 7-day conversion over the cohorts at least 7 days old: seven, buggy, idle, oldgen of 6
    assert "conversion within 7 days: 66.7% (4 of 6 users" in report
    rising = report[report.index("top rising developers") :].splitlines()[1:]
    # eight: 16.5 of 16.5 pack in 7 days; seven: 6 of 12; idle's 0.3 is under the threshold
    assert [line.split()[0] for line in rising] == ["eight", "seven"]
    assert "100.0%" in rising[0] and "50.0%" in rising[1]


def test_economics_tables_read_summaries_only():
    graph = definitions().resolve_asset_graph()
    parents = {
        name: {key.to_user_string() for key in graph.get(AssetKey(name)).parent_keys}
        for name in ECONOMICS
    }
    assert parents["spikes_daily"] == {"user_windows", "app_windows", "model_windows"}
    # the app and referrer rankings' ranges also read referrer_daily, a daily summary too, and
    # the sign-up cohorts D1's accounts (account_daily, the summary of d1_user)
    daily = {"user_daily", "app_daily", "model_daily", "referrer_daily", "account_daily"}
    summaries = {*daily, *ECONOMICS}
    assert all(upstream <= summaries for upstream in parents.values())
    for name in ECONOMICS:  # no raw events and no fine facts, not even in the SQL text
        select = (catalog.table_folders()[name] / "select.sql").read_text()
        assert "$raw_table" not in select and "$event_facts" not in select


# --- each check fails when it should ----------------------------------------------------------

BALANCE = "balance_agrees_with_meters"
SMALL_DAY = dt.date(2026, 2, 3)
SMALL_WINDOW = Window(at("2026-02-03 00:00:00"), at("2026-02-04 00:00:00"))
SMALL_EVENTS = tier_first(
    [
        event("2026-02-02 10:00:00", selected_meter_slug=TIER, total_price=0.2, **SEVEN),
        event("2026-02-03 10:00:00", selected_meter_slug=PACK, total_price=12.0, **SEVEN),
        event("2026-02-03 11:00:00", selected_meter_slug=TIER, total_price=0.1, **EIGHT),
        event("2026-02-03 12:00:00", selected_meter_slug=PACK, total_price=0.5, **EIGHT),
        event("2026-02-03 13:00:00", selected_meter_slug=TIER, total_price=0.3, **EARLY),
        # seven and early as end users of eight's BYOP app: two keys, one app of one active day
        *(
            event(
                "2026-02-03 14:00:00",
                selected_meter_slug=TIER,
                total_price=0.4,
                **{
                    **who,
                    "api_key_id": f"k-byop-{who['user_id']}",
                    "api_key_name": "eight-byop",
                    "api_key_type": "temporary",
                },
            )
            for who in (SEVEN, EARLY)
        ),
    ]
)

# (table, corruption, the checks it must make fail). Leaf tables come first: each check only
# reads tables corrupted after it.
CORRUPTIONS = [
    # a BYOP app's two keys are one app of one active day: the recount counts days, not keys
    (
        "app_ranges",
        "UPDATE active_days = 2 WHERE app_id = 'byop:eight-byop' AND window_days = 7",
        ["apps_match_daily"],
    ),
    ("app_ranges", "DELETE WHERE app_id = 'byop:eight-byop'", ["apps_match_daily"]),
    # alice.example's apps: three developer keys and the BYOP app's two keys, four apps
    ("referrer_ranges", "UPDATE apps = apps + 1 WHERE 1", ["domains_match_daily"]),
    (
        "cohort_conversion_daily",
        "UPDATE converted_7d = converted_7d + 1 WHERE 1",
        ["conversion_matches_cohort", checks.SCHEMA_VALID],  # counts, and rate != converted / users
    ),
    (
        "spikes_daily",
        "UPDATE pollen_1d = pollen_1d + 100, ratio_7d = 8 WHERE entity_type = 'system'",
        ["spikes_match_daily", checks.SCHEMA_VALID],  # sums, and ratio_7d above 7
    ),
    ("user_segments", "DELETE WHERE pollen_rank = 1", ["segments_match_windows"]),
    ("user_segments", "UPDATE segment = 'bottom_20' WHERE pollen_rank = 2", [checks.SCHEMA_VALID]),
    (
        "tier_overlay_daily",
        "UPDATE users = users + 1, paid_share_p90 = 1.5 WHERE 1",
        ["tier_overlay_matches_windows", checks.SCHEMA_VALID],  # counts, and a share above 1
    ),
    ("model_windows", "UPDATE total_7d = total_7d + 1 WHERE 1", ["windows_match_daily"]),
    ("model_windows", "UPDATE cost_share_1d = 1.5 WHERE 1", [checks.SCHEMA_VALID]),
    ("app_windows", "UPDATE requests_30d = requests_30d + 1 WHERE 1", ["apps_match_daily"]),
    ("app_windows", "DELETE WHERE app_id = 'byop:eight-byop'", ["apps_match_daily"]),
    ("user_windows", "UPDATE momentum = 1.5 WHERE user_id = 'u7'", [checks.SCHEMA_VALID]),
    ("user_windows", "UPDATE pack_30d = pack_30d + 1 WHERE 1", ["windows_match_daily"]),
    ("user_cohort", "UPDATE converted_7d = 1 - converted_7d WHERE 1", [checks.SCHEMA_VALID]),
    ("user_cohort", "DELETE WHERE user_id = 'u8'", ["cohort_matches_daily"]),
]


def test_each_check_fails_on_a_corrupted_row(store):
    insert_events(store, SMALL_EVENTS)
    materialize(SMALL_DAY - dt.timedelta(days=1), SMALL_DAY, *ASSETS)
    assert all(r.passed for r in evaluate_all(store, SMALL_WINDOW).values())
    for table, corruption, failing in CORRUPTIONS:
        store.command(f"ALTER TABLE {store.table(table)} {corruption} SETTINGS mutations_sync = 1")
        results = evaluate_all(store, SMALL_WINDOW)
        for check_name in failing:
            assert not results[(table, check_name)].passed, (table, corruption, check_name)


def test_the_app_drill_down_counts_a_byop_apps_keys_as_one_app(store):
    """app_model_by_app: eight-byop's two end users' keys are one app of the day (2 requests,
    0.8 Pollen, hand-summed), the developers' keys apps of their own; models_match_daily passes,
    then fails once the app's row is changed."""
    insert_events(store, SMALL_EVENTS)
    materialize(SMALL_DAY, SMALL_DAY, '2+key:"app_model_by_app"')  # its tables and theirs
    rows = store.rows(
        f"SELECT app_id, sum(requests), sum(total_pollen) FROM {store.table('app_model_by_app')} "
        "GROUP BY app_id ORDER BY app_id"
    )
    by_app = {app: (requests, pollen) for app, requests, pollen in rows}
    assert by_app["byop:eight-byop"][0] == 2 and math.isclose(by_app["byop:eight-byop"][1], 0.8)
    assert not any(app.startswith("k-byop-") for app in by_app)
    assert evaluate(store, "app_model_by_app", SMALL_WINDOW)["models_match_daily"].passed
    store.command(
        f"ALTER TABLE {store.table('app_model_by_app')} UPDATE requests = 1 "
        "WHERE app_id = 'byop:eight-byop' SETTINGS mutations_sync = 1"
    )
    assert not evaluate(store, "app_model_by_app", SMALL_WINDOW)["models_match_daily"].passed


def snapshot(store: Store) -> dict[str, pd.DataFrame]:
    return {
        name: store.frame(f"SELECT * FROM {store.table(name)} ORDER BY ALL") for name in ECONOMICS
    }


def test_rematerializing_is_idempotent_and_picks_up_late_events(store):
    insert_events(store, SMALL_EVENTS)
    days = [SMALL_DAY - dt.timedelta(days=1), SMALL_DAY]
    materialize(*days, *ASSETS)
    before = snapshot(store)
    materialize(SMALL_DAY, SMALL_DAY, *ASSETS)
    for name, frame in snapshot(store).items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)

    late = event("2026-02-03 20:00:00", selected_meter_slug=PACK, total_price=20.0, **EIGHT)
    insert_events(store, tier_first([late]))
    materialize(SMALL_DAY, SMALL_DAY, *ASSETS)  # the hourly rescan, then the day's rollups
    econ = oracle.economics_events(tier_first([*SMALL_EVENTS, late]))
    expected = per_day(lambda day: expect.user_windows(econ, day), days)
    assert_table(store, "user_windows", ["as_of", "user_id"], expected)
    assert expected[(SMALL_DAY, "u8")]["qualifies"] == 1  # 20.5 Pollen of pack now


USER_WINDOWS_AND_UPSTREAM = '+key:"user_windows"'  # Dagster's selection syntax


def test_balance_cross_check_warns_when_balances_contradict_meters(store):
    agreeing = event("2026-02-03 10:00:00", selected_meter_slug=TIER, total_price=0.2, **SEVEN)
    insert_events(store, [agreeing])  # tier balance 3 covers the price: implied free = metered
    materialize(SMALL_DAY, SMALL_DAY, USER_WINDOWS_AND_UPSTREAM)
    assert evaluate(store, "user_windows", SMALL_WINDOW)[BALANCE].passed

    empty_tier = {"local:tier": 0.0, "local:pack": 5.0}  # metered free, but no free balance
    insert_events(
        store,
        [
            event(
                "2026-02-03 11:00:00",
                selected_meter_slug=TIER,
                total_price=0.2,
                balances=empty_tier,
                **EIGHT,
            )
        ],
    )
    materialize(SMALL_DAY, SMALL_DAY, USER_WINDOWS_AND_UPSTREAM)
    result = evaluate(store, "user_windows", SMALL_WINDOW)[BALANCE]
    assert not result.passed
    assert result.severity == AssetCheckSeverity.WARN
    assert result.metadata["implied_free_pollen"].value == pytest.approx(0.2)
    assert result.metadata["meter_free_pollen"].value == pytest.approx(0.4)
