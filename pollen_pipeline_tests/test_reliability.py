"""Hostile values end to end, concurrent writers, writers killed or failing half-way, and stores
that cannot be reached: never a doubled, half-written or lost partition, always a clear line."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import threading
import time

import pytest
from dagster import DagsterEventType, DagsterInstance

from pollen_pipeline import catalog, loader
from pollen_pipeline.components.summary_table import plan_of
from pollen_pipeline.store import Window
from pollen_pipeline_tests.cli_runs import run_pollen
from pollen_pipeline_tests.databases import materialize
from pollen_pipeline_tests.event_files import api_event, write_ndjson
from pollen_pipeline_tests.events import at, event, insert_events

DAY = dt.date(2026, 1, 20)
WINDOW = Window(at("2026-01-20 00:00:00"), at("2026-01-21 00:00:00"))
FACTS = catalog.table("event_facts_daily")
HOSTILE = [
    "O'Brien",
    'say "hi"',
    "back\\slash\\",
    "semi;colon; DROP TABLE generation_event; --",
    "'); DROP TABLE user_daily; --",
    "{start:DateTime} $raw_table ${database} %s {0}",
    "🌸🐝 pollen ✨",
    "tab\tnew\nline\r\x00nul",
    "x" * 10_000 + "'\\\"",
]


def hostile_events() -> list[dict]:
    return [
        api_event(
            f"2026-01-20 {n:02d}:30:00",
            user_id=f"user-{value}",
            user_github_username=value,
            api_key_id=f"key-{value}",
            api_key_name=value,
            referrer_domain=value,
            referrer_url=f"https://{value}/",
            resolved_model_requested=value,
            total_price=0.01 * (n + 1),
        )
        for n, value in enumerate(HOSTILE)
    ]


def check_evaluations(instance: DagsterInstance) -> list[tuple[str, bool]]:
    """(check name, passed) of every check evaluated in the instance's runs."""
    results = []
    for run in instance.get_runs():
        for entry in instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION):
            evaluation = entry.dagster_event.event_specific_data
            results.append((evaluation.check_name, evaluation.passed))
    return results


def test_hostile_values_load_and_flow_through_materialization_and_checks(
    store, tmp_path, monkeypatch
):
    path = write_ndjson(tmp_path / "hostile.ndjson", hostile_events())
    results = loader.load_files(store, [path], dt.date(2025, 11, 12), say=lambda _: None)
    assert (results[0].loaded, results[0].rejected) == (len(HOSTILE), 0)

    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    materialize(DAY, DAY, "group:core", instance=DagsterInstance.get())

    for table, column in [
        ("user_daily", "user_github_username"),
        ("app_daily", "api_key_name"),
        ("model_daily", "resolved_model_requested"),
        ("usage_hourly", "resolved_model_requested"),
    ]:
        values = store.rows(f"SELECT DISTINCT {column} FROM {store.table(table)}")
        assert sorted(value for (value,) in values) == sorted(HOSTILE), table
    evaluations = check_evaluations(DagsterInstance.get())
    assert evaluations, "the checks ran"
    assert [name for name, passed in evaluations if not passed] == []


def facts_state(store) -> tuple[int, int, int]:
    """(events counted, rows, distinct grain keys) of event_facts_daily on DAY."""
    facts = store.table(FACTS.name)
    return store.rows(
        f"SELECT toInt64(sum(events)), count(), uniqExact(day, filter_status, user_id, "
        f"api_key_id, resolved_model_requested, referrer_domain, "
        f"request_path, user_tier, api_key_type, model_used, model_provider_used, is_router, "
        f"meter_class) FROM {facts} WHERE day = {{day:Date}}",
        {"day": DAY},
    )[0]


def rewrite_facts(
    store, window: Window = WINDOW, select_sql: str | None = None, parts: int = 1
) -> int:
    """Rewrite the day's facts, scanning it in ``parts`` queries (staged one after another)."""
    rendered = plan_of(FACTS.name).render(store, store, store.table(catalog.RAW_TABLE))
    pieces = list(window.chunks((window.end - window.start) / parts))
    sql = select_sql or rendered.sql
    return store.replace_window(FACTS, window, sql, parts=pieces, params=rendered.params)


def day_of_events(count: int, day: str = "2026-01-20") -> list[dict]:
    return [
        event(f"{day} {n % 24:02d}:{n % 60:02d}:00", user_id=f"u{n % 40}", total_price=0.01)
        for n in range(count)
    ]


def rewrite_concurrently(store, writers: int) -> list[BaseException]:
    """Rewrite the day from ``writers`` threads released at the same moment; their errors.

    chdb runs inside this process, so threads sharing its store are the concurrent writers
    here; against a server they would be separate runs with separate connections.
    """
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write() -> None:
        try:
            start.wait()
            rewrite_facts(store)
        except BaseException as error:  # reported to the test's thread
            errors.append(error)

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_two_writers_of_the_same_partition_at_once_leave_exactly_one_copy(store):
    insert_events(store, day_of_events(2000))
    rewrite_facts(store)
    expected = facts_state(store)
    assert expected[0] == 2000

    for _ in range(4):
        assert rewrite_concurrently(store, writers=2) == []
        events, rows, keys = facts_state(store)
        assert (events, rows, keys) == expected
        assert rows == keys  # no grain key twice


def test_store_failing_half_way_through_a_write_keeps_the_previous_partition(store):
    insert_events(store, day_of_events(500))
    rewrite_facts(store, parts=4)
    before = facts_state(store)
    insert_events(store, day_of_events(100))  # the new version would have 600 events

    # The third of four chunks fails, as a query does when the server goes away mid-write.
    good = plan_of(FACTS.name).render(store, store, store.table(catalog.RAW_TABLE)).sql
    failing = (
        f"SELECT * FROM ({good}) WHERE throwIf("
        "toHour({start:DateTime('UTC')}, 'UTC') = 12, 'store went away') = 0"
    )
    with pytest.raises(Exception, match="store went away"):
        rewrite_facts(store, select_sql=failing, parts=4)
    assert facts_state(store) == before
    stages = store.rows(
        "SELECT name FROM system.tables WHERE database = {db:String} AND name LIKE '\\_stage%'",
        {"db": store.database},
    )
    assert stages == []
    rewrite_facts(store, parts=4)  # and the next run writes the new version whole
    assert facts_state(store)[0] == 600


def test_unreachable_store_is_one_line_for_load_and_materialize(tmp_path):
    url = "http://analyst:hunter2@127.0.0.1:9/"
    path = write_ndjson(tmp_path / "e.ndjson", [api_event("2026-01-20 00:00:00")])
    for args in (
        ["load", str(path)],
        ["materialize", "--start", "2026-01-20", "--end", "2026-01-20"],
    ):
        result = run_pollen(*args, env={"POLLEN_CLICKHOUSE_URL": url})
        assert result.returncode == 1, args
        assert result.stderr.startswith("pollen: error: cannot reach ClickHouse at "), args
        assert "hunter2" not in result.stderr + result.stdout
        assert len(result.stderr.strip().splitlines()) == 1


# --- A writer killed at random moments ---------------------------------------------------

WRITER = [sys.executable, "-m", "pollen_pipeline_tests.kill_writer"]


def start_writer(url: str, *flags: str) -> tuple[subprocess.Popen, dict]:
    process = subprocess.Popen(
        [*WRITER, url, "pollen", DAY.isoformat(), *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TZ": "Pacific/Chatham"},
    )
    line = process.stdout.readline()
    if not line:
        raise AssertionError(f"writer died: {process.stderr.read()[-2000:]}")
    return process, json.loads(line)


def next_message(process: subprocess.Popen) -> dict:
    line = process.stdout.readline()
    if not line:
        raise AssertionError(f"writer died: {process.stderr.read()[-2000:]}")
    return json.loads(line)


def test_writer_killed_mid_write_leaves_old_or_new_partition_never_partial(tmp_path):
    """SIGKILL a writer at random moments of a chunked rewrite (staging inserts, swap): the
    day's facts must always count exactly the previous or the new raw events, never a mix."""
    url = f"chdb://{tmp_path / 'store'}"
    rng = random.Random(8)
    process, _ = start_writer(url)
    ready = next_message(process)["ready"]
    started = time.monotonic()
    assert next_message(process) == {"done": True}
    duration = time.monotonic() - started
    process.wait(timeout=60)
    old, new, outcomes = ready, ready, []

    for _ in range(5):
        process, seen = start_writer(url)
        assert seen["facts"] in {old, new}, (seen, old, new)
        assert seen["rows"] > 0
        old = seen["facts"]
        new = next_message(process)["ready"]
        time.sleep(rng.uniform(0, duration * 1.1))
        process.kill()
        process.wait(timeout=60)
        outcomes.append("killed" if process.returncode < 0 else "finished")

    _, final = start_writer(url, "--inspect")
    assert final["facts"] in {old, new}, (final, old, new)
    assert "killed" in outcomes, f"every writer finished before the kill ({duration:.1f}s)"
