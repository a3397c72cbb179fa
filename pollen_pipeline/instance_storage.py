"""The local instance's event log: Dagster's SQLite storage with pooled connections.

Dagster's ``SqliteEventLogStorage`` opens, commits and closes a new SQLite connection for every
write (7 per event on average: the run's shard, the asset index, pool slots), and each close
checkpoints the write-ahead log with an fsync. On this project's disks that is 5-20 ms a write:
a 28-table run of one empty day writes 424 events and spent ~17 s of its 19 s there
(cProfile). This class keeps one connection per shard and thread open (closing the least
recently used beyond ``OPEN_SHARDS``) and sets ``synchronous=NORMAL``, the setting SQLite
recommends with WAL: a commit no longer waits for the disk; a power loss (not a crash of the
process) can lose the last events of a run, never corrupt the database. It also remembers which
tables the index shard has: Dagster's ``has_table`` builds a new engine and connection for each
question, asked once per stored asset event (3,773 times, 3.7 s of a 60-day demo under cProfile),
and Dagster's migrations only ever add tables.

Two writes are also grouped. Dagster hands a step's per-day materializations over as one batch
when ``DAGSTER_EVENT_BATCH_SIZE`` is set (``runs.py`` sets it; Postgres storage has its own
batched insert), and its SQLite class then loops over them: here a batch is one insert into the
run's shard and one transaction on the index. A check planned for a ranged run gets one row per
day, each with its own serialized copy of the same event; here it is serialized once. A 60-day
demo run of 71 tables: 15.8 s -> 2.4 s of materialization events and 4.6 s -> 0.8 s
of the run's planned events (py-spy, samples of the main thread).

The one use of Dagster internals in the product, as issue 21 allows for a storage class plugged
in through ``dagster.yaml``: isolated here, tested, and checked against ``CHECKED_DAGSTER``. It
subclasses ``dagster._core.storage.event_log.SqliteEventLogStorage`` (the class Dagster's own
instance docs name in ``dagster.yaml``) and overrides its ``_connect`` (calling its ``_initdb``),
its ``_store_asset_check_evaluation_planned``, and its public ``has_table`` and
``store_event_batch`` (calling the parent's helpers that write an event's tags and asset row).
``pollen_pipeline_tests/test_instance_storage.py`` writes and reads runs through it, compares
what a run leaves in the index with what Dagster's own class leaves, and fails when the
installed Dagster is another version (read that class again, then move the pin) or when another
product module imports a Dagster internal. Remove the ``event_log_storage`` lines of
``dagster.yaml`` to go back to Dagster's own class: the files are the same.

What the public configurations cost instead (the 60-day demo's materialization, back to back on
2026-12-06, fresh store and home each): this class 53.3 s; Dagster's own SQLite storage (no
``event_log_storage`` lines) 104.3 s; its ``ConsolidatedSqliteEventLogStorage`` (one database,
the other storage ``dagster.yaml`` can name without code) 113.6 s. Neither has a setting for
pooled connections or batched writes.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from tempfile import TemporaryDirectory
from typing import Any

from dagster import DagsterEventType, Field, StringSource, serialize_value
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.event_log.schema import (
    AssetCheckExecutionsTable,
    SqlEventLogStorageTable,
)
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import SingletonThreadPool

CHECKED_DAGSTER = "1.13.27"  # the version whose SqliteEventLogStorage this class was read against
OPEN_SHARDS = 8  # a run writes to its own shard and the index; the UI reads a few runs at once
BATCHED_EVENT_TYPES = {DagsterEventType.ASSET_MATERIALIZATION, DagsterEventType.ASSET_OBSERVATION}
BUSY_TIMEOUT_SECONDS = 30  # Dagster's own, for the webserver and daemon writing at once


def default_base_dir() -> str | None:
    """Where Dagster's default SQLite storage keeps event logs: ``$DAGSTER_HOME/history/runs``;
    None without ``DAGSTER_HOME`` (Dagster's CLI then makes a temporary instance)."""
    home = os.environ.get("DAGSTER_HOME")
    return os.path.join(home, "history", "runs", "") if home else None


def _synchronous_normal(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA synchronous=NORMAL")


def _is_batched_asset_event(event: EventLogEntry) -> bool:
    """An event of the kinds Dagster batches (a materialization or observation of an asset):
    what ``store_event`` would mirror into the index with its tags and asset row."""
    dagster_event = event.dagster_event
    return bool(
        dagster_event
        and dagster_event.asset_key
        and dagster_event.event_type in BATCHED_EVENT_TYPES
    )


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` that keeps its connections open (see the module's docstring)."""

    def __init__(self, base_dir: str | None = None, inst_data: Any = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        self._tables_present: set[str] = set()
        # A temporary instance's event log is temporary too: removed with this object.
        self._temporary = None if base_dir or default_base_dir() else TemporaryDirectory()
        folder = base_dir or default_base_dir() or self._temporary.name
        super().__init__(folder, inst_data)

    @classmethod
    def config_type(cls) -> dict[str, Field]:
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(
        cls, inst_data: Any, config_value: Mapping[str, Any]
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        with self._engines_lock:
            if shard in self._engines:
                self._engines.move_to_end(shard)
                return self._engines[shard]
            engine = create_engine(
                self.conn_string_for_shard(shard),
                poolclass=SingletonThreadPool,  # one connection per thread, as SQLite wants
                connect_args={"timeout": BUSY_TIMEOUT_SECONDS},
            )
            event.listen(engine, "connect", _synchronous_normal)
            self._engines[shard] = engine
            while len(self._engines) > OPEN_SHARDS:
                self._engines.popitem(last=False)[1].dispose()
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        # The parent's body with a kept engine in place of a new one disposed after each use.
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        # A table found once stays (migrations add tables); one not found is asked again, as
        # a migration in another process may add it.
        if table_name not in self._tables_present and super().has_table(table_name):
            self._tables_present.add(table_name)
        return table_name in self._tables_present

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        # Dagster hands a step's per-day materializations over as one batch when
        # DAGSTER_EVENT_BATCH_SIZE is set (runs.py sets it); its SQLite class stores them one by
        # one, 3-4 ms each, two transactions and an asset-key upsert apiece. Here: one insert into
        # the run's shard, then one transaction on the index for the same rows, their tags and
        # each asset's last event, the state the loop ends in. Anything else takes the loop.
        one_run = len({event.run_id for event in events}) == 1
        if not (one_run and all(_is_batched_asset_event(event) for event in events)):
            super().store_event_batch(events)
            return
        rows = [self._event_to_row(event) for event in events]
        with self.run_connection(events[0].run_id) as conn:
            conn.execute(SqlEventLogStorageTable.insert(), rows)
        insert = SqlEventLogStorageTable.insert()
        with self.index_transaction() as conn:
            ids = [conn.execute(insert, row).inserted_primary_key[0] for row in rows]
            self._store_asset_event_tags(conn, events, ids)
            last = {
                event.dagster_event.asset_key: (event, id_)
                for event, id_ in zip(events, ids, strict=True)
            }
            for event, id_ in last.values():
                self._store_asset_event(conn, event, id_)

    def _store_asset_check_evaluation_planned(
        self, event: EventLogEntry, event_id: int | None
    ) -> None:
        # The parent's body, but the event serialized once, not once per day of the run, and
        # the rows inserted as one statement's parameters: a 60-day run of 170 checks wrote
        # 10,000 copies (4 s of the demo's 60).
        planned = event.dagster_event.event_specific_data
        subset = planned.partitions_subset
        row = {
            "asset_key": planned.asset_key.to_string(),
            "check_name": planned.check_name,
            "run_id": event.run_id,
            "execution_status": AssetCheckExecutionRecordStatus.PLANNED.value,
            "evaluation_event": serialize_value(event),
            "evaluation_event_timestamp": self._event_insert_timestamp(event),
            "evaluation_event_storage_id": event_id,
        }
        days = subset.get_partition_keys() if subset else [None]
        with self.index_connection() as conn:
            conn.execute(
                AssetCheckExecutionsTable.insert(), [{**row, "partition": day} for day in days]
            )

    def _close_engines(self) -> None:
        with self._engines_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        self._tables_present.clear()
        self._close_engines()  # the shard files are deleted: no connection may hold them
        super().wipe()

    def dispose(self) -> None:
        self._close_engines()
        super().dispose()
