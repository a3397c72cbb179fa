"""A fresh, initialised database in the session's store, configured through the environment
exactly as a run would see it. And materializing it through Dagster.

Creating a database's ~90 tables takes ~0.5 s and about 200 tests each want one, so a test's
database is emptied afterwards (one ``TRUNCATE ALL TABLES``) and handed to the next test, unless
the test changed its tables (their definitions differ from when they were made): then it is
dropped and the next test gets a new one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import pytest
from dagster import DagsterInstance, Definitions, ExecuteInProcessResult

from pollen_pipeline.catalog import init_store
from pollen_pipeline.definitions import defs
from pollen_pipeline.resources import ClickHouseResource
from pollen_pipeline.runs import materialize_days
from pollen_pipeline.store import Store

# Settings a developer's shell may carry that would point a test somewhere else.
FOREIGN_SETTINGS = (
    "POLLEN_SOURCE_CLICKHOUSE_URL",
    "POLLEN_SOURCE_TABLE",
    "POLLEN_SOURCE_TABLE_V2",
    "POLLEN_V2_FROM",
    "POLLEN_EXCLUDE_D1_BANNED",
    "DAGSTER_HOME",
)


# Emptied databases ready for the next test, each with the fingerprint of its tables as made.
_emptied: list[tuple[str, int]] = []


@contextmanager
def fresh_database(store_url: str, env: pytest.MonkeyPatch) -> Iterator[Store]:
    """An initialised database holding no rows, in the store at ``store_url``."""
    env.setenv("POLLEN_CLICKHOUSE_URL", store_url)
    for name in FOREIGN_SETTINGS:
        env.delenv(name, raising=False)
    database, made_as = _emptied.pop() if _emptied else (f"test_{uuid.uuid4().hex[:10]}", None)
    env.setenv("POLLEN_DATABASE", database)
    store = ClickHouseResource().store()
    if made_as is None:
        init_store(store)
        made_as = _fingerprint(store)
    try:
        yield store
    finally:
        _give_back(store, made_as)


def _fingerprint(store: Store) -> int:
    """A hash of the database's tables and their definitions."""
    return store.scalar(
        "SELECT cityHash64(groupArray((name, create_table_query))) FROM (SELECT name, "
        "create_table_query FROM system.tables WHERE database = {database:String} ORDER BY name)",
        {"database": store.database},
    )


def _give_back(store: Store, made_as: int) -> None:
    """Empty the database for the next test, or drop it if the test changed its tables."""
    if _fingerprint(store) == made_as:
        store.command(f"TRUNCATE ALL TABLES FROM {store.database}")
        _emptied.append((store.database, made_as))
    else:
        store.command(f"DROP DATABASE IF EXISTS {store.database}")


@cache
def definitions() -> Definitions:
    """The code location, loaded once per test session (loading reads every table folder)."""
    return defs()


def materialize(
    first: dt.date, last: dt.date, *select: str, instance: DagsterInstance | None = None
) -> ExecuteInProcessResult:
    """Materialize the selected tables (all by default) for the UTC days ``first`` .. ``last``
    as one Dagster run on an ephemeral instance, against the database the environment names."""
    return materialize_days(
        definitions(), first, last, list(select), on=instance or DagsterInstance.ephemeral()
    )
