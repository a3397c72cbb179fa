"""pandera model of user_daily_by_user, and its comparison with user_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare
from pollen_pipeline.schemas import EconomicsColumns

DAY_TOTALS = (
    "SELECT day, count(), sum(requests), sum(tokens), sum(pack_pollen), sum(tier_pollen), "
    "sum(total_pollen) FROM {table} WHERE {window} GROUP BY day"
)


class UserDailyByUser(EconomicsColumns):
    user_id: Series[str]
    user_tier: Series[str]
    models_used: Series[np.uint64] = pa.Field(gt=0)
    named_apps: Series[np.uint64]

    class Config:
        unique = ["day", "user_id"]


def days_match_user_daily(ctx: CheckContext) -> Verdict:
    """Per day of the window: developers, requests, tokens and Pollen equal user_daily's."""
    actual = DAY_TOTALS.format(table=ctx.qualified, window=ctx.in_window)
    expected = DAY_TOTALS.format(table=ctx.store.table("user_daily"), window=ctx.in_window)
    return compare(ctx.store, actual, expected, ctx.params(), what="days")
