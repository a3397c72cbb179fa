"""A fresh, initialised database in the session's store, configured through the environment
exactly as a run would see it; dropped afterwards. And materializing it through Dagster."""

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


@contextmanager
def fresh_database(store_url: str, env: pytest.MonkeyPatch) -> Iterator[Store]:
    database = f"test_{uuid.uuid4().hex[:10]}"
    env.setenv("POLLEN_CLICKHOUSE_URL", store_url)
    env.setenv("POLLEN_DATABASE", database)
    for name in FOREIGN_SETTINGS:
        env.delenv(name, raising=False)
    store = ClickHouseResource().store()
    init_store(store)
    try:
        yield store
    finally:
        store.command(f"DROP DATABASE IF EXISTS {database}")


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
