"""pandera model of spikes_daily, and its system row recomputed from user_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from pollen_pipeline.checks import CheckContext, Verdict, compare, window_days
from pollen_pipeline.defs.economics.spikes_daily.rules import (
    SPIKE_MIN_POLLEN_1D,
    SPIKE_MIN_RATIO_30D,
)
from pollen_pipeline.schemas import FLAG, NON_NEGATIVE, TOLERANCE, at_most


class SpikesDaily(pa.DataFrameModel):
    entity_type: Series[str] = pa.Field(isin=["system", "user", "app", "model"])
    entity_id: Series[str]
    pollen_1d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    avg_daily_7d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    avg_daily_30d: Series[np.float64] = pa.Field(gt=0)  # idle entities are left out
    ratio_7d: Series[np.float64] = pa.Field(ge=0, le=7 + TOLERANCE, nullable=True)
    ratio_30d: Series[np.float64] = pa.Field(ge=0, le=30 + TOLERANCE, nullable=True)
    paid_1d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    free_1d: Series[np.float64] = pa.Field(**NON_NEGATIVE)
    is_spike: Series[np.uint8] = pa.Field(**FLAG)

    class Config:
        coerce = False
        strict = False
        unique = ["as_of", "entity_type", "entity_id"]


ROW_RULES = {
    "spike_flag_follows_ratio": "is_spike = toUInt8(ifNull(ratio_30d >= "
    f"{SPIKE_MIN_RATIO_30D!r}, 0) AND pollen_1d >= {SPIKE_MIN_POLLEN_1D!r})",
    "paid_and_free_within_the_day": at_most("paid_1d + free_1d", "pollen_1d"),
}


def spikes_match_daily(ctx: CheckContext) -> Verdict:
    """Per as_of: the system row's day, 7- and 30-day Pollen and paid/free equal user_daily."""
    actual = (
        "SELECT as_of, pollen_1d, avg_daily_7d * 7, avg_daily_30d * 30, paid_1d, free_1d "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} AND entity_type = 'system'"
    )
    expected = (
        "SELECT as_of, sumIf(total_pollen, day = as_of), "
        "sumIf(total_pollen, day BETWEEN as_of - 6 AND as_of), sum(total_pollen), "
        "sumIf(pack_pollen, day = as_of), sumIf(tier_pollen, day = as_of) "
        f"FROM {ctx.store.table('user_daily')} ARRAY JOIN {{days:Array(Date)}} AS as_of "
        "WHERE day >= {first:Date} - 29 AND day <= {last:Date} "
        "AND day BETWEEN as_of - 29 AND as_of GROUP BY as_of"
    )
    return compare(ctx.store, actual, expected, window_days(ctx))
