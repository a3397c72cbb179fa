"""Checks of api_key_owner_daily: its pandera model, and its rows against d1_apikey."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, recount_sides


class ApiKeyOwnerDaily(pa.DataFrameModel):
    api_key_id: Series[str]
    user_id: Series[str]

    class Config:
        coerce = False
        strict = False
        unique = ["day", "api_key_id", "user_id"]


def owners_match_snapshot(ctx: CheckContext) -> Verdict:
    """Per day: keys and distinct owners recounted from the day's last snapshot (the latest
    synced_at of each day, by a join rather than IN)."""
    actual = (
        f"SELECT day, uniqExact(api_key_id), uniqExact(user_id) FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} GROUP BY day"
    )

    def expected(keys: str) -> str:
        return (
            "SELECT toDate(k.synced_at, 'UTC') AS day, uniqExact(k.id), uniqExact(k.user_id) "
            f"FROM {keys} AS k INNER JOIN (SELECT max(synced_at) AS last FROM {keys} "
            "WHERE toDate(synced_at, 'UTC') IN {days:Array(Date)} "
            "GROUP BY toDate(synced_at, 'UTC')) AS l ON k.synced_at = l.last GROUP BY day"
        )

    return recount_sides(ctx, ["d1_apikey"], actual, expected)
