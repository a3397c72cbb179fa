"""The team's list of excluded users (``excluded_users``): out of every usage and economics
number, like ROUTER, from the next materialization on (the contract's ``excluded`` filter).
D1's banned accounts are a second list, applied only when the operator opts in
(``contract.Exclusions``)."""

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


def d1_banned(raw: Store, d1_user: str) -> list[str]:
    """GitHub ids of the accounts banned in the latest snapshot of ``d1_user`` (a qualified name
    on ``raw``, where side sources are read); none when the table is absent. They are ids the
    events carry (``user_github_id``), so they match the hand list's."""
    if not raw.has_table(d1_user):
        return []
    rows = raw.rows(
        f"SELECT DISTINCT toString(github_id) FROM {d1_user} "
        f"WHERE synced_at = (SELECT max(synced_at) FROM {d1_user}) "
        "AND banned = 1 AND github_id IS NOT NULL"
    )
    return [row[0] for row in rows]


def d1_banned_usernames(raw: Store, d1_user: str) -> list[str]:
    """GitHub usernames banned in any snapshot of ``d1_user``: the team's rule on their legacy
    dashboards (never the contract's); none when the table is absent."""
    if not raw.has_table(d1_user):
        return []
    rows = raw.rows(
        f"SELECT DISTINCT assumeNotNull(github_username) FROM {d1_user} "
        "WHERE banned = 1 AND github_username IS NOT NULL"
    )
    return [row[0] for row in rows]
