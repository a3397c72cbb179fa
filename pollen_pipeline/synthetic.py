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
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from string import Template
from typing import Any

SQL_PATH = Path(__file__).parent / "sql" / "synthetic_events.sql"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# Rows per statement: planning the statement costs ~0.2 s whatever its size, so small days go
# several to a statement; big ones one each, so a day is never split and memory stays bounded.
ROWS_PER_STATEMENT = 2_000_000


def render_sql(database: str) -> str:
    """Return the INSERT statement (consecutive days) for ``database``."""
    if not _IDENTIFIER.fullmatch(database):
        raise ValueError(f"invalid database name: {database!r}")
    return Template(SQL_PATH.read_text()).substitute(database=database)


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
        "first_day_start": datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC),
        "first_day_index": first_day_index,
        "days": batch_days,
        "events": events_per_day,
        "seed": seed,
        "total_days": total_days,
    }


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
