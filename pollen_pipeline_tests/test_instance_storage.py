"""The local instance's event log (``pollen_pipeline/instance_storage.py``, plugged in by the
repository's ``dagster.yaml``) stores and reads runs as Dagster's own SQLite class does, and a
ranged run records its heavy metadata once."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import dagster
from dagster import AssetCheckKey, AssetKey, DagsterEventType, DagsterInstance

from pollen_pipeline.instance_storage import (
    CHECKED_DAGSTER,
    OPEN_SHARDS,
    PooledSqliteEventLogStorage,
)
from pollen_pipeline_tests.databases import materialize
from pollen_pipeline_tests.events import event, insert_events

ROOT = Path(__file__).resolve().parents[1]
FIRST, LAST = dt.date(2026, 2, 3), dt.date(2026, 2, 5)
CHECKS = ("meters_classified", "no_duplicate_events")  # data_quality_daily's
HEAVY = {"dagster/column_schema", "preview", "sql", "sql_parameters"}


def instance_of_repository(home: Path) -> DagsterInstance:
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    return DagsterInstance.from_config(str(home))


def materializations(instance: DagsterInstance, table: str) -> dict[str, dict]:
    records = instance.fetch_materializations(AssetKey(table), limit=100).records
    return {record.partition_key: record.asset_materialization.metadata for record in records}


def test_a_ranged_run_is_stored_through_kept_connections_and_read_back(
    store, tmp_path, monkeypatch
):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    insert_events(store, [event(f"2026-02-0{day}T10:00:00", total_price=1.0) for day in (3, 4, 5)])
    instance = instance_of_repository(tmp_path / "home")
    assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)

    result = materialize(FIRST, LAST, "data_quality_daily", instance=instance)
    stored = instance.all_logs(result.run_id)
    assert [e.dagster_event_type for e in stored if e.is_dagster_event][-1] == (
        DagsterEventType.RUN_SUCCESS
    )
    instance.dispose()

    # A new instance on the same files (as the UI opens them) reads every day of the run.
    with DagsterInstance.from_config(str(tmp_path / "home")) as reopened:
        assert len(reopened.all_logs(result.run_id)) == len(stored)
        metadata = materializations(reopened, "data_quality_daily")
    days = ["2026-02-03", "2026-02-04", "2026-02-05"]
    assert sorted(metadata) == days
    # Every day carries the run's figures; only the last day the schema, preview and SQL.
    for day in days:
        assert metadata[day]["dagster/row_count"].value > 0
        assert metadata[day]["window"].text.startswith("2026-02-03T00:00:00")
    assert set(metadata["2026-02-05"]) >= HEAVY
    assert not HEAVY & (set(metadata["2026-02-03"]) | set(metadata["2026-02-04"]))


def instance_with_dagsters_own_storage(home: Path) -> DagsterInstance:
    """The repository's dagster.yaml without its event_log_storage lines."""
    home.mkdir(parents=True, exist_ok=True)
    settings = (ROOT / "dagster.yaml").read_text().split("event_log_storage:")[0]
    (home / "dagster.yaml").write_text(settings)
    return DagsterInstance.from_config(str(home))


def what_the_ui_reads(instance: DagsterInstance, table: str) -> dict:
    """The index a run leaves behind, as the UI asks for it, without ids and times."""
    key = AssetKey(table)
    latest = instance.get_latest_materialization_event(key)
    checks = {}
    for name in CHECKS:
        history = instance.event_log_storage.get_asset_check_execution_history(
            AssetCheckKey(key, name), limit=100
        )
        checks[name] = sorted((run.partition or "", run.status.value) for run in history)
    return {
        "materialized": sorted(instance.get_materialized_partitions(key)),
        "per_day": {
            day: sorted(metadata) for day, metadata in materializations(instance, table).items()
        },
        "latest": (latest.dagster_event.partition, latest.dagster_event.event_type),
        # the asset's row in the index (the catalog's "last materialized")
        "asset_row": instance.get_asset_records([key])[
            0
        ].asset_entry.last_materialization.dagster_event.partition,
        "checks": checks,
        "indexed_tags": sorted(  # the data version of each day's materialization
            tuple(sorted(tags)) for tags in instance.event_log_storage.get_event_tags_for_asset(key)
        ),
    }


def test_batched_writes_leave_the_index_dagsters_own_class_leaves(store, tmp_path, monkeypatch):
    """A ranged run hands each table's days to ``store_event_batch`` (one transaction) and plans
    each check's days with one serialized event: what the UI then reads is what Dagster's own
    class, writing event by event, leaves."""
    insert_events(store, [event(f"2026-02-0{day}T10:00:00", total_price=1.0) for day in (3, 4, 5)])
    seen = {}
    for name, make in (
        ("pooled", instance_of_repository),
        ("own", instance_with_dagsters_own_storage),
    ):
        monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / name))
        instance = make(tmp_path / name)
        materialize(FIRST, LAST, "data_quality_daily", instance=instance)
        seen[name] = what_the_ui_reads(instance, "data_quality_daily")
        instance.dispose()
    assert seen["pooled"]["materialized"] == ["2026-02-03", "2026-02-04", "2026-02-05"]
    assert seen["pooled"]["latest"] == ("2026-02-05", DagsterEventType.ASSET_MATERIALIZATION)
    # Each check planned for every day of the run (the rows the override writes), its result
    # recorded once for the range (Dagster's way with a ranged run, with either class).
    assert seen["pooled"]["checks"]["meters_classified"] == [
        ("", "SUCCEEDED"),
        *((day, "PLANNED") for day in ("2026-02-03", "2026-02-04", "2026-02-05")),
    ]
    assert seen["pooled"] == seen["own"]


def test_shards_beyond_the_limit_are_closed(tmp_path):
    storage = PooledSqliteEventLogStorage(str(tmp_path / "runs"))
    for number in range(OPEN_SHARDS + 3):
        with storage.run_connection(f"run-{number}") as connection:
            connection.exec_driver_sql("SELECT 1")
    assert len(storage._engines) == OPEN_SHARDS
    assert "run-0" not in storage._engines and f"run-{OPEN_SHARDS + 2}" in storage._engines
    storage.dispose()
    assert not storage._engines


def test_a_table_found_once_is_remembered_and_a_missing_one_asked_again(tmp_path):
    storage = PooledSqliteEventLogStorage(str(tmp_path / "runs"))
    assert storage.has_table("asset_event_tags")
    assert not storage.has_table("added_later")
    with storage.index_connection() as connection:
        connection.exec_driver_sql("CREATE TABLE added_later (id INTEGER)")
    assert storage.has_table("added_later")  # a miss is not remembered
    with storage.index_connection() as connection:
        connection.exec_driver_sql("DROP TABLE added_later")
    # found once, remembered: Dagster's migrations never drop a table, so no need to ask again
    assert storage.has_table("added_later")
    storage.dispose()


def test_the_storage_was_checked_against_the_installed_dagster():
    """It overrides a private method: a Dagster upgrade must come with a reading of the new
    SqliteEventLogStorage._connect, then a new pin."""
    assert dagster.__version__ == CHECKED_DAGSTER


def test_no_other_product_module_imports_dagster_internals():
    modules = sorted((ROOT / "pollen_pipeline").rglob("*.py"))
    internal = [
        str(path.relative_to(ROOT))
        for path in modules
        if re.search(r"^\s*(from|import) dagster\._", path.read_text(), re.MULTILINE)
    ]
    assert internal == ["pollen_pipeline/instance_storage.py"]
