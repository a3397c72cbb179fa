"""Events from generation_event_v2 from the day it is authoritative, the v1 archive before it and
for what v2 never holds (event_source.py): every request counted once, fallback attempts not
counted as requests, an agent run costing its children. Expected numbers are counted by hand
from the events below."""

from __future__ import annotations

import datetime as dt

import pytest

from pollen_pipeline.event_source import EventSourceError
from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.store import Store
from pollen_pipeline_tests.databases import materialize
from pollen_pipeline_tests.events import event, insert_events

BEFORE, V2_FROM = dt.date(2026, 2, 9), dt.date(2026, 2, 10)
V1, V2 = "generation_event", "generation_event_v2"
BOB = {"user_id": "u2", "user_github_id": "1002", "user_github_username": "bob", "api_key_id": "k2"}

# v1, the archive: one request before v2_from (v2 holds a backfilled copy of it), one request of
# v2_from written to both tables during the switch, and what only v1 ever holds: a cache hit and
# an anonymous request.
ARCHIVE = [
    event("2026-02-09 10:00:00", request_id="r-before", total_price=0.5),
    event("2026-02-10 09:00:00", request_id="r-both", total_price=0.25),
    event("2026-02-10 11:00:00", request_id="r-cached", cache_hit=True, total_price=0.1, **BOB),
    event("2026-02-10 12:00:00", request_id="r-anon", user_id="undefined", total_price=0.0),
]


def v2(start: str, **fields: object) -> dict:
    """A v2 row: final and without a parent unless given (every row names every column)."""
    none: dict = {}
    defaults = {"is_final": True, "parent_request_id": ""}
    defaults |= {"adjustment_costs": none, "adjustment_units": none}
    return event(start, **{**defaults, **fields})


FAILED_ATTEMPT = {"is_final": False, "response_status": 500, "total_price": 0.0, "total_cost": 0.0}
# v2: the backfilled copy, the request of both tables, a request that fell back twice before
# model m-b served it, and an agent run (a free parent row, two priced children).
CURRENT = [
    v2("2026-02-09 10:00:00", request_id="r-before", total_price=0.5),
    v2(
        "2026-02-10 09:00:00",
        request_id="r-both",
        total_price=0.25,
        # two web searches, already inside its price: 0.002 USD each
        adjustment_costs={"google.search_query.v1": 0.004},
        adjustment_units={"google.search_query.v1": 2.0},
    ),
    v2("2026-02-10 13:00:00", request_id="r-fb", model_used="m-a", **FAILED_ATTEMPT),
    v2("2026-02-10 13:00:01", request_id="r-fb", model_used="m-c", **FAILED_ATTEMPT),
    v2("2026-02-10 13:00:02", request_id="r-fb", model_used="m-b", total_price=0.4),
    v2("2026-02-10 14:00:00", request_id="run-1", total_price=0.0),
    v2("2026-02-10 14:00:05", request_id="step-1", parent_request_id="run-1", total_price=0.2),
    v2("2026-02-10 14:00:09", request_id="step-2", parent_request_id="run-1", total_price=0.3),
]


def facts_by_day(store: Store) -> dict[dt.date, tuple[int, float]]:
    """Requests and Pollen per day, over every event the facts grouped (contract filters too)."""
    rows = store.rows(
        f"SELECT day, sum(events), round(sum(price_sum), 9) "
        f"FROM {store.table('event_facts_daily')} GROUP BY day"
    )
    return {day: (events, pollen) for day, events, pollen in rows}


def alice_on(store: Store, day: dt.date) -> tuple[int, float]:
    [(requests, pollen)] = store.rows(
        f"SELECT requests, round(total_pollen, 9) FROM {store.table('user_daily')} "
        "WHERE day = {day:Date} AND user_id = 'u1'",
        {"day": day},
    )
    return requests, pollen


def test_each_request_counted_once_from_the_table_that_holds_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
):
    insert_events(store, ARCHIVE, V1)
    insert_events(store, CURRENT, V2)
    monkeypatch.setenv("POLLEN_V2_FROM", V2_FROM.isoformat())
    materialize(BEFORE, V2_FROM, "event_facts_daily", "user_daily")
    # 02-09: v1 alone (v2's backfilled copy not again). 02-10: v2's final rows (r-both, r-fb
    # once, the run's parent and two steps: 5), v1's cache hit and anonymous request (2); not
    # v1's copy of r-both, not the two fallback attempts.
    assert facts_by_day(store) == {BEFORE: (1, 0.5), V2_FROM: (7, 1.25)}
    # alice's priced, served requests: r-both, r-fb, the two steps (the free parent row and
    # bob's cache hit are not hers to count): the run costs its children, 0.2 + 0.3
    assert alice_on(store, V2_FROM) == (4, 0.25 + 0.4 + 0.5)


def test_without_v2_from_v1_alone_as_before(store: Store):
    insert_events(store, ARCHIVE, V1)
    insert_events(store, CURRENT, V2)
    materialize(BEFORE, V2_FROM, "event_facts_daily")
    assert facts_by_day(store) == {BEFORE: (1, 0.5), V2_FROM: (3, 0.35)}


def test_v2_from_without_a_v2_table_says_so(store: Store, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("POLLEN_V2_FROM", V2_FROM.isoformat())
    monkeypatch.setenv("POLLEN_SOURCE_TABLE_V2", f"{store.database}.no_such_table")
    resource = ClickHouseResource()
    with pytest.raises(EventSourceError, match="no_such_table does not exist"):
        resource.settings().event_tables.relation(store)


def test_without_its_archive_the_relation_says_so(store: Store, monkeypatch: pytest.MonkeyPatch):
    store.command(f"DROP TABLE {store.table(V1)}")
    monkeypatch.setenv("POLLEN_V2_FROM", V2_FROM.isoformat())
    with pytest.raises(EventSourceError, match="generation_event does not exist"):
        ClickHouseResource().settings().event_tables.relation(store)


def test_on_a_source_v2_is_read_beside_the_raw_events(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("POLLEN_SOURCE_CLICKHOUSE_URL", "https://reader@tinybird.example:443")
    monkeypatch.setenv("POLLEN_SOURCE_TABLE", "workspace.generation_event")
    monkeypatch.delenv("POLLEN_SOURCE_TABLE_V2", raising=False)
    tables = ClickHouseResource().settings().event_tables
    assert (tables.archive, tables.current) == (
        "workspace.generation_event",
        "workspace.generation_event_v2",
    )


def test_fallback_attempts_are_counted_apart_from_requests(store: Store):
    insert_events(store, CURRENT, V2)
    result = materialize(BEFORE, V2_FROM, "fallbacks_daily")
    rows = store.rows(
        "SELECT day, model_tried, response_status, attempts, requests "
        f"FROM {store.table('fallbacks_daily')} ORDER BY model_tried"
    )
    # r-fb tried m-a, then m-c, each failing with a 500, before m-b served it
    assert rows == [(V2_FROM, "m-a", 500, 1, 1), (V2_FROM, "m-c", 500, 1, 1)]
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {"attempts_match_v2": True}


def test_an_agent_run_costs_its_steps(store: Store, monkeypatch: pytest.MonkeyPatch):
    insert_events(store, ARCHIVE, V1)
    insert_events(store, CURRENT, V2)
    monkeypatch.setenv("POLLEN_V2_FROM", V2_FROM.isoformat())
    result = materialize(BEFORE, V2_FROM, "agent_runs_daily")
    rows = store.rows(
        "SELECT day, user_id, runs, steps, round(run_pollen, 9) "
        f"FROM {store.table('agent_runs_daily')}"
    )
    # run-1: its free parent row is no step; step-1 and step-2 cost 0.2 + 0.3
    assert rows == [(V2_FROM, "u1", 1, 2, 0.5)]
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {"steps_match_raw": True}


def test_without_v2_there_are_no_agent_runs(store: Store):
    insert_events(store, ARCHIVE, V1)
    result = materialize(BEFORE, V2_FROM, "agent_runs_daily")
    assert store.scalar(f"SELECT count() FROM {store.table('agent_runs_daily')}") == 0
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {"steps_match_raw": True}


def test_adjustments_by_rule(store: Store, monkeypatch: pytest.MonkeyPatch):
    insert_events(store, ARCHIVE, V1)
    insert_events(store, CURRENT, V2)
    monkeypatch.setenv("POLLEN_V2_FROM", V2_FROM.isoformat())
    result = materialize(BEFORE, V2_FROM, "adjustments_daily")
    rows = store.rows(
        f"SELECT day, rule_id, requests, cost_usd, units FROM {store.table('adjustments_daily')}"
    )
    # r-both's two searches, counted once (v1's copy of r-both has no adjustments column)
    assert rows == [(V2_FROM, "google.search_query.v1", 1, 0.004, 2.0)]
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {"costs_match_raw": True}
