"""The store: one clickhouse-connect client API over embedded chdb or a ClickHouse server.

``POLLEN_CLICKHOUSE_URL`` is either ``chdb:///absolute/path`` (embedded ClickHouse inside this
process) or ``http(s)://user:password@host:port``. Everything the pipeline writes goes through
:meth:`Store.replace_window`, which builds the new rows aside and swaps whole ClickHouse
partitions in, so a reader never sees a partition doubled or half written.

chdb runs in-process and keeps its files to itself: only one process may open a store path, and
one process can have only one path open. A lock file next to the store enforces the first rule
with a clear message instead of a corrupted store.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import itertools
import os
import re
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import clickhouse_connect
import pandas as pd
from clickhouse_connect.driver.client import Client

from pollen_pipeline import contract
from pollen_pipeline.grain import Grain

CHDB_SCHEME = "chdb://"
# ClickHouse's partition id of a summary table's day (PARTITION BY day), or of its month
# (PARTITION BY toYYYYMM(day): a serving table, see Table.monthly)
PARTITION_ID = "%Y%m%d"
MONTH_PARTITION_ID = "%Y%m"


class StoreError(RuntimeError):
    """The store cannot be used; the message is one line meant for a person."""


class StoreInUseError(StoreError):
    """Another process holds the embedded store."""


def redact(url: str) -> str:
    """The URL without its password, safe for logs and error messages (up to the last '@', so
    a raw '@' in the password hides it too)."""
    return re.sub(r"(://[^:/@]+):.*@", r"\1:***@", url)


# --- Embedded store: one path per process, one process per path ---------------------------

_embedded_clients: dict[str, Client] = {}
_embedded_locks: dict[str, IO[str]] = {}
# Writers of one table in this process swap their rows in one at a time (see Store._swap).
_swap_locks: dict[str, threading.Lock] = defaultdict(threading.Lock)


def _lock_embedded(path: str) -> IO[str]:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    lock_file = open(f"{path}.lock", "a+")  # noqa: SIM115 - held open for the process lifetime
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock_file.seek(0)
        holder = lock_file.read().strip() or "unknown"
        lock_file.close()
        raise StoreInUseError(
            f"store {path} is in use by PID {holder}: the embedded store allows one process at a "
            "time; wait for that process to finish or point POLLEN_CLICKHOUSE_URL at a server"
        ) from None
    lock_file.seek(0)
    lock_file.truncate()
    lock_file.write(str(os.getpid()))
    lock_file.flush()
    return lock_file


def close_embedded() -> None:
    """Close the embedded store of this process and release its lock."""
    for path in list(_embedded_clients):
        _embedded_clients.pop(path).close()
        _embedded_locks.pop(path).close()


def _embedded_client(path: str) -> Client:
    if path not in _embedded_clients:
        close_embedded()  # chdb cannot hold two paths in one process
        _embedded_locks[path] = _lock_embedded(path)
        try:
            _embedded_clients[path] = clickhouse_connect.get_client(dsn=f"{CHDB_SCHEME}{path}")
        except Exception as error:
            _embedded_locks.pop(path).close()
            raise StoreError(f"cannot open embedded store {path}: {error}") from error
    return _embedded_clients[path]


def connect(url: str, timeout_seconds: int) -> Client:
    """A client for ``url`` whose queries stop after ``timeout_seconds``; errors name the URL
    without its password."""
    client = _open(url)
    # A client setting rather than per query, so that every statement is bounded, on chdb too
    # (tested); set on each connect because the embedded client is cached per process.
    client.set_client_setting("max_execution_time", timeout_seconds)
    return client


def _open(url: str) -> Client:
    if url.startswith(CHDB_SCHEME):
        path = url[len(CHDB_SCHEME) :]
        if not path.startswith("/"):
            raise StoreError(f"embedded store URL must hold an absolute path: {url}")
        return _embedded_client(path)
    try:
        return clickhouse_connect.get_client(dsn=url)
    except Exception as error:
        reason = redact(str(error).strip().splitlines()[0])
        raise StoreError(f"cannot reach ClickHouse at {redact(url)}: {reason}") from error


# --- Windows and partitions ----------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A half-open UTC time range ``[start, end)``."""

    start: dt.datetime
    end: dt.datetime

    def days(self) -> list[dt.date]:
        """The UTC days this window touches."""
        first, last = self.start.date(), (self.end - dt.timedelta(microseconds=1)).date()
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]

    def chunks(self, size: dt.timedelta) -> Iterator[Window]:
        """Consecutive sub-windows of at most ``size``, to bound the memory of one scan."""
        start = self.start
        while start < self.end:
            yield Window(start, min(start + size, self.end))
            start += size

    def by_volume(
        self,
        hour_counts: Sequence[tuple[dt.datetime, int]],
        limit: int,
        *,
        whole_days: bool = False,
    ) -> list[Window]:
        """Consecutive sub-windows of whole hours (``whole_days``: whole UTC days) holding at most
        ``limit`` events each (an hour or day with more is a window of its own), from the events
        per UTC hour: a scan's memory follows its events, so a quiet month is one query and a
        busy day several (or, by whole days, one)."""
        per_period: dict[dt.datetime, int] = {}
        for hour, count in hour_counts:
            period = hour.replace(hour=0) if whole_days else hour
            per_period[period] = per_period.get(period, 0) + count
        edges, held = [self.start], 0
        for period, count in sorted(per_period.items()):
            if held and held + count > limit and period > edges[-1]:
                edges.append(period)
                held = 0
            held += count
        edges.append(self.end)
        return [Window(start, end) for start, end in itertools.pairwise(edges)]

    def params(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}

    def is_whole_days(self) -> bool:
        """Whether the window starts and ends at UTC midnight."""
        return all(
            moment.astimezone(dt.UTC).time() == dt.time() for moment in (self.start, self.end)
        )

    def whole_months(self) -> Window:
        """The UTC months this window touches, as one window."""
        last = (self.end - dt.timedelta(microseconds=1)).date()
        following = (last.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        return Window(_midnight(self.start.date().replace(day=1)), _midnight(following))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


@dataclass(frozen=True)
class Table:
    """A summary table: its name and grain. ClickHouse partitions a summary table by the UTC day
    of its time column or, ``monthly``, by its month: a serving table that dashboards read over
    long ranges (one part per day made a 90-day query open 90 parts and more), rewritten a whole
    month at a time (:meth:`written_window`)."""

    name: str
    grain: Grain
    monthly: bool = False

    def written_window(self, window: Window) -> Window:
        """What a run of ``window`` rewrites: the window, or the months it touches."""
        return window.whole_months() if self.monthly else window

    def partition_ids(self, days: Sequence[dt.date]) -> list[str]:
        """ClickHouse's ids of the partitions holding ``days``, in order, each once."""
        pattern = MONTH_PARTITION_ID if self.monthly else PARTITION_ID
        return list(dict.fromkeys(day.strftime(pattern) for day in days))

    @property
    def time_column(self) -> str:
        return self.grain.column

    @property
    def in_window(self) -> str:
        """SQL condition: the row's time lies in the bound window ``[start, end)``."""
        return self.grain.in_window


class Store:
    """A client bound to the pipeline's database, with its few write and read primitives."""

    def __init__(
        self,
        client: Client,
        database: str,
        cluster: str | None = None,
        exclusions: contract.Exclusions | None = None,
    ) -> None:
        self.client = client
        self.database = database
        # Set: tables were created ON CLUSTER (pollen_pipeline.cluster), see _create_stage.
        self.cluster = cluster
        # The contract's parameters, with the excluded users' lists: bound to every query.
        self.exclusions = exclusions or contract.Exclusions()
        self.contract_params = contract.params(self.exclusions)

    def bind(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        return {**self.contract_params, **(params or {})}

    def table(self, name: str) -> str:
        return f"{self.database}.{name}"

    @property
    def embedded(self) -> bool:
        """Whether this is the embedded store: one process, so every writer is in this one."""
        return any(self.client is client for client in _embedded_clients.values())

    def command(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.client.command(sql, parameters=self.bind(params))

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
        return self.client.query(sql, parameters=self.bind(params)).result_rows

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.rows(sql, params)[0][0]

    def has_table(self, name: str) -> bool:
        """Whether table ``name`` (``database.table``, or a table of the connection's default
        database) exists here."""
        database, _, table = name.rpartition(".")
        return bool(
            self.scalar(
                "SELECT count() FROM system.tables WHERE name = {table:String} "
                "AND database = if({database:String} = '', currentDatabase(), {database:String})",
                {"database": database, "table": table},
            )
        )

    def frame(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        return self.client.query_df(sql, parameters=self.bind(params))

    def replace_window(
        self,
        target: Table,
        window: Window,
        select_sql: str,
        *,
        source: Store | None = None,
        parts: Sequence[Window] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> int:
        """Make ``target`` hold exactly what ``select_sql`` returns for ``window``.

        ``select_sql`` must return the table's columns, by name (in any order), for the bound
        ``{start}`` and ``{end}``. It runs once per part of the window (``parts``, default the
        whole window; on ``source`` when given: then only its summary rows travel here) into a
        staging table, the rows of the touched days outside the window (a window of whole days
        has none) are copied next to them, and each touched partition (a day, or a month of a
        monthly table, whose window must be whole months) is swapped in with ``REPLACE
        PARTITION`` (or dropped when it is now empty). Returns the number of rows written for the
        window. ``params`` are bound besides the window's.
        """
        if target.written_window(window) != window:
            raise ValueError(f"{target.name} is rewritten by whole months, not {window}")
        stage = self._create_stage(target)
        try:
            insert = self._insert_by_name(stage, select_sql)
            for part in parts or [window]:
                self._fill_stage(
                    stage, insert, select_sql, {**part.params(), **(params or {})}, source
                )
            written = self.scalar(f"SELECT count() FROM {stage}")
            if not window.is_whole_days():  # else the touched days hold no row outside it
                self._keep_rows_outside(target, stage, window)
            self._swap(target, stage, target.partition_ids(window.days()))
            return written
        finally:
            self.command(f"DROP TABLE IF EXISTS {stage}")

    def _create_stage(self, target: Table) -> str:
        """An empty table with ``target``'s columns and partitions, to build the rows in.

        On a cluster, summary tables are Replicated on one shard (a replica on every host), so
        the stage is a plain MergeTree of the same layout on the host this client talks to, and
        ``REPLACE PARTITION`` from it replicates the day to every replica. (``AS`` alone would
        copy the Replicated engine and its Keeper path.)
        """
        stage = self.table(f"_stage_{target.name}_{uuid.uuid4().hex[:12]}")
        destination = self.table(target.name)
        if not self.cluster:
            self.command(f"CREATE TABLE {stage} AS {destination}")
            return stage
        partition_key, sorting_key = self.rows(
            "SELECT partition_key, sorting_key FROM system.tables "
            "WHERE database = {database:String} AND name = {name:String}",
            {"database": self.database, "name": target.name},
        )[0]
        self.command(
            f"CREATE TABLE {stage} AS {destination} ENGINE = MergeTree "
            f"PARTITION BY {partition_key} ORDER BY ({sorting_key})"
        )
        return stage

    def _insert_by_name(self, stage: str, select_sql: str) -> str:
        """An INSERT of ``select_sql``'s rows into ``stage`` that matches columns by name, as
        the source path's Arrow insert does: a SELECT listing its columns in another order than
        the DDL fills the same table, never a column with another's values. The newline ends a
        last ``--`` comment of the SELECT."""
        columns = ", ".join(row[0] for row in self.rows(f"DESCRIBE TABLE {stage}"))
        return f"INSERT INTO {stage} ({columns}) SELECT {columns} FROM ({select_sql}\n)"

    def _fill_stage(
        self,
        stage: str,
        insert_sql: str,
        select_sql: str,
        params: Mapping[str, Any],
        source: Store | None,
    ) -> None:
        if source is None:
            self.command(insert_sql, params)
            return
        # Arrow columns are matched by name. The store's parameters: the source has no
        # excluded_users table of its own.
        summary = source.client.query_arrow(select_sql, parameters=self.bind(params))
        self.client.insert_arrow(stage, summary)

    def _keep_rows_outside(self, target: Table, stage: str, window: Window) -> None:
        self.command(
            f"INSERT INTO {stage} SELECT * FROM {self.table(target.name)} "
            f"WHERE toDate({target.time_column}) IN {{days:Array(Date)}} "
            f"AND NOT ({target.in_window})",
            {**window.params(), "days": window.days()},
        )

    def _swap(self, target: Table, stage: str, partitions: list[str]) -> None:
        """Put the stage's partitions (days, or months) in place of ``target``'s.

        When ``target`` holds no other day (a fresh table, or a rebuild of every day it has) on
        the embedded store, one ``EXCHANGE TABLES`` swaps them all atomically: a 60-day demo
        saves ~1,700 partition swaps of ~6 ms. Elsewhere, and when other days exist, each day is
        swapped on its own. The lock makes the check and the exchange one step for the writers of
        this process, and on the embedded store there are no others; a server can have writers in
        other processes, so it always swaps day by day.
        """
        with _swap_locks[self.table(target.name)]:
            if self.embedded and self._holds_only(target, partitions):
                self.command(f"EXCHANGE TABLES {stage} AND {self.table(target.name)}")
            else:
                self._swap_partitions(target, stage, partitions)

    def _holds_only(self, target: Table, partitions: list[str]) -> bool:
        """Whether every active part of ``target`` is of one of ``partitions``."""
        others = self.scalar(
            "SELECT count() FROM system.parts WHERE database = {database:String} "
            "AND table = {name:String} AND active AND partition_id NOT IN {ids:Array(String)}",
            {
                "database": self.database,
                "name": target.name,
                "ids": partitions,
            },
        )
        return others == 0

    def _swap_partitions(self, target: Table, stage: str, partitions: list[str]) -> None:
        filled = {
            row[0] for row in self.rows(f"SELECT DISTINCT toString(_partition_id) FROM {stage}")
        }
        destination = self.table(target.name)
        for partition_id in partitions:
            partition = {"partition": partition_id}
            if partition["partition"] in filled:
                replace = f"REPLACE PARTITION ID {{partition:String}} FROM {stage}"
                self.command(f"ALTER TABLE {destination} {replace}", partition)
            else:
                self.command(
                    f"ALTER TABLE {destination} DROP PARTITION ID {{partition:String}}", partition
                )
