"""The team's list of excluded users (``excluded_users``): out of every usage and economics
number, like ROUTER, from the next materialization on (the contract's ``excluded`` filter)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pollen_pipeline.catalog import EXCLUDED_TABLE
from pollen_pipeline.store import Store

COLUMNS = ("user_github_id", "reason", "added_at")


def add(store: Store, github_ids: Sequence[str], reason: str) -> None:
    """Exclude ``github_ids`` (again, with the new reason, when already listed)."""
    now = dt.datetime.now(dt.UTC)
    rows = [[github_id, reason, now] for github_id in github_ids]
    store.client.insert(store.table(EXCLUDED_TABLE), rows, column_names=COLUMNS)
    store.command(f"OPTIMIZE TABLE {store.table(EXCLUDED_TABLE)} FINAL")  # one row per user


def remove(store: Store, github_ids: Sequence[str]) -> None:
    store.command(
        f"ALTER TABLE {store.table(EXCLUDED_TABLE)} DELETE "
        "WHERE has({ids:Array(String)}, user_github_id) SETTINGS mutations_sync = 1",
        {"ids": list(github_ids)},
    )


def listed(store: Store) -> list[tuple[str, str, dt.datetime]]:
    """(GitHub id, reason, added at) of every excluded user, oldest first."""
    return store.rows(
        f"SELECT user_github_id, reason, added_at FROM {store.table(EXCLUDED_TABLE)} FINAL "
        "ORDER BY added_at, user_github_id"
    )
