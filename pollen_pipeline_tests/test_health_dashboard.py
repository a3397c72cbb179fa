"""The "Pollen Platform Health" dashboard on hand-made health events: every panel returns rows,
and the key panels show the numbers computed here from the events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from pollen_pipeline.dashboards.platform_health import SLO_TARGETS
from pollen_pipeline.defs.health import rules as health
from pollen_pipeline_tests.databases import fresh_database, materialize
from pollen_pipeline_tests.events import insert_events
from pollen_pipeline_tests.grafana_panels import (
    as_utc,
    load_dashboard,
    resolve_variables,
    rows_as_dicts,
    run_query,
)
from pollen_pipeline_tests.grafana_sql import TimeRange, expand
from pollen_pipeline_tests.health_events import DAY, EVENTS
from pollen_pipeline_tests.oracle import nearest_rank

PATH = (
    Path(__file__).resolve().parents[1] / "grafana" / "dashboards" / "pollen-platform-health.json"
)
UTC = dt.UTC
RANGES = {
    "1d": TimeRange(
        dt.datetime.combine(DAY, dt.time(), UTC),
        dt.datetime.combine(DAY, dt.time(23, 59, 59), UTC),
        interval_seconds=3600,
    ),
    "30d": TimeRange(
        dt.datetime.combine(DAY - dt.timedelta(days=29), dt.time(), UTC),
        dt.datetime.combine(DAY, dt.time(23, 59, 59), UTC),
        interval_seconds=86400,
    ),
}
PRODUCTION = [e for e in EVENTS if e["environment"] == "production"]


@pytest.fixture(scope="module")
def dashboard() -> dict:
    return load_dashboard(PATH)


@pytest.fixture(scope="module")
def loaded(store_url) -> Iterator:
    """One materialized database for the module: its tests only read."""
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as store:
        insert_events(store, EVENTS)
        # what the dashboard reads, and the minute table health_hourly is grouped from
        materialize(DAY, DAY, "group:core", "group:health", "load_minutely")
        store.command(f"USE {store.database}")  # dashboards name tables unqualified
        try:
            yield store
        finally:
            store.command("USE default")


def panels(
    store, dashboard: dict, range_name: str | TimeRange
) -> dict[str, tuple[list[str], list[tuple]]]:
    time_range = RANGES[range_name] if isinstance(range_name, str) else range_name
    variables = resolve_variables(store, dashboard, time_range, {})
    return {
        panel["title"]: run_query(store, expand(target["rawSql"], variables, time_range))
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    }


def test_every_panel_returns_rows(loaded, dashboard):
    for range_name in RANGES:
        for title, (columns, rows) in panels(loaded, dashboard, range_name).items():
            assert rows, (range_name, title)
            assert len(set(columns)) == len(columns), (range_name, title)


def _share(events, condition) -> float:
    return sum(map(condition, events)) / len(events)


def test_provider_comparison_equals_the_events(loaded, dashboard):
    result = panels(loaded, dashboard, "30d")["Provider comparison"]
    for row in rows_as_dicts(result):
        events = [e for e in PRODUCTION if e["model_provider_used"] == row["provider"]]
        statuses = [e["response_status"] for e in events]
        assert row["request_count"] == len(events)
        assert row["success_share"] == pytest.approx(
            sum(200 <= s < 300 for s in statuses) / len(statuses)
        )
        assert row["rate_limited_share"] == pytest.approx(statuses.count(429) / len(statuses))
        assert row["server_error_share"] == pytest.approx(
            sum(s >= 500 for s in statuses) / len(statuses)
        )
        times = [e["response_time"] for e in events]
        for name, q in health.QUANTILES.items():
            assert row[f"{name}_ms"] == pytest.approx(
                nearest_rank(times, q), rel=health.RELATIVE_RESOLUTION
            )


def _at(day: dt.date, clock: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(clock), UTC)


# Ranges that cover DAY partly or whole, with edges: health panels read health_daily for the
# days a range covers whole and health_hourly for the hours around them.
FROM_ELEVEN = TimeRange(_at(DAY, "11:00:00"), _at(DAY + dt.timedelta(days=1), "05:59:59"), 3600)
FROM_EVENING_BEFORE = TimeRange(
    _at(DAY - dt.timedelta(days=1), "18:00:00"), _at(DAY, "23:59:59"), 86400
)
UNTIL_ELEVEN = TimeRange(_at(DAY, "00:00:00"), _at(DAY, "10:59:59"), 3600)


@pytest.mark.parametrize(
    ("time_range", "hours"),
    [(FROM_ELEVEN, {11}), (UNTIL_ELEVEN, {10}), (FROM_EVENING_BEFORE, {10, 11})],
    ids=[
        "DAY from 11:00 (hours)",
        "DAY until 10:59:59 (hours)",
        "DAY whole, the evening before (day and hours)",
    ],
)
def test_provider_comparison_over_part_of_a_day_or_a_whole_one(
    loaded, dashboard, time_range, hours
):
    rows = rows_as_dicts(panels(loaded, dashboard, time_range)["Provider comparison"])
    in_range = [e for e in PRODUCTION if e["start_time"].hour in hours]
    expected = {
        provider: sum(e["model_provider_used"] == provider for e in in_range)
        for provider in {e["model_provider_used"] for e in in_range}
    }
    assert {row["provider"]: row["request_count"] for row in rows} == expected
    for row in rows:
        times = [
            e["response_time"] for e in in_range if e["model_provider_used"] == row["provider"]
        ]
        assert row["p95_ms"] == pytest.approx(
            nearest_rank(times, health.QUANTILES["p95"]), rel=health.RELATIVE_RESOLUTION
        )


@pytest.mark.parametrize(("interval", "buckets"), [(3600, {10, 11}), (86400, {0})])
def test_series_read_days_only_in_buckets_of_whole_days(loaded, dashboard, interval, buckets):
    """DAY is whole in the range: with hourly buckets its hours are kept apart (a day row would
    put every request at midnight); with daily buckets, all at DAY's midnight."""
    whole_day = TimeRange(_at(DAY, "00:00:00"), _at(DAY, "23:59:59"), interval)
    rows = rows_as_dicts(
        panels(loaded, dashboard, whole_day)["Success rate and rate-limited share"]
    )
    counts = {as_utc(row["time"]).hour: row["request_count"] for row in rows}
    assert set(counts) == buckets
    for hour, count in counts.items():
        assert count == sum(
            interval == 86400 or e["start_time"].hour == hour for e in PRODUCTION
        ), hour


def test_slo_row_for_all_providers(loaded, dashboard):
    rows = rows_as_dicts(panels(loaded, dashboard, "1d")["SLO compliance"])
    overall = rows[0]
    assert overall["provider"] == "(all providers)"
    statuses = [e["response_status"] for e in PRODUCTION]
    availability = 1 - sum(s >= 500 for s in statuses) / len(statuses)
    assert overall["availability_share"] == pytest.approx(availability)
    defaults = {name: float(value) for name, value in SLO_TARGETS.values()}
    assert overall["slo_availability_share"] == defaults["sloAvailability"]
    assert overall["availability"] == "missed"  # a third of the hand-made requests fail
    assert overall["slo_p95_ms"] == defaults["sloLatencyP95Ms"]


def test_cache_savings_and_aggregation_health(loaded, dashboard):
    results = panels(loaded, dashboard, "1d")
    (savings,) = rows_as_dicts(results["Cache savings"])
    hits = [e for e in PRODUCTION if e["cache_hit"]]
    expected = sum(
        e[name] * e[name.replace("token_price_", "token_count_")]
        for e in hits
        for name in e
        if name.startswith("token_price_")
    )
    assert savings["cache_savings_pollen"] == pytest.approx(expected, rel=1e-12)
    assert savings["cache_hit_count"] == len(hits)
    (day,) = rows_as_dicts(results["Aggregation health by day"])
    assert day["missing_request_count"] == 0
    assert day["hours_in_health_hourly"] == 2
    checks = rows_as_dicts(results["Raw vs aggregate checks (latest)"])
    assert {row["asset"] for row in checks} >= {"health_hourly", "usage_hourly"}
    assert {row["status"] for row in checks} == {"passed"}
