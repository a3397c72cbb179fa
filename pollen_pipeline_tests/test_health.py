"""health_hourly and health_daily equal an independent computation from hand-made events of
known statuses, latencies and cached tokens, the latency histogram combines over hours, and each
of their checks fails when it should."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

from pollen_pipeline import checks
from pollen_pipeline.defs.health import rules as latency
from pollen_pipeline.store import Window
from pollen_pipeline_tests.checking import evaluate
from pollen_pipeline_tests.databases import materialize
from pollen_pipeline_tests.events import at, insert_events
from pollen_pipeline_tests.grafana_panels import (
    load_dashboard,
    panel_queries,
    resolve_variables,
    rows_as_dicts,
    run_query,
)
from pollen_pipeline_tests.grafana_sql import TimeRange, expand
from pollen_pipeline_tests.health_events import DAY, EVENTS, TOKEN_KINDS, health_event
from pollen_pipeline_tests.oracle import nearest_rank

WINDOW = Window(at("2026-03-05 00:00:00"), at("2026-03-06 00:00:00"))
SELECT = ["event_facts_daily", "load_minutely", "health_hourly"]
STATUS_CLASSES = "status_classes_match_raw"
DASHBOARDS = Path(__file__).resolve().parents[1] / "grafana" / "dashboards"
TITLE = "Provider comparison"


def expected_health(events: list[dict], by_day: bool = False) -> dict:
    """Measures per hour (or UTC day), provider and event type of the production events."""
    groups = defaultdict(list)
    for e in events:
        if e["environment"] == "production":
            start = e["start_time"]
            period = start.date() if by_day else start.replace(minute=0, second=0)
            groups[(period, e["model_provider_used"], e["event_type"])].append(e)
    return {key: _measures(group) for key, group in groups.items()}


def _measures(group: list[dict]) -> dict:
    statuses = [e["response_status"] for e in group]
    hits = [e for e in group if e["cache_hit"]]
    times = [e["response_time"] for e in group]
    return {
        "requests": len(group),
        "status_2xx": sum(200 <= s < 300 for s in statuses),
        "status_4xx": sum(400 <= s < 500 for s in statuses),
        "status_429": sum(s == 429 for s in statuses),
        "status_5xx": sum(500 <= s < 600 for s in statuses),
        "errors": sum(s >= 400 or s < 100 for s in statuses),
        "cache_hits": len(hits),
        "cache_savings_pollen": sum(
            e[f"token_count_{kind}"] * e[f"token_price_{kind}"]
            for e in hits
            for kind in TOKEN_KINDS
        ),
        "tokens_in": sum(e[f"token_count_{k}"] for e in group for k in TOKEN_KINDS[:4]),
        "tokens_out": sum(e[f"token_count_{k}"] for e in group for k in TOKEN_KINDS[4:]),
        **{f"latency_{name}_ms": nearest_rank(times, q) for name, q in latency.QUANTILES.items()},
    }


def health_rows(store, table: str = "health_hourly") -> dict:
    """A health table's rows by (hour or day, provider, event type)."""
    columns = list(_measures(EVENTS[:1]))
    frame = store.frame(
        f"SELECT toString({'day' if table == 'health_daily' else 'hour'}) AS period, "
        f"model_provider_used, event_type, {', '.join(columns)} FROM {store.table(table)} "
        "ORDER BY period, model_provider_used, event_type"
    )
    return {
        (_parse(row.period), row.model_provider_used, row.event_type): {
            column: getattr(row, column) for column in columns
        }
        for row in frame.itertuples()
    }


def _parse(text: str) -> dt.date | dt.datetime:
    return dt.date.fromisoformat(text) if len(text) == 10 else at(text)


def assert_matches(actual: dict, expected: dict) -> None:
    assert actual.keys() == expected.keys()
    for key, want in expected.items():
        for column, value in want.items():
            got = actual[key][column]
            if column.startswith("latency_"):  # one bucket of the log-scale histogram
                assert got == pytest.approx(value, rel=latency.RELATIVE_RESOLUTION), (key, column)
            elif isinstance(value, float):
                assert got == pytest.approx(value, rel=1e-12), (key, column)
            else:
                assert got == value, (key, column)


@pytest.fixture
def loaded(store):
    insert_events(store, EVENTS)
    materialize(DAY, DAY, *SELECT)
    return store


def test_health_hourly_equals_independent_computation(loaded):
    expected = expected_health(EVENTS)
    assert len(expected) == 8  # two hours x two providers x text and image
    assert_matches(health_rows(loaded), expected)


def test_latency_histograms_combine_over_hours(loaded):
    quantiles = ", ".join(
        latency.quantile_sql("sumMap(latency_histogram)", q) for q in latency.QUANTILES.values()
    )
    rows = loaded.rows(
        f"SELECT model_provider_used, {quantiles} FROM {loaded.table('health_hourly')} "
        "GROUP BY model_provider_used"
    )
    for provider, *got in rows:
        times = [
            e["response_time"]
            for e in EVENTS
            if e["model_provider_used"] == provider and e["environment"] == "production"
        ]
        want = [nearest_rank(times, q) for q in latency.QUANTILES.values()]
        assert got == pytest.approx(want, rel=latency.RELATIVE_RESOLUTION), provider


def test_health_survives_a_separate_source(store, store_url, monkeypatch):
    # The histogram column must travel as Arrow from the source (quantile states do not).
    monkeypatch.setenv("POLLEN_SOURCE_CLICKHOUSE_URL", store_url)
    monkeypatch.setenv("POLLEN_SOURCE_TABLE", store.table("generation_event"))
    insert_events(store, EVENTS)
    materialize(DAY, DAY, *SELECT)
    assert_matches(health_rows(store), expected_health(EVENTS))


def test_health_panels_read_hours_of_a_day_health_daily_lacks(loaded):
    """health_daily not built (the daily run has not reached the day): a range covering the day
    whole still shows its requests, from health_hourly."""
    dashboard = load_dashboard(DASHBOARDS / "pollen-platform-health.json")
    whole_day = TimeRange(at("2026-03-05 00:00:00"), at("2026-03-05 23:59:59"), 86400)
    loaded.command(f"USE {loaded.database}")  # dashboards name tables unqualified
    try:
        sql = next(sql for panel, sql in panel_queries(dashboard) if panel["title"] == TITLE)
        variables = resolve_variables(loaded, dashboard, whole_day, {})
        rows = rows_as_dicts(run_query(loaded, expand(sql, variables, whole_day)))
    finally:
        loaded.command("USE default")
    production = [e for e in EVENTS if e["environment"] == "production"]
    assert {row["provider"]: row["request_count"] for row in rows} == {
        provider: sum(e["model_provider_used"] == provider for e in production)
        for provider in ("azure", "aws")
    }


def _results(store) -> dict:
    return evaluate(store, "health_hourly", WINDOW)


def _update(store, assignment: str) -> None:
    store.command(
        f"ALTER TABLE {store.table('health_hourly')} UPDATE {assignment} "
        "WHERE model_provider_used = 'aws' SETTINGS mutations_sync = 1"
    )


def test_checks_pass_on_correct_rows(loaded):
    assert all(result.passed for result in _results(loaded).values())


def test_reconciliation_and_status_classes_fail_on_late_production_events(loaded):
    insert_events(loaded, [health_event(11, "aws", 4, environment="staging")])  # out of scope
    assert all(result.passed for result in _results(loaded).values())

    insert_events(loaded, [health_event(11, "aws", 4)])  # a 500, not yet materialized
    results = _results(loaded)
    assert not results[checks.RECONCILES_WITH_RAW].passed
    assert not results[STATUS_CLASSES].passed
    mismatched = results[STATUS_CLASSES].metadata["mismatched_hours"].value
    (hour,) = mismatched
    assert hour == "2026-03-05T11:00:00+00:00"
    assert mismatched[hour]["raw"]["status_5xx"] == mismatched[hour]["table"]["status_5xx"] + 1


def test_status_classes_fail_when_a_class_is_miscounted(loaded):
    _update(loaded, "status_429 = status_429 - 1, status_4xx = status_4xx - 1")
    results = _results(loaded)
    assert not results[STATUS_CLASSES].passed
    assert results[checks.RECONCILES_WITH_RAW].passed  # requests alone cannot see it


@pytest.mark.parametrize(
    "assignment",
    [
        "latency_p50_ms = latency_p95_ms * 1.5",  # out of order
        "latency_p99_ms = latency_max_ms * 2",  # above the slowest response
        "latency_histogram = mapApply((k, v) -> (k, v * 2), latency_histogram)",  # miscounted
    ],
)
def test_latency_check_fails_on_invalid_quantiles(loaded, assignment):
    _update(loaded, assignment)
    result = _results(loaded)["latency_quantiles_valid"]
    assert not result.passed
    assert result.metadata["rows"].value


def test_schema_fails_when_rate_limited_exceeds_4xx(loaded):
    _update(loaded, "status_429 = status_4xx + 1")
    assert not _results(loaded)[checks.SCHEMA_VALID].passed


# --- health_daily: the hours of each UTC day summed ----------------------------------------

# Two days: the hand-made day and a copy of its first 40 events (azure's) a day later.
ONE_DAY = dt.timedelta(days=1)
TWO_DAYS = EVENTS + [
    {**e, "start_time": e["start_time"] + ONE_DAY, "end_time": e["end_time"] + ONE_DAY}
    for e in EVENTS[:40]
]
NEXT_DAY = DAY + ONE_DAY
DAILY = [*SELECT, "health_daily"]
TWO_DAY_WINDOW = Window(at("2026-03-05 00:00:00"), at("2026-03-07 00:00:00"))


@pytest.fixture
def loaded_days(store):
    insert_events(store, TWO_DAYS)
    materialize(DAY, NEXT_DAY, *DAILY)
    return store


def test_health_daily_equals_independent_computation(loaded_days):
    expected = expected_health(TWO_DAYS, by_day=True)
    assert {day for day, _, _ in expected} == {DAY, NEXT_DAY}
    assert_matches(health_rows(loaded_days, "health_daily"), expected)
    # the hourly table of the same run keeps its hours
    assert_matches(health_rows(loaded_days), expected_health(TWO_DAYS))


def test_health_daily_checks_pass_and_fail_on_a_changed_day(loaded_days):
    results = evaluate(loaded_days, "health_daily", TWO_DAY_WINDOW)
    assert all(result.passed for result in results.values()), results
    loaded_days.command(
        f"ALTER TABLE {loaded_days.table('health_daily')} UPDATE status_5xx = status_5xx + 1 "
        "WHERE day = {day:Date} SETTINGS mutations_sync = 1",
        {"day": NEXT_DAY},
    )
    summed = evaluate(loaded_days, "health_daily", TWO_DAY_WINDOW)["health_hourly_summed"]
    assert not summed.passed
    differing = list(summed.metadata["differing"].value)  # "day provider model event type"
    assert differing and {key.split()[0] for key in differing} == {NEXT_DAY.isoformat()}


def test_health_daily_quantile_check_fails_on_a_wrong_quantile(loaded_days):
    loaded_days.command(
        f"ALTER TABLE {loaded_days.table('health_daily')} "
        "UPDATE latency_p99_ms = latency_max_ms * 2 WHERE model_provider_used = 'azure' "
        "SETTINGS mutations_sync = 1"
    )
    result = evaluate(loaded_days, "health_daily", TWO_DAY_WINDOW)["latency_quantiles_valid"]
    assert not result.passed
