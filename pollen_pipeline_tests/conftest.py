"""Shared fixtures: one embedded store per test session, one fresh database per test.

The whole suite runs under a non-UTC time zone with an odd offset (Chatham, UTC+12:45/+13:45),
set before chdb starts, so any day or hour computed in local time instead of UTC shows up as
a wrong number somewhere.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

os.environ["TZ"] = "Pacific/Chatham"
time.tzset()

from pollen_pipeline.store import Store  # noqa: E402
from pollen_pipeline_tests.databases import fresh_database  # noqa: E402

# The longest files (`pytest --durations=0`, summed per file: 74, 52, 52, 49, 34, 33, 31 s on
# 2026-12-06), longest first, run before the rest: `make test` hands whole files to its workers,
# and a worker that starts a one-minute file (whole processes, a browser) last is the run's
# tail. The rest keep their order.
LONG_FILES_FIRST = (
    "test_ui_backfill.py",
    "test_grafana.py",
    "test_benchmark_smoke.py",
    "test_economics.py",
    "test_team_coverage_legacy.py",
    "test_reliability.py",
    "test_table_sql.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONG_FILES_FIRST.index(name) if name in LONG_FILES_FIRST else len(LONG_FILES_FIRST)

    items.sort(key=rank)  # stable: the rest keep their order


@pytest.fixture(scope="session")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"chdb://{tmp_path_factory.mktemp('pollen') / 'store'}"


@pytest.fixture
def store(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """An initialised, empty database in the session's store, configured via the environment."""
    with fresh_database(store_url, monkeypatch) as store:
        yield store
