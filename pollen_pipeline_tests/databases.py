"""A fresh, initialised database in the session's store, configured through the environment
exactly as a run would see it; dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from pollen_pipeline.clickhouse import ClickHouseResource, Store
from pollen_pipeline.tables import init_store

# Settings a developer's shell may carry that would point a test somewhere else.
FOREIGN_SETTINGS = ("POLLEN_SOURCE_CLICKHOUSE_URL", "POLLEN_SOURCE_TABLE", "DAGSTER_HOME")


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
