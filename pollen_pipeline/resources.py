"""The ClickHouse resource: the pipeline's store and, optionally, a separate raw-event source.

Its fields override the environment; unset ones fall back to the variables of
``pollen_pipeline.settings`` (``POLLEN_CLICKHOUSE_URL``, ``POLLEN_DATABASE``, ...), read when a
run starts, never at import. Nothing is opened until a step asks for the store.
"""

from __future__ import annotations

from dagster import ConfigurableResource

from pollen_pipeline.catalog import EXCLUDED_TABLE
from pollen_pipeline.settings import Settings, load_settings
from pollen_pipeline.store import Store, connect


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

    def settings(self) -> Settings:
        return load_settings(url=self.url, database=self.database)

    def store(self) -> Store:
        settings = self.settings()
        client = connect(settings.clickhouse_url, settings.query_timeout_seconds)
        store = Store(client, settings.database, settings.cluster)
        excluded = excluded_github_ids(store)
        return Store(client, settings.database, settings.cluster, excluded) if excluded else store

    def source(self) -> Store | None:
        """The remote raw-event source, or None when raw events live in the store itself. Its
        queries bind the store's excluded users: the list lives in the store."""
        settings = self.settings()
        if settings.source_clickhouse_url is None:
            return None
        client = connect(settings.source_clickhouse_url, settings.query_timeout_seconds)
        return Store(client, settings.database, excluded_github_ids=self.store().excluded)
