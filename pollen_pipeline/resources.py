"""The ClickHouse resource: the pipeline's store and, optionally, a separate raw-event source.

Its fields override the environment; unset ones fall back to the variables of
``pollen_pipeline.settings`` (``POLLEN_CLICKHOUSE_URL``, ``POLLEN_DATABASE``, ...), read when a
run starts, never at import. Nothing is opened until a step asks for the store.
"""

from __future__ import annotations

from dagster import ConfigurableResource, InitResourceContext
from pydantic import PrivateAttr

from pollen_pipeline import exclusions
from pollen_pipeline.catalog import EXCLUDED_TABLE
from pollen_pipeline.contract import Exclusions
from pollen_pipeline.settings import Settings, load_settings
from pollen_pipeline.store import Store, connect

D1_USER = "d1_user"  # the side source whose banned flag is the second exclusion list


def excluded_github_ids(store: Store) -> list[str]:
    """The GitHub ids of ``excluded_users`` (none before ``pollen init`` created the table)."""
    exists = store.scalar(
        "SELECT count() FROM system.tables WHERE database = {db:String} AND name = {name:String}",
        {"db": store.database, "name": EXCLUDED_TABLE},
    )
    if not exists:
        return []
    return [
        row[0] for row in store.rows(f"SELECT user_github_id FROM {store.table(EXCLUDED_TABLE)}")
    ]


class ClickHouseResource(ConfigurableResource):
    """The pipeline's ClickHouse store (embedded chdb by default, or a server)."""

    url: str | None = None  # default: POLLEN_CLICKHOUSE_URL, else the embedded .pollen/store
    database: str | None = None  # default: POLLEN_DATABASE, else "pollen"
    # In a run (Dagster gives each run its own copy, set up here): the store its first step
    # opened, kept for the others, so that a run's steps read the exclusion lists once and alike
    # (read by each of 64 steps they cost ~1.5 s of an empty day's run under cProfile). Outside
    # a run every call opens the store afresh.
    _in_run: bool = PrivateAttr(default=False)
    _run_store: Store | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._in_run = True

    def settings(self) -> Settings:
        return load_settings(url=self.url, database=self.database)

    def store(self) -> Store:
        """The store, its queries binding both exclusion lists: the hand list (in the store)
        and D1's banned accounts (read where side sources are), the latter applied only when
        ``POLLEN_EXCLUDE_D1_BANNED`` opts in; and D1's banned usernames of any snapshot, the
        team's legacy rule (a dimension, never applied). In a run, the run's one store."""
        if not self._in_run:
            return self._open_store()
        if self._run_store is None:
            self._run_store = self._open_store()
        return self._run_store

    def _open_store(self) -> Store:
        settings = self.settings()
        client = connect(settings.clickhouse_url, settings.query_timeout_seconds)
        store = Store(client, settings.database, settings.cluster)
        raw = self._source(settings) or store
        lists = Exclusions(
            hand_list=excluded_github_ids(store),
            d1_banned=exclusions.d1_banned(raw, settings.side_table(D1_USER)),
            apply_d1_banned=settings.exclude_d1_banned,
            d1_banned_usernames=exclusions.d1_banned_usernames(raw, settings.side_table(D1_USER)),
        )
        return Store(client, settings.database, settings.cluster, lists)

    def source(self) -> Store | None:
        """The remote raw-event source, or None when raw events live in the store itself. Its
        queries bind the store's exclusion lists: the hand list lives in the store."""
        settings = self.settings()
        source = self._source(settings)
        if source is None:
            return None
        return Store(source.client, settings.database, exclusions=self.store().exclusions)

    @staticmethod
    def _source(settings: Settings) -> Store | None:
        if settings.source_clickhouse_url is None:
            return None
        client = connect(settings.source_clickhouse_url, settings.query_timeout_seconds)
        return Store(client, settings.database)
