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
import os
import re
import string
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

import clickhouse_connect
import pandas as pd
from clickhouse_connect.driver.client import Client
from dagster import ConfigurableResource

from pollen_pipeline import contract
from pollen_pipeline.settings import Settings, load_settings, query_timeout_seconds

CHDB_SCHEME = "chdb://"


class StoreError(RuntimeError):
    """The store cannot be used; the message is one line meant for a person."""


class StoreInUseError(StoreError):
    """Another process holds the embedded store."""


def redact(url: str) -> str:
    """The URL without its password, safe for logs and error messages (up to the last '@', so
    a raw '@' in the password hides it too)."""
    return re.sub(r"(://[^:/@]+):.*@", r"\1:***@", url)


@cache
def sql_text(name: str) -> str:
    """The text of ``sql/<name>.sql``."""
    return resources.files("pollen_pipeline").joinpath("sql", f"{name}.sql").read_text()


def render(template: str, **identifiers: str) -> str:
    """Fill ``$name`` placeholders with contract fragments and validated identifiers.

    Only code-controlled text goes in here; data values stay ``{name:Type}`` bound parameters.
    """
    return string.Template(template).substitute({**contract.fragments(), **identifiers})


# --- Embedded store: one path per process, one process per path ---------------------------

_embedded_clients: dict[str, Client] = {}
_embedded_locks: dict[str, IO[str]] = {}


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


def connect(url: str) -> Client:
    """A client for ``url`` whose queries stop after ``POLLEN_QUERY_TIMEOUT_SECONDS``; errors
    name the URL without its password."""
    client = _open(url)
    # A client setting rather than per query, so that every statement is bounded, on chdb too
    # (tested); set on each connect because the embedded client is cached per process.
    client.set_client_setting("max_execution_time", query_timeout_seconds())
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

    def params(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True)
class TableSpec:
    """A summary table: its name (``sql/ddl/<name>.sql``, ``sql/<name>.sql``) and time column.

    The time column is a ``DateTime('UTC')`` (``grain="hour"``) or a ``Date`` (``grain="day"``);
    ClickHouse partitions every summary table by the UTC day of that column.
    """

    name: str
    time_column: str
    grain: str = "hour"

    @property
    def in_window(self) -> str:
        """SQL condition: the row's time lies in the bound window ``[start, end)``."""
        start, end = "{start:DateTime('UTC')}", "{end:DateTime('UTC')}"
        if self.grain == "day":
            start, end = f"toDate({start})", f"toDate({end})"
        return f"{self.time_column} >= {start} AND {self.time_column} < {end}"


class Store:
    """A client bound to the pipeline's database, with its few write and read primitives."""

    def __init__(self, client: Client, database: str, cluster: str | None = None) -> None:
        self.client = client
        self.database = database
        # Set: tables were created ON CLUSTER (pollen_pipeline.cluster), see replace_window.
        self.cluster = cluster

    def table(self, name: str) -> str:
        return f"{self.database}.{name}"

    def command(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.client.command(sql, parameters={**contract.params(), **(params or {})})

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
        merged = {**contract.params(), **(params or {})}
        return self.client.query(sql, parameters=merged).result_rows

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.rows(sql, params)[0][0]

    def frame(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        return self.client.query_df(sql, parameters={**contract.params(), **(params or {})})

    def replace_window(
        self,
        spec: TableSpec,
        window: Window,
        select_sql: str,
        *,
        source: Store | None = None,
        chunk: dt.timedelta | None = None,
    ) -> int:
        """Make ``spec`` hold exactly what ``select_sql`` returns for ``window``.

        ``select_sql`` must return the table's columns in order for the bound ``{start}`` and
        ``{end}``. It runs once per chunk (on ``source`` when given: then only its summary rows
        travel here) into a staging table, the rows of the touched days outside the window are
        copied next to them, and each touched day is swapped in with ``REPLACE PARTITION`` (or
        dropped when it is now empty). Returns the number of rows written for the window.
        """
        if self.cluster:
            # On a cluster the names are Distributed tables, which have no partitions to swap;
            # README "Scaling out" lists what a cluster-aware swap must do instead.
            raise StoreError(
                f"writing summaries on cluster {self.cluster} (POLLEN_CLICKHOUSE_CLUSTER) is not "
                "implemented yet: partitions must be swapped in the _local tables ON CLUSTER"
            )
        stage = self.table(f"_stage_{spec.name}_{uuid.uuid4().hex[:12]}")
        self.command(f"CREATE TABLE {stage} AS {self.table(spec.name)}")
        try:
            for part in window.chunks(chunk) if chunk else [window]:
                self._fill_stage(stage, select_sql, part, source)
            written = self.scalar(f"SELECT count() FROM {stage}")
            self._keep_rows_outside(spec, stage, window)
            self._swap_days(spec, stage, window.days())
            return written
        finally:
            self.command(f"DROP TABLE IF EXISTS {stage}")

    def _fill_stage(self, stage: str, select_sql: str, part: Window, source: Store | None) -> None:
        if source is None:
            self.command(f"INSERT INTO {stage} {select_sql}", part.params())
            return
        merged = {**contract.params(), **part.params()}
        summary = source.client.query_arrow(select_sql, parameters=merged)
        self.client.insert_arrow(stage, summary)

    def _keep_rows_outside(self, spec: TableSpec, stage: str, window: Window) -> None:
        self.command(
            f"INSERT INTO {stage} SELECT * FROM {self.table(spec.name)} "
            f"WHERE toDate({spec.time_column}) IN {{days:Array(Date)}} "
            f"AND NOT ({spec.in_window})",
            {**window.params(), "days": window.days()},
        )

    def _swap_days(self, spec: TableSpec, stage: str, days: list[dt.date]) -> None:
        filled = {
            row[0] for row in self.rows(f"SELECT DISTINCT toString(_partition_id) FROM {stage}")
        }
        target = self.table(spec.name)
        for day in days:
            partition = {"partition": day.strftime("%Y%m%d")}
            if partition["partition"] in filled:
                self.command(
                    f"ALTER TABLE {target} REPLACE PARTITION ID {{partition:String}} FROM {stage}",
                    partition,
                )
            else:
                self.command(
                    f"ALTER TABLE {target} DROP PARTITION ID {{partition:String}}", partition
                )


class ClickHouseResource(ConfigurableResource):
    """The pipeline's ClickHouse store and, optionally, a separate source of raw events.

    Unset fields fall back to the environment (``POLLEN_CLICKHOUSE_URL``, ``POLLEN_DATABASE``,
    ``POLLEN_SOURCE_CLICKHOUSE_URL``, ``POLLEN_SOURCE_TABLE``), read when a run starts.
    """

    url: str | None = None
    database: str | None = None

    def settings(self) -> Settings:
        settings = load_settings()
        return Settings(
            clickhouse_url=self.url or settings.clickhouse_url,
            database=self.database or settings.database,
            source_clickhouse_url=settings.source_clickhouse_url,
            source_table=settings.source_table,
            start_date=settings.start_date,
            cluster=settings.cluster,
        )

    def store(self) -> Store:
        settings = self.settings()
        return Store(connect(settings.clickhouse_url), settings.database, settings.cluster)

    def source(self) -> Store | None:
        """The remote raw-event source, or None when raw events live in the store itself."""
        settings = self.settings()
        if settings.source_clickhouse_url is None:
            return None
        return Store(connect(settings.source_clickhouse_url), settings.database)
