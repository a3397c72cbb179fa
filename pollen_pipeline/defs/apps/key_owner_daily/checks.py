"""pandera model of key_owner_daily, and its recount from d1_apikey."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, recount_sides


class KeyOwnerDaily(pa.DataFrameModel):
    name_hash: Series[np.uint64]
    user_id: Series[str]
    keys: Series[np.uint64] = pa.Field(ge=1)

    class Config:
        coerce = False
        strict = False
        unique = ["day", "name_hash", "user_id"]


def owners_match_snapshots(ctx: CheckContext) -> Verdict:
    """Per day: named key rows and distinct (name, owner) pairs recounted from d1_apikey, the
    pairs by the names themselves (the table holds their hashes)."""
    actual = (
        f"SELECT day, sum(keys), count() FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day"
    )

    def expected(apikeys: str) -> str:
        return (
            "SELECT toDate(synced_at, 'UTC') AS day, count(), uniqExact(name, user_id) "
            f"FROM {apikeys} WHERE day IN {{days:Array(Date)}} AND name IS NOT NULL GROUP BY day"
        )

    return recount_sides(ctx, ["d1_apikey"], actual, expected)
