"""Shared fixtures: one embedded store per test session, one fresh database per test.

The whole suite runs under a non-UTC time zone with an odd offset (Chatham, UTC+12:45/+13:45),
set before chdb starts, so any day or hour computed in local time instead of UTC shows up as
a wrong number somewhere.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import pytest

os.environ["TZ"] = "Pacific/Chatham"
time.tzset()

from pollen_pipeline.clickhouse import ClickHouseResource, Store  # noqa: E402
from pollen_pipeline.tables import init_store  # noqa: E402


@pytest.fixture(scope="session")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"chdb://{tmp_path_factory.mktemp('pollen') / 'store'}"


@pytest.fixture
def store(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """An initialised, empty database in the session's store, configured via the environment."""
    database = f"test_{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("POLLEN_CLICKHOUSE_URL", store_url)
    monkeypatch.setenv("POLLEN_DATABASE", database)
    monkeypatch.delenv("POLLEN_SOURCE_CLICKHOUSE_URL", raising=False)
    monkeypatch.delenv("POLLEN_SOURCE_TABLE", raising=False)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    store = ClickHouseResource().store()
    init_store(store)
    yield store
    store.command(f"DROP DATABASE IF EXISTS {database}")
