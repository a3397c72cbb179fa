"""Where raw events come from: the team's v2 table from the day it is authoritative, the v1
archive before that day and for the rows v2 never holds.

``generation_event_v2`` is where the gateway writes now; ``generation_event`` (v1) is retired.
v2 was backfilled from v1 for twelve months with authenticated, non-cached rows only, so on a
day both cover, the same request is in both: reading both naively counts it twice. The rule
(contract.py: ``RAW_COUNTED_V2_ROWS``, ``RAW_V1_ONLY_ROWS``), per event:

- from ``v2_from`` on: v2's final rows (one per request; fallback attempts are not requests
  and carry no price), plus v1's cache hits and anonymous requests, which v2 never holds;
- before ``v2_from``: v1 alone.

Every summary reads this one relation where it used to read the raw table, with v2's columns (v1
rows take v2's defaults for those it lacks), so each table keeps its meaning on either source.
Without ``v2_from`` it is the v1 table itself, as before.

A table whose SELECT also reads v2's fallback attempts (the team counts their users, in each
attempt row's own classification) asks for ``relation(raw, attempts=True)``: the same scan
with v2's non-final rows kept, told apart by ``is_final`` (true on every v1 row, v2's default);
its requests are the ``is_final`` rows. Checks keep reading the relation of requests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pollen_pipeline import contract
from pollen_pipeline.store import Store


class EventSourceError(RuntimeError):
    """The event tables cannot be combined as configured; the message says why."""


@dataclass(frozen=True)
class EventTables:
    """The raw event tables (validated identifiers) and the day v2 takes over."""

    archive: str  # v1
    current: str  # v2
    v2_from: dt.date | None  # None: v1 alone

    def relation(self, raw: Store, *, attempts: bool = False) -> str:
        """What a scan reads ``FROM``: the v1 table, or the v1/v2 combination as a subquery;
        with ``attempts``, v2's fallback attempts too (``is_final`` = false)."""
        if self.v2_from is None:
            return self.archive
        found = _columns(raw, [self.archive, self.current])
        archive, current = found[self.archive], found[self.current]
        for table, columns in ((self.current, current), (self.archive, archive)):
            if not columns:
                raise EventSourceError(f"POLLEN_V2_FROM is set but {table} does not exist")
        missing = [name for name in archive if name not in current]
        if missing:
            raise EventSourceError(f"{self.current} lacks v1 columns {missing}")
        # the columns v2 added (key origin, prices, rewards, usage kinds): v1 rows take v2's
        # default for them, as v2's own rows written before a column existed did
        newer = [name for name in current if name not in archive]
        from_v1 = [*archive, *(f"CAST({current[n][1]} AS {current[n][0]}) AS {n}" for n in newer)]
        # a validated date of the configuration, formatted like the identifiers around it: the
        # relation is a name every scan and check puts after FROM, with parameters of its own
        since = f"toDateTime('{self.v2_from.isoformat()} 00:00:00', 'UTC')"
        rows = "" if attempts else f" AND {contract.RAW_COUNTED_V2_ROWS}"
        return (
            f"(SELECT {', '.join([*archive, *newer])} FROM {self.current} "
            f"WHERE start_time >= {since}{rows} "
            f"UNION ALL SELECT {', '.join(from_v1)} FROM {self.archive} "
            f"WHERE start_time < {since} OR {contract.RAW_V1_ONLY_ROWS})"
        )


def _columns(raw: Store, tables: list[str]) -> dict[str, dict[str, tuple[str, str]]]:
    """Per table of ``tables``: column name -> (type, default expression), in table order ({}
    if absent). One query for them all: every table's step asks, and each query costs ~3 ms."""
    located = {table: _located(raw, table) for table in tables}
    rows = raw.rows(
        "SELECT database, table, name, type, default_expression FROM system.columns "
        "WHERE database IN {databases:Array(String)} AND table IN {names:Array(String)} "
        "ORDER BY position",
        {
            "databases": sorted({database for database, _ in located.values()}),
            "names": sorted({name for _, name in located.values()}),
        },
    )
    found: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
    for database, table, name, type_, default in rows:
        found.setdefault((database, table), {})[name] = (
            type_,
            default or f"defaultValueOfTypeName('{type_}')",
        )
    return {table: found.get(where, {}) for table, where in located.items()}


def _located(raw: Store, table: str) -> tuple[str, str]:
    """(database, table name) of ``table``; unqualified: in the store's database."""
    database, _, name = table.rpartition(".")
    return database or raw.database, name
