"""The store: init, the raw schema, atomic replace, one process per embedded store, and
errors a person can act on."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import urllib.parse

import pytest

from pollen_pipeline import catalog
from pollen_pipeline.components.summary_table import plan_of
from pollen_pipeline.settings import SettingsError, load_settings
from pollen_pipeline.store import Window, redact
from pollen_pipeline_tests.checking import evaluate
from pollen_pipeline_tests.cli_runs import run_pollen
from pollen_pipeline_tests.databases import fresh_database, materialize
from pollen_pipeline_tests.events import at, event, insert_events
from pollen_pipeline_tests.raw_datasource import schema_block


def datasource_schema() -> list[tuple[str, str]]:
    """(column, type) pairs of the datasource file's SCHEMA > block."""
    block = schema_block()
    pattern = re.compile(r"^\s*(\w+)\s+(.+?)\s+json:", re.M)
    return [(name, " ".join(kind.split())) for name, kind in pattern.findall(block)]


def test_raw_table_has_exactly_the_datasource_schema(store):
    described = store.rows(f"DESCRIBE TABLE {store.table(catalog.RAW_TABLE)}")
    assert [(row[0], row[1]) for row in described] == datasource_schema()


def test_init_is_idempotent_and_never_alters_an_existing_raw_table(store):
    assert catalog.init_store(store) == []
    raw = store.table(catalog.RAW_TABLE)
    store.command(f"DROP TABLE {raw}")
    store.command(f"CREATE TABLE {raw} (start_time DateTime, extra String) ENGINE = Memory")
    assert catalog.init_store(store) == []
    assert [row[0] for row in store.rows(f"DESCRIBE TABLE {raw}")] == ["start_time", "extra"]


def test_replace_window_keeps_the_rest_of_the_day_and_drops_emptied_hours(store):
    spec = catalog.table("usage_hourly")
    insert_events(store, [event("2026-02-03 08:00:00"), event("2026-02-03 09:00:00")])
    day = Window(at("2026-02-03 00:00:00"), at("2026-02-04 00:00:00"))
    raw = store.table(catalog.RAW_TABLE)
    store.replace_window(spec, day, plan_of(spec.name).render(store, store, raw).sql)

    store.command(f"TRUNCATE TABLE {raw}")  # the 09:00 events disappear upstream
    nine = Window(at("2026-02-03 09:00:00"), at("2026-02-03 10:00:00"))
    store.replace_window(spec, nine, plan_of(spec.name).render(store, store, raw).sql)
    hours = store.rows(f"SELECT toHour(hour, 'UTC') FROM {store.table(spec.name)}")
    assert hours == [(8,)]
    leftovers = store.rows(
        "SELECT name FROM system.tables WHERE database = {db:String} AND name LIKE '_stage%'",
        {"db": store.database},
    )
    assert leftovers == []


def test_replace_window_swaps_days_or_exchanges_the_whole_table(store):
    """Days outside the window stay (each day swapped); a rebuild of every day the table holds
    exchanges the tables at once, and the table keeps its definition."""
    spec = catalog.table("user_daily")
    sql = plan_of(spec.name).render(store, store, store.table(catalog.RAW_TABLE)).sql
    target = store.table(spec.name)
    definition = store.scalar(f"SHOW CREATE TABLE {target}")
    insert_events(store, [event("2026-02-03 08:00:00"), event("2026-02-04 08:00:00")])
    both = Window(at("2026-02-03 00:00:00"), at("2026-02-05 00:00:00"))
    first = Window(at("2026-02-03 00:00:00"), at("2026-02-04 00:00:00"))
    facts = plan_of("event_facts_daily").render(store, store, store.table(catalog.RAW_TABLE))
    facts_table = catalog.table("event_facts_daily")
    store.replace_window(facts_table, both, facts.sql, params=facts.params)
    store.replace_window(spec, both, sql)  # a fresh table: exchanged
    insert_events(store, [event("2026-02-03 09:00:00"), event("2026-02-04 09:00:00")])
    store.replace_window(facts_table, both, facts.sql, params=facts.params)
    store.replace_window(spec, first, sql)  # the 4th stays as it was: swapped day by day
    days = f"SELECT toString(day), requests FROM {target} ORDER BY day"
    assert store.rows(days) == [("2026-02-03", 2), ("2026-02-04", 1)]
    store.replace_window(spec, both, sql)  # every day it holds: exchanged
    assert store.rows(days) == [("2026-02-03", 2), ("2026-02-04", 2)]
    assert store.scalar(f"SHOW CREATE TABLE {target}") == definition


def test_a_monthly_table_rewrites_the_months_a_run_touches(store):
    """user_daily_by_user is partitioned by month: a run of one day rewrites that day's month
    from user_daily (a late event included, the month's other days kept), leaves other months
    alone, and a rerun changes nothing."""
    insert_events(
        store,
        [event("2026-01-30 08:00:00"), event("2026-01-31 08:00:00"), event("2026-02-01 08:00:00")],
    )
    tables = ("event_facts_daily", "user_daily", "user_daily_by_user")
    materialize(dt.date(2026, 1, 30), dt.date(2026, 2, 1), *tables)
    days = (
        "SELECT toString(day), requests, _partition_id "
        f"FROM {store.table('user_daily_by_user')} ORDER BY day"
    )
    assert store.rows(days) == [
        ("2026-01-30", 1, "202601"),
        ("2026-01-31", 1, "202601"),
        ("2026-02-01", 1, "202602"),
    ]
    insert_events(store, [event("2026-01-31 09:00:00")])  # arrives late
    expected = [
        ("2026-01-30", 1, "202601"),
        ("2026-01-31", 2, "202601"),
        ("2026-02-01", 1, "202602"),
    ]
    for _ in range(2):
        materialize(dt.date(2026, 1, 31), dt.date(2026, 1, 31), *tables)
        assert store.rows(days) == expected
    window = Window(at("2026-01-01 00:00:00"), at("2026-03-01 00:00:00"))
    assert evaluate(store, "user_daily_by_user", window)["copy_matches_source"].passed
    store.command(
        f"ALTER TABLE {store.table('user_daily_by_user')} UPDATE requests = 2 "
        "WHERE day = '2026-02-01' SETTINGS mutations_sync = 1"
    )
    assert not evaluate(store, "user_daily_by_user", window)["copy_matches_source"].passed
    one_day = Window(at("2026-01-31 00:00:00"), at("2026-02-01 00:00:00"))
    with pytest.raises(ValueError, match="rewritten by whole months"):
        store.replace_window(catalog.table("user_daily_by_user"), one_day, "SELECT 1")


def test_bad_identifier_in_environment_is_rejected(monkeypatch):
    monkeypatch.setenv("POLLEN_DATABASE", "pollen; DROP TABLE x")
    with pytest.raises(SettingsError, match="POLLEN_DATABASE"):
        load_settings()


@pytest.mark.parametrize("password", ["p@ss", "a/b", "x?y", "h#sh", "a:b"])
def test_reserved_characters_in_a_password_must_be_percent_encoded(monkeypatch, password):
    monkeypatch.setenv("POLLEN_CLICKHOUSE_URL", f"http://pollen:{password}@clickhouse:8123")
    with pytest.raises(SettingsError, match=r"POLLEN_CLICKHOUSE_URL.*percent-encode") as error:
        load_settings()
    assert password not in str(error.value)
    encoded = urllib.parse.quote(password, safe="")
    monkeypatch.setenv("POLLEN_CLICKHOUSE_URL", f"http://pollen:{encoded}@clickhouse:8123")
    assert load_settings().clickhouse_url.endswith(f":{encoded}@clickhouse:8123")
    assert (
        redact(f"http://pollen:{password}@clickhouse:8123") == "http://pollen:***@clickhouse:8123"
    )


def test_second_process_gets_store_in_use_error(tmp_path):
    url = f"chdb://{tmp_path / 'store'}"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pollen_pipeline.store import connect; "
            f"connect({url!r}, 60); print('ready', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = run_pollen("init", env={"POLLEN_CLICKHOUSE_URL": url})
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert result.returncode == 1
    assert f"in use by PID {holder.pid}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_server_is_one_line_without_password():
    url = "http://analyst:hunter2@127.0.0.1:9/"
    result = run_pollen("init", env={"POLLEN_CLICKHOUSE_URL": url})
    assert result.returncode == 1
    assert result.stderr.startswith("pollen: error: cannot reach ClickHouse at http://analyst:***@")
    assert "hunter2" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_init_recreates_a_summary_table_left_by_an_older_version(store):
    user_daily = store.table("user_daily")
    store.command(f"DROP TABLE {user_daily}")
    store.command(
        f"CREATE TABLE {user_daily} (day Date, user_id String) ENGINE = MergeTree ORDER BY day"
    )
    assert catalog.init_store(store) == ["user_daily"]
    columns = [row[0] for row in store.rows(f"DESCRIBE TABLE {user_daily}")]
    assert "pack_pollen" in columns and "first_tier_at" in columns
    assert catalog.init_store(store) == []


def statements_of_init(store) -> list[str]:
    """What ``init_store`` sent to the store (commands and queries), in order."""
    sent = []
    with pytest.MonkeyPatch.context() as patch:
        for method in ("command", "rows"):
            real = getattr(store, method)

            def recorded(sql, *args, real=real, **kwargs):
                sent.append(sql)
                return real(sql, *args, **kwargs)

            patch.setattr(store, method, recorded)
        catalog.init_store(store)
    return sent


def test_init_probes_a_summary_table_only_until_it_records_its_ddls_fingerprint(store):
    # a table made by this version: nothing to probe, one query for every table's comment
    again = statements_of_init(store)
    assert not [sql for sql in again if "_probe_" in sql]
    # the same columns without a fingerprint (as an older version made it): probed once, rows
    # kept, the fingerprint recorded; then left alone again
    user_daily = store.table("user_daily")
    insert_events(store, [event("2026-02-03 08:00:00")])
    materialize(dt.date(2026, 2, 3), dt.date(2026, 2, 3), "event_facts_daily", "user_daily")
    store.command(f"ALTER TABLE {user_daily} MODIFY COMMENT ''")
    first = statements_of_init(store)
    assert [sql for sql in first if sql.startswith("DESCRIBE TABLE")] == [
        f"DESCRIBE TABLE {user_daily}",
        f"DESCRIBE TABLE {store.table('_probe_user_daily')}",
    ]
    assert store.scalar(f"SELECT count() FROM {user_daily}") == 1
    assert not [sql for sql in statements_of_init(store) if "_probe_" in sql]


def test_volume_pieces_cut_between_hours_or_only_between_days():
    window = Window(at("2026-02-01 00:00:00"), at("2026-02-04 00:00:00"))
    # 3 days: day 1 holds 4 + 4 events, day 2 holds 3, day 3 holds 9 (over the limit of 8)
    hours = [
        ("2026-02-01 01:00:00", 4),
        ("2026-02-01 13:00:00", 4),
        ("2026-02-02 05:00:00", 3),
        ("2026-02-03 02:00:00", 5),
        ("2026-02-03 20:00:00", 4),
    ]
    counts = [(at(hour), count) for hour, count in hours]
    by_days = window.by_volume(counts, 8, whole_days=True)
    assert [(w.start, w.end) for w in by_days] == [
        (at("2026-02-01 00:00:00"), at("2026-02-02 00:00:00")),  # 8: day 2's 3 would exceed it
        (at("2026-02-02 00:00:00"), at("2026-02-03 00:00:00")),  # 3: day 3's 9 would exceed it
        (at("2026-02-03 00:00:00"), at("2026-02-04 00:00:00")),  # 9: a day is never cut
    ]
    by_hours = window.by_volume(counts, 8)
    assert [w.start for w in by_hours] == [
        at("2026-02-01 00:00:00"),
        at("2026-02-02 05:00:00"),
        at("2026-02-03 20:00:00"),
    ]  # 4+4 | 3+5 | 4: cut inside day 3


def test_a_reused_test_database_is_empty_and_a_changed_one_is_not_reused(store_url):
    """The suite's own plumbing (databases.py): a test's database goes to the next test empty,
    with the tables it was made with; one whose tables a test changed is dropped instead."""
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as first:
        insert_events(first, [event("2026-02-03T10:00:00")])
        tables = first.rows(f"SHOW TABLES FROM {first.database}")
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as second:
        assert second.database == first.database
        assert second.rows(f"SHOW TABLES FROM {second.database}") == tables
        assert second.scalar(f"SELECT count() FROM {second.table('generation_event')}") == 0
        second.command(f"ALTER TABLE {second.table('user_daily')} ADD COLUMN extra UInt8")
    with pytest.MonkeyPatch.context() as env, fresh_database(store_url, env) as third:
        assert third.database != second.database
        assert not third.has_table(f"{second.database}.user_daily")
