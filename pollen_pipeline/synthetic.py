"""Realistic synthetic Pollinations API usage events, generated inside ClickHouse.

The pipeline has to be developed and load-tested without production data, so this
module fills the raw ``generation_event`` table with rows that look like the real
Tinybird feed: one row per API request, UTC timestamps, the literal ``'undefined'`` for
missing strings and 0 for missing numbers.

What the data looks like, and why:

* Users are heavily skewed (a few heavy users make most calls) and keep a stable tier,
  GitHub id, username, apps and API keys. New users sign up throughout the range, so
  user counts grow day by day. The ROUTER service account (GitHub id ``241978997``)
  makes about 12% of calls and, relaying the global model mix, about 16% of Pollen;
  a few calls are anonymous.
* About a quarter of users buy a pack 1..40 days after signing up; from then on their
  daily tier grant runs out during the day and later calls use the pack meter, which is
  what the paid/free split downstream has to detect.
* Meter slugs follow the real calendar: ``v1:meter:*`` before 2025-12-01, ``local:*``
  after it, ``local:combined`` during the 2025-12-30..2026-01-08 bug window, and
  temporary (BYOP) keys only from 2026-01-01.
* Text models dominate request counts, while premium images and rare video calls carry
  much of the Pollen. Errors (~9%) and cache hits (~5%) are free; non-production
  environments and non-2xx statuses are present so filters can be tested.

Every value is derived from hashes of ``(seed, day, row)``, so a seed always produces the
same data. Python only loops over days; each day is one ``INSERT ... SELECT`` over
``numbers(events)`` that runs server-side (about a million rows per second or more).

``generate_v2_events`` then makes ``generation_event_v2`` from those v1 events in one ``INSERT
... SELECT`` (``sql/synthetic_events_v2.sql``), as the team's populate pipe did: v1's
authenticated, non-cached requests from v2's first day on, at v1's prices, with what only v2
records (fallback attempts, agent runs, adjustments, BYOP markups, community rewards). The
team's legacy and internal key ids (``traffic_groups.yaml``) are a few heavy accounts' keys.

The side sources (``generate_side_sources``) describe the same population: one ``INSERT ...
SELECT`` per table (``sql/synthetic_side/<table>.sql``) over the accounts by rank, sharing the
events' user profile, app and key expressions (``sql/synthetic_{population,user,app}.sql``), so
D1 snapshots, the app directory, tier events, payments and scores name the users, GitHub
accounts, keys and apps the events do, and the payments fund the packs the events spend.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from string import Template
from typing import Any

from pollen_pipeline.defs.usage.usage_classified_hourly.rules import traffic_groups

SQL_DIR = Path(__file__).parent / "sql"
SQL_PATH = SQL_DIR / "synthetic_events.sql"
V2_SQL_PATH = SQL_DIR / "synthetic_events_v2.sql"
SIDE_DIR = SQL_DIR / "synthetic_side"  # <table>.sql: one statement; _<name>.sql: a $<name>
# The side statements' pieces, each able to use the ones before it.
SIDE_PIECES = ("users", "snapshot_users", "user_apps", "payments")
# The pieces events and side sources share: $population (WITH), $user_columns, $app_columns.
SHARED = {"population": "population", "user_columns": "user", "app_columns": "app"}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# Rows per statement: planning the statement costs ~0.2 s whatever its size, so small days go
# several to a statement; big ones one each, so a day is never split and memory stays bounded.
ROWS_PER_STATEMENT = 2_000_000


def _shared() -> dict[str, str]:
    return {
        name: (SQL_DIR / f"synthetic_{file}.sql").read_text().rstrip()
        for name, file in SHARED.items()
    }


def _fill(path: Path, names: dict[str, str]) -> str:
    return Template(path.read_text().rstrip()).substitute(names)


def _checked(database: str) -> str:
    if not _IDENTIFIER.fullmatch(database):
        raise ValueError(f"invalid database name: {database!r}")
    return database


def render_sql(database: str) -> str:
    """Return the INSERT statement (consecutive days) for ``database``."""
    return _fill(SQL_PATH, {"database": _checked(database), **_shared()})


def render_v2_sql(database: str) -> str:
    """Return the INSERT making ``database``'s v2 rows from its v1 events."""
    return _fill(V2_SQL_PATH, {"database": _checked(database), **_shared()})


def side_tables() -> list[str]:
    """The side sources with a synthetic statement."""
    return sorted(path.stem for path in SIDE_DIR.glob("[!_]*.sql"))


def render_side_sql(table: str, database: str) -> str:
    """The INSERT filling side source ``table`` of ``database`` for a whole range."""
    names = {"database": _checked(database), **_shared()}
    for piece in SIDE_PIECES:
        names[piece] = _fill(SIDE_DIR / f"_{piece}.sql", names)
    return _fill(SIDE_DIR / f"{table}.sql", names)


def batch_parameters(
    start: datetime.date,
    first_day_index: int,
    batch_days: int,
    total_days: int,
    events_per_day: int,
    seed: int,
) -> dict[str, Any]:
    """Server-side query parameters for ``batch_days`` days from day ``first_day_index``."""
    day = start + datetime.timedelta(days=first_day_index)
    return {
        "first_day_start": _midnight(day),
        "first_day_index": first_day_index,
        "days": batch_days,
        "events": events_per_day,
        "seed": seed,
        "total_days": total_days,
        # the team's legacy and internal accounts call through these key ids (synthetic_app.sql)
        **{f"{group}_keys": keys for group, keys in traffic_groups().items()},
    }


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def generate_events(
    client: Any,
    database: str,
    start: datetime.date,
    days: int,
    events_per_day: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Insert ``days`` x ``events_per_day`` synthetic events starting at ``start`` (UTC).

    ``client`` is a clickhouse_connect client; ``database.generation_event`` must exist.
    ``progress`` is called with ``(days_done, days)`` after each statement.
    Returns the number of events inserted.
    """
    if days < 0 or events_per_day < 0:
        raise ValueError("days and events_per_day must not be negative")
    if events_per_day == 0:
        return 0
    sql = render_sql(database)
    per_statement = max(1, ROWS_PER_STATEMENT // events_per_day)
    for first in range(0, days, per_statement):
        batch = min(per_statement, days - first)
        parameters = batch_parameters(start, first, batch, days, events_per_day, seed)
        client.command(sql, parameters=parameters)
        if progress is not None:
            progress(first + batch, days)
    return days * events_per_day


def generate_side_sources(
    client: Any,
    database: str,
    start: datetime.date,
    days: int,
    events_per_day: int,
    seed: int,
) -> list[str]:
    """Fill every side source of ``database`` for the range ``generate_events`` was given the
    same arguments for (the same users, keys and apps); returns the tables filled.

    The tables must exist; each is one statement over the whole range (the population is the
    events' users, so a range's side rows are a few per user and day)."""
    if events_per_day <= 0 or days <= 0:
        return []
    parameters = batch_parameters(start, 0, days, days, events_per_day, seed)
    del parameters["first_day_index"]  # the side statements cover the range from its start
    for table in side_tables():
        client.command(render_side_sql(table, database), parameters=parameters)
    return side_tables()


# Days of v2 a generated range ends with by default. Every raw scan of a day from v2's first on
# reads both tables (v1 for its cache hits and anonymous calls), so the demo keeps that to two
# weeks (the report's week and the one before it) rather than half of its 60 days.
V2_DAYS = 14


def default_v2_from(start: datetime.date, days: int) -> datetime.date:
    """The first day of v2 in a generated range when none is given: two weeks before its end,
    or its middle day in a shorter range, so the range has days read from v1 alone and days
    read from v2."""
    return start + datetime.timedelta(days=max(days // 2, days - V2_DAYS))


def generate_v2_events(
    client: Any,
    database: str,
    start: datetime.date,
    days: int,
    events_per_day: int,
    seed: int,
    v2_from: datetime.date,
) -> int:
    """Fill ``database.generation_event_v2`` from the v1 events ``generate_events`` made with the
    same arguments, for the days from ``v2_from`` to the range's end (none when it is outside):
    one statement, inside ClickHouse (``sql/synthetic_events_v2.sql``). Returns the rows made."""
    end = start + datetime.timedelta(days=days)
    if events_per_day <= 0 or not start <= v2_from < end:
        return 0
    parameters = batch_parameters(start, 0, days, days, events_per_day, seed)
    parameters |= {"v2_from": _midnight(v2_from), "until": _midnight(end)}
    client.command(render_v2_sql(database), parameters=parameters)
    counted = client.query(
        f"SELECT count() FROM {_checked(database)}.generation_event_v2 "
        "WHERE start_time >= {v2_from:DateTime('UTC')} AND start_time < {until:DateTime('UTC')}",
        parameters=parameters,
    )
    return int(counted.result_rows[0][0])
